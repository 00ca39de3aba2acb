package notify

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/config"
	"github.com/hooktap/hooktap/signature"
)

// openDB opens a real store in a temp dir: notify keeps its tables in the capture store's file.
func openDB(t testing.TB) (*capture.SQLite, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "hooktap.db")
	st, err := capture.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st, path
}

// received is one request a receiver got.
type received struct {
	Header http.Header
	Body   []byte
}

// receiver is a real HTTP target that records what it gets and answers from a script.
type receiver struct {
	*httptest.Server
	mu      sync.Mutex
	got     []received
	answers []func(http.ResponseWriter) // one per request; the last repeats
}

func newReceiver(t testing.TB, answers ...func(http.ResponseWriter)) *receiver {
	t.Helper()
	r := &receiver{answers: answers}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.got = append(r.got, received{Header: req.Header.Clone(), Body: body})
		n := len(r.got)
		r.mu.Unlock()
		if len(r.answers) == 0 {
			w.WriteHeader(http.StatusOK)
			return
		}
		r.answers[min(n, len(r.answers))-1](w)
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *receiver) requests() []received {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]received(nil), r.got...)
}

func status(code int) func(http.ResponseWriter) {
	return func(w http.ResponseWriter) { w.WriteHeader(code) }
}

// waits records the backoff waits instead of sleeping.
type waits struct {
	mu sync.Mutex
	d  []time.Duration
}

func (w *waits) sleep(_ context.Context, d time.Duration) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.d = append(w.d, d)
	return nil
}

func (w *waits) all() []time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]time.Duration(nil), w.d...)
}

func newTestDispatcher(t testing.TB, db *capture.SQLite, static []config.Webhook, opts ...Option) (*Dispatcher, *waits) {
	t.Helper()
	ws := &waits{}
	opts = append([]Option{WithSleep(ws.sleep), WithTimeout(2 * time.Second), WithLogger(slog.New(slog.DiscardHandler))}, opts...)
	d, err := NewDispatcher(db, static, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(d.Close)
	return d, ws
}

// nextResult waits for one delivery result.
func nextResult(t testing.TB, ch <-chan Result) Result {
	t.Helper()
	select {
	case r := <-ch:
		return r
	case <-time.After(10 * time.Second):
		t.Fatal("no delivery result within 10s")
	}
	return Result{}
}

func hook(url string, events ...string) config.Webhook {
	return config.Webhook{URL: url, Events: events}
}

// verifies checks a received request with the signature package, as a receiver would.
func verifies(r received, scheme, secret string) bool {
	o := signature.Verify(signature.Request{Method: http.MethodPost, Header: r.Header, Body: r.Body},
		signature.Params{Scheme: scheme, Secrets: []signature.Secret{{Label: "hook", Value: secret}},
			SignatureHeader: SignatureHeader, TimestampHeader: TimestampHeader})
	return o.Result == signature.Verified
}
