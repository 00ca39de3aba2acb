package gateway

import (
	"testing"
	"time"
)

// TestDeduperReserveCommitRelease is the contract any Deduper keeps (a shared one too).
func TestDeduperReserveCommitRelease(t *testing.T) {
	d := newMemoryDeduper()
	now := time.Unix(1_700_000_000, 0)
	tok, c := d.Reserve("k", time.Minute, now)
	if c != Reserved || tok == "" {
		t.Fatalf("first reserve: %v %q", c, tok)
	}
	if _, c := d.Reserve("k", time.Minute, now); c != InFlight {
		t.Fatalf("while held: %v, want InFlight", c)
	}
	d.Release("k", "someone-else")
	if _, c := d.Reserve("k", time.Minute, now); c != InFlight {
		t.Fatalf("a stranger's token released the key: %v", c)
	}
	d.Release("k", tok)
	tok, c = d.Reserve("k", time.Minute, now)
	if c != Reserved {
		t.Fatalf("after release: %v, want Reserved", c)
	}
	d.Commit("k", tok, time.Hour, now)
	if _, c := d.Reserve("k", time.Minute, now.Add(59*time.Minute)); c != Seen {
		t.Fatalf("after commit: %v, want Seen", c)
	}
	if _, c := d.Reserve("k", time.Minute, now.Add(61*time.Minute)); c != Reserved {
		t.Fatalf("after the TTL: %v, want Reserved", c)
	}
	// A holder that died: its lease expires and the id is free again.
	d.Reserve("dead", time.Minute, now)
	if _, c := d.Reserve("dead", time.Minute, now.Add(2*time.Minute)); c != Reserved {
		t.Fatalf("expired lease: %v, want Reserved", c)
	}
}
