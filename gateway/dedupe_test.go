package gateway

import (
	"context"
	"testing"
	"time"
)

// TestDeduperReserveCommitRelease is the contract any Deduper keeps (redisstate checks its own
// against the same steps).
func TestDeduperReserveCommitRelease(t *testing.T) {
	d := newMemoryDeduper()
	ctx := context.Background()
	now := time.Unix(1_700_000_000, 0)
	reserve := func(key string, at time.Time) (string, Claim) {
		t.Helper()
		tok, c, err := d.Reserve(ctx, key, time.Minute, at)
		if err != nil {
			t.Fatal(err)
		}
		return tok, c
	}
	tok, c := reserve("k", now)
	if c != Reserved || tok == "" {
		t.Fatalf("first reserve: %v %q", c, tok)
	}
	if _, c := reserve("k", now); c != InFlight {
		t.Fatalf("while held: %v, want InFlight", c)
	}
	_ = d.Release(ctx, "k", "someone-else")
	if _, c := reserve("k", now); c != InFlight {
		t.Fatalf("a stranger's token released the key: %v", c)
	}
	_ = d.Release(ctx, "k", tok)
	tok, c = reserve("k", now)
	if c != Reserved {
		t.Fatalf("after release: %v, want Reserved", c)
	}
	_ = d.Commit(ctx, "k", tok, time.Hour, now)
	if _, c := reserve("k", now.Add(59*time.Minute)); c != Seen {
		t.Fatalf("after commit: %v, want Seen", c)
	}
	if _, c := reserve("k", now.Add(61*time.Minute)); c != Reserved {
		t.Fatalf("after the TTL: %v, want Reserved", c)
	}
	// A holder that died: its lease expires and the id is free again.
	reserve("dead", now)
	if _, c := reserve("dead", now.Add(2*time.Minute)); c != Reserved {
		t.Fatalf("expired lease: %v, want Reserved", c)
	}
}
