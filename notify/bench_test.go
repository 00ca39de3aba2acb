package notify

import (
	"context"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/hooktap/hooktap/config"
)

// BenchmarkDispatch100Webhooks measures what Dispatch costs the caller with 100 webhooks
// configured: building the message and handing it over, never the delivery.
func BenchmarkDispatch100Webhooks(b *testing.B) {
	db, _ := openDB(b)
	rcv := newReceiver(b)
	hooks := make([]config.Webhook, 100)
	for i := range hooks {
		hooks[i] = hook(fmt.Sprintf("%s/%d", rcv.URL, i))
	}
	d, _ := newTestDispatcher(b, db, hooks, WithQueueLimit(1_000_000))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		d.Dispatch("budget_warning", map[string]any{"spent": 9.0})
	}
}

// TestDrain10000Queued queues 10 000 messages, then drains them and checks that the heap did not
// grow with the queue (rows are leased a few at a time, never loaded all at once).
func TestDrain10000Queued(t *testing.T) {
	if testing.Short() {
		t.Skip("drains 10 000 deliveries")
	}
	const n = 10000
	db, _ := openDB(t)
	rcv := newReceiver(t)
	static := []config.Webhook{hook(rcv.URL)}
	filler, _ := newTestDispatcher(t, db, static)
	for i := range n {
		filler.Dispatch("provider_down", map[string]any{"i": i})
	}
	filler.Close()
	if q, _ := filler.QueueLen(context.Background()); q != n {
		t.Fatalf("queued %d, want %d", q, n)
	}
	runtime.GC()
	var before, peak runtime.MemStats
	runtime.ReadMemStats(&before)
	d, _ := newTestDispatcher(t, db, static, WithWorkers(8))
	start := time.Now()
	d.Start(context.Background())
	for {
		q, err := d.QueueLen(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		runtime.ReadMemStats(&peak)
		if growth := int64(peak.HeapAlloc) - int64(before.HeapAlloc); growth > 64<<20 {
			t.Fatalf("heap grew by %d MiB while draining", growth>>20)
		}
		if q == 0 {
			break
		}
		if time.Since(start) > 2*time.Minute {
			t.Fatalf("still %d queued after 2 minutes", q)
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Logf("drained %d messages in %v (%.0f/s)", n, time.Since(start), n/time.Since(start).Seconds())
	if got := len(rcv.requests()); got != n {
		t.Errorf("receiver got %d, want %d", got, n)
	}
}
