package gateway_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hooktap/hooktap/gateway"
)

// lockedBuffer collects log output written from several goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func (l *lockedBuffer) count(s string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Count(l.b.String(), s)
}

// steppedClock is a clock tests move by hand.
type steppedClock struct{ ns atomic.Int64 }

func (c *steppedClock) now() time.Time       { return time.Unix(0, c.ns.Load()) }
func (c *steppedClock) step(d time.Duration) { c.ns.Add(int64(d)) }
func newSteppedClock() *steppedClock {
	c := &steppedClock{}
	c.ns.Store(time.Now().UnixNano())
	return c
}
func (h *harness) get(path string) (int, string) { return h.getHeader(path, nil) }

func (h *harness) getHeader(path string, hdr *http.Header) (int, string) {
	h.t.Helper()
	resp, err := http.Get(h.url + path)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if hdr != nil {
		*hdr = resp.Header
	}
	return resp.StatusCode, string(b)
}

// /ready answers 200 while the store answers and 503 naming it while it does not, logs the outage
// once however often it is asked, and recovers by itself.
func TestReadyFollowsTheStore(t *testing.T) {
	logs := &lockedBuffer{}
	clock := newSteppedClock()
	h := start(t, ghConfig, gateway.WithLogger(slog.New(slog.NewTextHandler(logs, nil))), gateway.WithClock(clock.now))
	if status, body := h.get("/ready"); status != 200 || body != `{"status":"ready"}` {
		t.Fatalf("ready: %d %s", status, body)
	}
	if status, body := h.get("/health"); status != 200 || body != `{"status":"ok","platform":"webhook"}` {
		t.Fatalf("health changed: %d %s", status, body)
	}
	exec := func(q string) {
		if _, err := h.store.DB().ExecContext(context.Background(), q); err != nil {
			t.Fatal(err)
		}
	}
	exec(`ALTER TABLE schema_versions RENAME TO schema_versions_away`)
	for range 3 {
		clock.step(2 * time.Second)
		var hdr http.Header
		status, body := h.getHeader("/ready", &hdr)
		if status != 503 || body != `{"status":"unavailable","down":["capture store"]}` || hdr.Get("Retry-After") == "" {
			t.Fatalf("store down: %d %s Retry-After=%q", status, body, hdr.Get("Retry-After"))
		}
		if strings.Contains(body, "/") {
			t.Fatalf("the answer shows a path: %s", body)
		}
	}
	if status, _ := h.get("/health"); status != 200 {
		t.Fatalf("/health stays 200 while the store is down: %d", status)
	}
	exec(`ALTER TABLE schema_versions_away RENAME TO schema_versions`)
	clock.step(2 * time.Second)
	if status, body := h.get("/ready"); status != 200 {
		t.Fatalf("after the store came back: %d %s", status, body)
	}
	if n := logs.count("capture store unreachable"); n != 1 {
		t.Fatalf("outage logged %d times, want once:\n%s", n, logs.String())
	}
	if n := logs.count("capture store reachable again"); n != 1 {
		t.Fatalf("recovery logged %d times, want once:\n%s", n, logs.String())
	}
}

// /ready takes only GET and HEAD, like /health, and is not recorded as a capture.
func TestReadyMethodsAndNotRecorded(t *testing.T) {
	h := start(t, ghConfig)
	if status, _, hdr := h.post("/ready", nil); status != 405 || hdr.Get("Allow") != "GET, HEAD" {
		t.Fatalf("POST /ready: %d Allow=%q", status, hdr.Get("Allow"))
	}
	h.get("/ready")
	if n := h.count(); n != 0 {
		t.Fatalf("%d captures, want none", n)
	}
}
