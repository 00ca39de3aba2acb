package replay

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"net/textproto"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/config"
)

// received is one request as it came off the wire: header lines in order, exact body.
type received struct {
	Method, Target string
	Headers        []capture.Header
	Body           []byte
}

func (r received) header() http.Header {
	h := http.Header{}
	for _, kv := range r.Headers {
		h.Add(kv.Name, kv.Value)
	}
	return h
}

// rawReceiver is an outside service on 127.0.0.1:0 that records the raw request, which
// httptest cannot do (net/http folds headers into a map and loses their order).
type rawReceiver struct {
	ln     net.Listener
	status int
	mu     sync.Mutex
	got    []received
}

func newRawReceiver(t *testing.T, status int) *rawReceiver {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	r := &rawReceiver{ln: ln, status: status}
	t.Cleanup(func() { ln.Close() })
	go r.serve()
	return r
}

func (r *rawReceiver) URL() string { return "http://" + r.ln.Addr().String() }

func (r *rawReceiver) serve() {
	for {
		conn, err := r.ln.Accept()
		if err != nil {
			return
		}
		go r.handle(conn)
	}
}

func (r *rawReceiver) handle(conn net.Conn) {
	defer conn.Close()
	tp := textproto.NewReader(bufio.NewReader(conn))
	line, err := tp.ReadLine()
	if err != nil {
		return
	}
	parts := strings.SplitN(line, " ", 3)
	rec := received{Method: parts[0], Target: parts[1]}
	length := 0
	for {
		l, err := tp.ReadLine()
		if err != nil || l == "" {
			break
		}
		name, value, _ := strings.Cut(l, ":")
		value = strings.TrimSpace(value)
		rec.Headers = append(rec.Headers, capture.Header{Name: name, Value: value})
		if strings.EqualFold(name, "Content-Length") {
			length, _ = strconv.Atoi(value)
		}
	}
	rec.Body = make([]byte, length)
	if _, err := io.ReadFull(tp.R, rec.Body); err != nil {
		return
	}
	r.mu.Lock()
	r.got = append(r.got, rec)
	r.mu.Unlock()
	answer := `{"ok":true}`
	conn.Write([]byte("HTTP/1.1 " + strconv.Itoa(r.status) + " " + http.StatusText(r.status) + "\r\nContent-Type: application/json\r\nContent-Length: " +
		strconv.Itoa(len(answer)) + "\r\nConnection: close\r\n\r\n" + answer))
}

func (r *rawReceiver) requests() []received {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]received(nil), r.got...)
}

// testEnv is a real store in a temp dir and a config with signed routes.
type testEnv struct {
	store *capture.SQLite
	cfg   *config.Config
}

func newTestEnv(t *testing.T) *testEnv {
	t.Helper()
	st, err := capture.Open(filepath.Join(t.TempDir(), "hooktap.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	cfg := config.Default()
	cfg.Gateway.Routes = config.Routes{
		{Name: "github-pr", Secret: config.Secrets{"gh-secret"}, Verify: "github"},
		{Name: "stripe", Secret: config.Secrets{"whsec_stripe_test"}},
		{Name: "standard", Secret: config.Secrets{"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}},
		{Name: "inspect"},
	}
	return &testEnv{store: st, cfg: &cfg}
}

func (e *testEnv) save(t *testing.T, c *capture.Capture) *capture.Capture {
	t.Helper()
	if err := e.store.Save(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	return c
}

func (e *testEnv) replayer(gateway string, timeout time.Duration) *Replayer {
	return NewReplayer(e.store, e.cfg, gateway, &http.Client{Timeout: timeout})
}
