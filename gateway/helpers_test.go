package gateway_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/config"
	"github.com/hooktap/hooktap/gateway"
)

// harness is a real gateway on 127.0.0.1:0 over a real SQLite store in a temp dir.
type harness struct {
	t     *testing.T
	url   string
	store *capture.SQLite
	srv   *gateway.Server
}

func start(t *testing.T, yaml string, opts ...gateway.Option) *harness {
	t.Helper()
	cfg, st := gateway.OpenTestEnv(t, yaml)
	return startWith(t, cfg, st, opts...)
}

// startWith serves an already loaded configuration over st.
func startWith(t *testing.T, cfg *config.Config, st *capture.SQLite, opts ...gateway.Option) *harness {
	t.Helper()
	srv, err := gateway.New(cfg, st, opts...)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { _ = srv.Serve(ctx, ln); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	return &harness{t: t, url: "http://" + ln.Addr().String(), store: st, srv: srv}
}

// post sends body to path with headers (name, value pairs) and returns status and answer.
func (h *harness) post(path string, body []byte, headers ...string) (int, string, http.Header) {
	h.t.Helper()
	req, err := http.NewRequest(http.MethodPost, h.url+path, bytes.NewReader(body))
	if err != nil {
		h.t.Fatal(err)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Add(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

// latest returns the newest capture.
func (h *harness) latest() *capture.Capture {
	h.t.Helper()
	page, err := h.store.List(context.Background(), capture.Filter{Limit: 1, WithBody: true})
	if err != nil || len(page.Captures) == 0 {
		h.t.Fatalf("no capture: %v", err)
	}
	c, err := h.store.Get(context.Background(), page.Captures[0].ID)
	if err != nil {
		h.t.Fatal(err)
	}
	return c
}

func (h *harness) count() int {
	h.t.Helper()
	n, err := h.store.Count(context.Background(), capture.Filter{})
	if err != nil {
		h.t.Fatal(err)
	}
	return n
}

func githubSig(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// recorder is a forward target that records what it receives.
type recorder struct {
	mu     sync.Mutex
	bodies [][]byte
	heads  []http.Header
	status int
}

func (r *recorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	b, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	r.bodies = append(r.bodies, b)
	r.heads = append(r.heads, req.Header.Clone())
	status := r.status
	r.mu.Unlock()
	if status == 0 {
		status = 200
	}
	w.WriteHeader(status)
}

func (r *recorder) received() ([][]byte, []http.Header) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([][]byte(nil), r.bodies...), append([]http.Header(nil), r.heads...)
}

// eventually polls cond for up to 3 s; the store and deliveries are asynchronous by design.
func eventually(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for time.Now().Before(deadline) {
		if cond() {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("condition not met within 3s")
}

// failsOnce is a delivery target that answers its first request with status and every later
// one with 200; calls counts the requests.
func failsOnce(t *testing.T, status int) (*httptest.Server, *atomic.Int32) {
	calls := &atomic.Int32{}
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		if calls.Add(1) == 1 {
			w.WriteHeader(status)
		}
	}))
	t.Cleanup(target.Close)
	return target, calls
}
