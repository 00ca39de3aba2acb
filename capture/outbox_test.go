package capture

import (
	"context"
	"testing"
	"time"
)

func saveOwing(t *testing.T, s *SQLite, target string) *Capture {
	t.Helper()
	c := &Capture{Method: "POST", Route: "fwd", Body: []byte(`{"a":1}`),
		Outbox: []OutboxEntry{{Route: "fwd", Kind: "forward", Target: target, Backup: "http://127.0.0.1:2/b"}}}
	if err := s.Save(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	return c
}

// The capture and what it owes commit together; a claim leases an entry to one owner only.
func TestOutboxClaimSettle(t *testing.T) {
	clock := &testClock{t: time.Unix(1_700_000_000, 0)}
	s := openTest(t, WithClock(clock.now))
	ctx := context.Background()
	c := saveOwing(t, s, "http://127.0.0.1:1/a")
	got, err := s.Get(ctx, c.ID)
	if err != nil || len(got.Outbox) != 1 || got.Outbox[0].State != OutboxPending || got.Outbox[0].Backup != "http://127.0.0.1:2/b" {
		t.Fatalf("saved capture's outbox: %+v, %v", got.Outbox, err)
	}
	first, err := s.ClaimOutbox(ctx, "w1", 10, time.Minute)
	if err != nil || len(first) != 1 || first[0].LeaseOwner != "w1" {
		t.Fatalf("claim: %+v, %v", first, err)
	}
	if again, _ := s.ClaimOutbox(ctx, "w2", 10, time.Minute); len(again) != 0 {
		t.Fatalf("a leased entry was claimed twice: %+v", again)
	}
	// A failed attempt reschedules it; a stranger's settlement changes nothing.
	fail := Settlement{Attempts: []Delivery{{Target: "http://127.0.0.1:1/a", Error: "refused", Attempt: 1}},
		LastError: "refused", NextAt: clock.t.Add(time.Second)}
	if err := s.SettleOutbox(ctx, first[0], "w2", Settlement{Delivered: true}); err != nil {
		t.Fatal(err)
	}
	if err := s.SettleOutbox(ctx, first[0], "w1", fail); err != nil {
		t.Fatal(err)
	}
	if due, _ := s.ClaimOutbox(ctx, "w2", 10, time.Minute); len(due) != 0 {
		t.Fatalf("claimed before its next attempt is due: %+v", due)
	}
	clock.t = clock.t.Add(2 * time.Second)
	second, _ := s.ClaimOutbox(ctx, "w2", 10, time.Minute)
	if len(second) != 1 || second[0].Attempts != 1 || second[0].LastError != "refused" {
		t.Fatalf("second claim: %+v", second)
	}
	if err := s.SettleOutbox(ctx, second[0], "w2", Settlement{Delivered: true,
		Attempts: []Delivery{{Target: "http://127.0.0.1:1/a", Status: 200, Attempt: 2}}}); err != nil {
		t.Fatal(err)
	}
	got, _ = s.Get(ctx, c.ID)
	if len(got.Outbox) != 0 || len(got.Deliveries) != 2 {
		t.Fatalf("after delivery: outbox %+v, deliveries %+v", got.Outbox, got.Deliveries)
	}
}

// A dead process's lease expires: its entries come back; dead letters are retried and purged.
func TestOutboxLeaseExpiryRetryPurge(t *testing.T) {
	clock := &testClock{t: time.Unix(1_700_000_000, 0)}
	s := openTest(t, WithClock(clock.now))
	ctx := context.Background()
	saveOwing(t, s, "http://127.0.0.1:1/a")
	if got, _ := s.ClaimOutbox(ctx, "crashed", 1, time.Minute); len(got) != 1 {
		t.Fatal("nothing to claim")
	}
	clock.t = clock.t.Add(61 * time.Second)
	got, _ := s.ClaimOutbox(ctx, "next", 1, time.Minute)
	if len(got) != 1 {
		t.Fatal("an expired lease was not claimable")
	}
	if err := s.SettleOutbox(ctx, got[0], "next", Settlement{Dead: true, LastStatus: 404}); err != nil {
		t.Fatal(err)
	}
	dead, _ := s.ListOutbox(ctx, OutboxFilter{State: OutboxDead})
	if len(dead) != 1 || dead[0].LastStatus != 404 {
		t.Fatalf("dead letters: %+v", dead)
	}
	if n, err := s.RetryOutbox(ctx); err != nil || n != 1 {
		t.Fatalf("retry --all: %d, %v", n, err)
	}
	if got, _ := s.ClaimOutbox(ctx, "next", 1, time.Minute); len(got) != 1 || got[0].Attempts != 0 {
		t.Fatalf("retried entry: %+v", got)
	}
	saveOwing(t, s, "http://127.0.0.1:1/c")
	if n, _ := s.PurgeOutbox(ctx); n != 0 {
		t.Fatalf("purge --all removed %d pending entries", n)
	}
	all, _ := s.ListOutbox(ctx, OutboxFilter{})
	if n, _ := s.PurgeOutbox(ctx, all[0].ID, all[1].ID); n != 2 {
		t.Fatalf("purge by id removed %d, want 2", n)
	}
}

// A renewed lease keeps its entry from other claimers; once renewal stops it expires.
func TestOutboxLeaseRenewal(t *testing.T) {
	clock := &testClock{t: time.Unix(1_700_000_000, 0)}
	s := openTest(t, WithClock(clock.now))
	ctx := context.Background()
	saveOwing(t, s, "http://127.0.0.1:1/a")
	if got, _ := s.ClaimOutbox(ctx, "alive", 1, time.Minute); len(got) != 1 {
		t.Fatal("nothing to claim")
	}
	clock.t = clock.t.Add(50 * time.Second)
	if n, err := s.ExtendOutboxLeases(ctx, "alive", time.Minute); err != nil || n != 1 {
		t.Fatalf("extend: %d, %v", n, err)
	}
	clock.t = clock.t.Add(50 * time.Second) // past the first lease, inside the renewed one
	if got, _ := s.ClaimOutbox(ctx, "other", 1, time.Minute); len(got) != 0 {
		t.Fatalf("a renewed lease was claimed by another owner: %+v", got)
	}
	if n, _ := s.ExtendOutboxLeases(ctx, "other", time.Minute); n != 0 {
		t.Fatalf("extending an owner that holds nothing changed %d entries", n)
	}
	clock.t = clock.t.Add(11 * time.Second)
	if got, _ := s.ClaimOutbox(ctx, "other", 1, time.Minute); len(got) != 1 {
		t.Fatal("the lease did not expire once renewal stopped")
	}
}

// A capture pruned by retention takes what it owed with it.
func TestOutboxFollowsRetention(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	c := saveOwing(t, s, "http://127.0.0.1:1/a")
	if _, err := s.Clear(ctx); err != nil {
		t.Fatal(err)
	}
	if left, _ := s.OutboxFor(ctx, c.ID); len(left) != 0 {
		t.Fatalf("outbox entries outlived their capture: %+v", left)
	}
}
