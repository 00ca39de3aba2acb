package feed

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/tui/common"
)

func openStore(t *testing.T) *capture.SQLite {
	t.Helper()
	s, err := capture.Open(filepath.Join(t.TempDir(), "hooktap.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func save(t *testing.T, s *capture.SQLite, n int) {
	t.Helper()
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := &capture.Capture{Method: "POST", Path: "/webhooks/x", Route: "x", Status: 200 + i%2}
			if err := s.Save(context.Background(), c); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
}

func TestLoneCaptureArrivesAtOnce(t *testing.T) {
	s := openStore(t)
	f := New(s.Subscribe(64), time.Second)
	save(t, s, 1)
	start := time.Now()
	msg := f.Next()()
	batch, ok := msg.(common.CapturesMsg)
	if !ok || len(batch.Created) != 1 {
		t.Fatalf("got %#v, want one created capture", msg)
	}
	if waited := time.Since(start); waited > 500*time.Millisecond {
		t.Fatalf("a lone capture waited %v for the window", waited)
	}
}

func TestBurstIsCoalesced(t *testing.T) {
	s := openStore(t)
	f := New(s.Subscribe(4096), 50*time.Millisecond)
	const n = 500
	go save(t, s, n)
	got, batches := 0, 0
	deadline := time.After(10 * time.Second)
	for got < n {
		done := make(chan any, 1)
		go func() { done <- f.Next()() }()
		select {
		case msg := <-done:
			got += len(msg.(common.CapturesMsg).Created)
			batches++
		case <-deadline:
			t.Fatalf("only %d of %d captures arrived", got, n)
		}
	}
	// Every capture arrives, in far fewer messages than captures.
	if batches > n/5 {
		t.Fatalf("%d captures came in %d batches; bursts are not coalesced", n, batches)
	}
}

func TestClosedStoreEndsTheFeed(t *testing.T) {
	s := openStore(t)
	f := New(s.Subscribe(8), 0)
	s.Close()
	if _, ok := f.Next()().(ClosedMsg); !ok {
		t.Fatal("a closed subscription must produce ClosedMsg")
	}
}
