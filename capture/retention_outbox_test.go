package capture

import (
	"context"
	"errors"
	"testing"
)

// A capture answered 2xx with a delivery still owed must outlive retention until the outbox is
// done with it: deleting it would cascade the entry away and lose an acknowledged delivery.
func TestRetentionKeepsCapturesWithPendingDeliveries(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	owed := &Capture{Method: "POST", Route: "fwd", Body: []byte(`{"owed":true}`), Status: 202,
		Outbox: []OutboxEntry{{Route: "fwd", Kind: "forward", Target: "http://127.0.0.1:1/hook"}}}
	if err := s.Save(ctx, owed); err != nil {
		t.Fatal(err)
	}
	var plain []string
	for range 20 {
		c := &Capture{Method: "POST", Route: "fwd", Body: []byte(`{}`), Status: 200}
		if err := s.Save(ctx, c); err != nil {
			t.Fatal(err)
		}
		plain = append(plain, c.ID)
	}
	if _, err := s.Prune(ctx, 0, 5); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(ctx, owed.ID); err != nil {
		t.Fatalf("the capture owing a delivery was pruned: %v", err)
	}
	entries, err := s.ListOutbox(ctx, OutboxFilter{State: OutboxPending})
	if err != nil || len(entries) != 1 || entries[0].CaptureID != owed.ID {
		t.Fatalf("pending outbox after retention: %+v, %v", entries, err)
	}
	if _, err := s.Get(ctx, plain[0]); !errors.Is(err, ErrNotFound) {
		t.Fatalf("the oldest capture owing nothing survived retention: %v", err)
	}
	for _, id := range plain[len(plain)-5:] {
		if _, err := s.Get(ctx, id); err != nil {
			t.Fatalf("one of the newest 5 was pruned: %v", err)
		}
	}

	// Once the delivery is given up, the capture is ordinary again.
	if _, err := s.db.ExecContext(ctx, `UPDATE outbox SET state = 'dead'`); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Prune(ctx, 0, 5); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(ctx, owed.ID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("a capture whose delivery is dead is still kept past retention: %v", err)
	}
}
