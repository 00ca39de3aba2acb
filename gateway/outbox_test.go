package gateway_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/gateway"
)

// hangingTarget accepts requests and never answers until the test ends.
func hangingTarget(t *testing.T) (url string, got *atomic.Int64) {
	got = &atomic.Int64{}
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got.Add(1)
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(func() { close(release); srv.Close() })
	return srv.URL, got
}

// A target that never answers: every accepted request is owed in the outbox, the gateway keeps a
// fixed number of deliveries in flight (not one goroutine per request), and shutdown finishes
// within its deadline leaving the rest pending on disk.
func TestOutboxBoundedWithTargetThatNeverAnswers(t *testing.T) {
	target, got := hangingTarget(t)
	cfg, st := gateway.OpenTestEnv(t, fmt.Sprintf(`
gateway:
  rate_limit: 100000
  routes:
    fwd:
      secret: INSECURE_NO_AUTH
      deliver: forward
      deliver_extra: { url: %q, timeout: 1m }
`, target))
	srv, err := gateway.New(cfg, st)
	if err != nil {
		t.Fatal(err)
	}
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	h := &harness{t: t, url: "http://" + ln.Addr().String(), store: st, srv: srv}

	before := runtime.NumGoroutine()
	const n = 400
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if status, body, _ := h.post("/webhooks/fwd", []byte(fmt.Sprintf(`{"i":%d}`, i))); status != 202 {
				t.Errorf("request %d: %d %s", i, status, body)
			}
		}()
		if i%50 == 49 {
			wg.Wait()
		}
	}
	wg.Wait()
	eventually(t, func() bool { return got.Load() >= 8 })
	// Connections the clients have closed take a moment to end their server goroutines on a busy
	// machine, so wait for the count to settle; one goroutine per owed delivery would never drop
	// below the number of requests.
	settled := func() bool { return runtime.NumGoroutine()-before <= 60 }
	for deadline := time.Now().Add(5 * time.Second); !settled() && time.Now().Before(deadline); {
		time.Sleep(20 * time.Millisecond)
	}
	if g := runtime.NumGoroutine() - before; g > 60 {
		t.Errorf("%d goroutines more than before %d accepted requests to a hanging target", g, n)
	}
	if inFlight := got.Load(); inFlight > 8 {
		t.Errorf("%d deliveries in flight at once, want at most the pool's 8", inFlight)
	}
	pending, err := st.ListOutbox(context.Background(), capture.OutboxFilter{State: capture.OutboxPending})
	if err != nil || len(pending) != n {
		t.Fatalf("pending in the outbox: %d (%v), want %d", len(pending), err, n)
	}
	cancel()
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		t.Fatal("shutdown did not finish within its 10 s deadline")
	}
	pending, _ = st.ListOutbox(context.Background(), capture.OutboxFilter{State: capture.OutboxPending})
	for _, e := range pending {
		if e.LeaseOwner != "" {
			t.Fatalf("entry %d still leased after shutdown: %+v", e.ID, e)
		}
	}
	if len(pending) != n {
		t.Fatalf("%d entries pending after shutdown, want all %d", len(pending), n)
	}
}

// A target that fails, then recovers: the outbox retries with backoff and the capture shows
// every attempt.
func TestOutboxRetriesUntilDelivered(t *testing.T) {
	target, _ := failsOnce(t, http.StatusServiceUnavailable)
	h := start(t, fmt.Sprintf(`
gateway:
  routes:
    fwd:
      secret: INSECURE_NO_AUTH
      deliver: forward
      deliver_extra: { url: %q }
`, target.URL))
	if status, body, _ := h.post("/webhooks/fwd", []byte(`{}`)); status != 202 {
		t.Fatalf("%d %s", status, body)
	}
	id := h.latest().ID
	var c *capture.Capture
	eventually(t, func() bool {
		c, _ = h.store.Get(context.Background(), id)
		return len(c.Deliveries) == 2 && len(c.Outbox) == 0
	})
	if c.Deliveries[0].Status != 503 || c.Deliveries[1].Status != 200 || c.Deliveries[1].Attempt != 2 {
		t.Fatalf("attempts: %+v", c.Deliveries)
	}
}
