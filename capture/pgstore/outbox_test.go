package pgstore

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/hooktap/hooktap/capture"
)

type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func saveOwing(t *testing.T, s *Store, n int) []string {
	t.Helper()
	var ids []string
	for i := range n {
		c := &capture.Capture{Method: "POST", Route: "fwd", Body: []byte(`{"a":1}`),
			Outbox: []capture.OutboxEntry{{Route: "fwd", Kind: "forward", Target: fmt.Sprintf("http://127.0.0.1:1/%d", i),
				Backup: "http://127.0.0.1:2/b"}}}
		if err := s.Save(context.Background(), c); err != nil {
			t.Fatal(err)
		}
		if c.Outbox[0].ID == 0 || c.Outbox[0].CaptureID != c.ID {
			t.Fatalf("saved entry not filled in: %+v", c.Outbox[0])
		}
		ids = append(ids, c.ID)
	}
	return ids
}

// Two instances claiming the same table at once never get the same entry, and together they
// get every one.
func TestTwoClaimersNeverShareAnEntry(t *testing.T) {
	clock := &testClock{t: time.Unix(1_700_000_000, 0)}
	a, u := openTest(t, capture.WithClock(clock.now))
	b := openURL(t, u, capture.WithClock(clock.now))
	saveOwing(t, a, 200)
	ctx := context.Background()
	var mu sync.Mutex
	seen := map[int64]string{}
	var wg sync.WaitGroup
	for w, s := range []*Store{a, b, a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			owner := fmt.Sprintf("w%d", w)
			for {
				got, err := s.ClaimOutbox(ctx, owner, 7, time.Minute)
				if err != nil {
					t.Error(err)
					return
				}
				if len(got) == 0 {
					return
				}
				mu.Lock()
				for _, e := range got {
					if prev, dup := seen[e.ID]; dup {
						t.Errorf("entry %d claimed by %s and %s", e.ID, prev, owner)
					}
					seen[e.ID] = owner
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(seen) != 200 {
		t.Fatalf("%d of 200 entries claimed", len(seen))
	}
}

// A dead owner's leases come back when they expire, or at once when it is released; its late
// settlement then changes nothing.
func TestDeadOwnersLeasesAreTakenOver(t *testing.T) {
	clock := &testClock{t: time.Unix(1_700_000_000, 0)}
	s, _ := openTest(t, capture.WithClock(clock.now))
	ctx := context.Background()
	ids := saveOwing(t, s, 2)
	dead, err := s.ClaimOutbox(ctx, "dead", 10, 45*time.Second)
	if err != nil || len(dead) != 2 || dead[0].CaptureID != ids[0] {
		t.Fatalf("claim: %+v, %v", dead, err)
	}
	if owners, _ := s.OutboxOwners(ctx); len(owners) != 1 || owners[0] != "dead" {
		t.Fatalf("owners = %v", owners)
	}
	if got, _ := s.ClaimOutbox(ctx, "alive", 10, time.Minute); len(got) != 0 {
		t.Fatalf("a live lease was taken: %+v", got)
	}
	if n, err := s.ExtendOutboxLeases(ctx, "dead", 45*time.Second); err != nil || n != 2 {
		t.Fatalf("extend: %d, %v", n, err)
	}
	if n, err := s.ReleaseOutboxOwner(ctx, "dead"); err != nil || n != 2 {
		t.Fatalf("release: %d, %v", n, err)
	}
	alive, _ := s.ClaimOutbox(ctx, "alive", 1, time.Minute)
	if len(alive) != 1 {
		t.Fatalf("released entry not claimable: %+v", alive)
	}
	clock.add(61 * time.Second) // alive dies too: its lease expires
	taken, _ := s.ClaimOutbox(ctx, "third", 10, time.Minute)
	if len(taken) != 2 {
		t.Fatalf("expired lease not taken over: %+v", taken)
	}
	if err := s.SettleOutbox(ctx, alive[0], "alive", capture.Settlement{Delivered: true}); err != nil {
		t.Fatal(err)
	}
	if left, _ := s.ListOutbox(ctx, capture.OutboxFilter{}); len(left) != 2 || left[0].LeaseOwner != "third" {
		t.Fatalf("a stale owner's settlement changed the outbox: %+v", left)
	}
}

func TestOutboxSettleRetryPurge(t *testing.T) {
	clock := &testClock{t: time.Unix(1_700_000_000, 0)}
	s, _ := openTest(t, capture.WithClock(clock.now))
	ctx := context.Background()
	ids := saveOwing(t, s, 1)
	got, err := s.Get(ctx, ids[0])
	if err != nil || len(got.Outbox) != 1 || got.Outbox[0].State != capture.OutboxPending || got.Outbox[0].Backup != "http://127.0.0.1:2/b" {
		t.Fatalf("saved capture's outbox: %+v, %v", got.Outbox, err)
	}
	first, _ := s.ClaimOutbox(ctx, "w1", 10, time.Minute)
	fail := capture.Settlement{Attempts: []capture.Delivery{{Target: "forward", Error: "refused\x00", Attempt: 1}},
		LastStatus: 502, LastError: "bad \xff gateway", NextAt: clock.t.Add(time.Second)}
	if err := s.SettleOutbox(ctx, first[0], "w1", fail); err != nil {
		t.Fatal(err)
	}
	if due, _ := s.NextOutboxDue(ctx); !due.Equal(clock.t.Add(time.Second)) {
		t.Fatalf("next due %v", due)
	}
	if early, _ := s.ClaimOutbox(ctx, "w2", 10, time.Minute); len(early) != 0 {
		t.Fatalf("claimed before due: %+v", early)
	}
	clock.add(2 * time.Second)
	second, _ := s.ClaimOutbox(ctx, "w2", 10, time.Minute)
	if len(second) != 1 || second[0].Attempts != 1 || second[0].LastError != fail.LastError || second[0].LastStatus != 502 {
		t.Fatalf("second claim: %+v", second)
	}
	if err := s.SettleOutbox(ctx, second[0], "w2", capture.Settlement{Dead: true, LastError: "gave up"}); err != nil {
		t.Fatal(err)
	}
	dead, _ := s.ListOutbox(ctx, capture.OutboxFilter{State: capture.OutboxDead, Route: "fwd"})
	if len(dead) != 1 || dead[0].Attempts != 2 {
		t.Fatalf("dead: %+v", dead)
	}
	if due, _ := s.NextOutboxDue(ctx); !due.IsZero() {
		t.Fatalf("next due with nothing pending: %v", due)
	}
	if n, err := s.RetryOutbox(ctx); err != nil || n != 1 {
		t.Fatalf("retry: %d, %v", n, err)
	}
	if n, err := s.PurgeOutbox(ctx, dead[0].ID); err != nil || n != 1 {
		t.Fatalf("purge: %d, %v", n, err)
	}
	got, _ = s.Get(ctx, ids[0])
	if len(got.Outbox) != 0 || len(got.Deliveries) != 1 || got.Deliveries[0].Error != "refused\x00" {
		t.Fatalf("after purge: outbox %+v, deliveries %+v", got.Outbox, got.Deliveries)
	}
}

// Retention never deletes a capture that still owes a delivery; Clear does.
func TestRetentionKeepsOwingCaptures(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	owing := saveOwing(t, s, 1)[0]
	seed(t, s, 20, nil)
	if n, err := s.Prune(ctx, 0, 5); err != nil || n != 15 {
		t.Fatalf("pruned %d, %v; want 15", n, err)
	}
	if _, err := s.Get(ctx, owing); err != nil {
		t.Fatalf("the owing capture was pruned: %v", err)
	}
	if n, err := s.Prune(ctx, time.Nanosecond, 0); err != nil || n != 5 {
		t.Fatalf("pruned by age %d, %v; want 5", n, err)
	}
	if n, err := s.Clear(ctx); err != nil || n != 1 {
		t.Fatalf("cleared %d, %v", n, err)
	}
	if left, _ := s.ListOutbox(ctx, capture.OutboxFilter{}); len(left) != 0 {
		t.Fatalf("outbox after clear: %+v", left)
	}
}

func TestRetentionByBytes(t *testing.T) {
	s, _ := openTest(t, capture.WithMaxBytes(20_000))
	ctx := context.Background()
	seed(t, s, 30, func(_ int, c *capture.Capture) { c.Body = make([]byte, 1000) })
	if n, err := s.pruneToBytes(ctx, 20_000); err != nil || n == 0 {
		t.Fatalf("pruned %d, %v", n, err)
	}
	var kept int64
	if err := s.pool.QueryRow(ctx, `SELECT coalesce(sum(`+storedBytes+`), 0) FROM captures`).Scan(&kept); err != nil || kept > 20_000 {
		t.Fatalf("kept %d bytes, %v", kept, err)
	}
	page, _ := s.List(ctx, capture.Filter{Limit: 1})
	if n, _ := s.Count(ctx, capture.Filter{}); n < 8 || page.Captures[0].Path != "/hook/29" {
		t.Fatalf("kept %d captures, newest %s", n, page.Captures[0].Path)
	}
}
