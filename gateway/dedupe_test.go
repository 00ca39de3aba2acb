package gateway

import (
	"context"
	"fmt"
	"runtime"
	"strconv"
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

// commitID reserves and commits key on d at now, as a request answered 2xx does.
func commitID(t testing.TB, d *memoryDeduper, key string, ttl time.Duration, now time.Time) {
	t.Helper()
	tok, c, err := d.Reserve(context.Background(), key, time.Minute, now)
	if err != nil || c != Reserved {
		t.Fatalf("reserve %s: %v %v", key, c, err)
	}
	if err := d.Commit(context.Background(), key, tok, ttl, now); err != nil {
		t.Fatal(err)
	}
}

func claimOf(t *testing.T, d *memoryDeduper, key string, now time.Time) Claim {
	t.Helper()
	_, c, err := d.Reserve(context.Background(), key, time.Minute, now)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestDeduperForgetsOldestPastItsBound: past the bound the ids committed longest ago are
// forgotten, however long their TTL, and no shard holds more than its share.
func TestDeduperForgetsOldestPastItsBound(t *testing.T) {
	d := newBoundedDeduper(2 * dedupeShards)
	now := time.Unix(1_700_000_000, 0)
	for i := range 1000 {
		commitID(t, d, fmt.Sprintf("gh/%d", i), time.Hour, now)
	}
	for i := range d.shards {
		s := &d.shards[i]
		if n := len(s.seen) + len(s.older); n > 2 {
			t.Fatalf("shard %d holds %d ids, bound 2", i, n)
		}
	}
	if c := claimOf(t, d, "gh/999", now); c != Seen {
		t.Fatalf("newest id: %v, want Seen", c)
	}
	if c := claimOf(t, d, "gh/0", now); c != Reserved {
		t.Fatalf("oldest id past the bound: %v, want Reserved (forgotten)", c)
	}
}

// TestDeduperKeepsNewestHalf: with one id per generation, the id committed just before the newest
// is still seen (previous generation) and the one before that is not.
func TestDeduperKeepsNewestHalf(t *testing.T) {
	d := newBoundedDeduper(2 * dedupeShards)
	now := time.Unix(1_700_000_000, 0)
	s := &d.shards[0]
	var keys []string
	for i := 0; len(keys) < 3; i++ { // three keys of shard 0, committed in order
		k := fmt.Sprintf("gh/%d", i)
		if sh, _ := d.locate(k); sh == s {
			keys = append(keys, k)
			commitID(t, d, k, time.Hour, now)
		}
	}
	for i, want := range []Claim{Reserved, Seen, Seen} {
		if c := claimOf(t, d, keys[i], now); c != want {
			t.Fatalf("id %d of 3: %v, want %v", i+1, c, want)
		}
	}
}

// TestDeduperMemoryIsBounded: a flood of distinct delivery ids, each answered 2xx, holds the
// deduper's memory to its bound instead of growing with every request of the TTL (keeping every
// key held about 145 bytes per id: 43 MB here).
func TestDeduperMemoryIsBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("commits 300 000 ids")
	}
	const ids = 300_000
	before := liveHeap()
	d := newMemoryDeduper()
	now := time.Unix(1_700_000_000, 0)
	for i := range ids {
		commitID(t, d, "github/72d3162e-cc78-11e3-81ab-4c9367dc"+strconv.Itoa(i), time.Hour, now)
	}
	grown := liveHeap() - before
	runtime.KeepAlive(d)
	if limit := uint64(dedupeMaxSeen * 50); grown > limit {
		t.Fatalf("%d ids committed: the deduper holds %.1f MB, bound %.1f MB", ids, float64(grown)/1e6, float64(limit)/1e6)
	}
	t.Logf("%d ids committed: the deduper holds %.1f MB", ids, float64(grown)/1e6)
}

// liveHeap is the heap in use after a full collection.
func liveHeap() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// BenchmarkDeduperReserveCommit is the in-memory deduper's share of a request answered 2xx: a new
// delivery id reserved and committed (run it with -benchtime 400000x to pass the bound).
func BenchmarkDeduperReserveCommit(b *testing.B) {
	d := newMemoryDeduper()
	now := time.Unix(1_700_000_000, 0)
	keys := make([]string, b.N)
	for i := range keys {
		keys[i] = "github/72d3162e-cc78-11e3-81ab-4c9367dc" + strconv.Itoa(i)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for _, k := range keys {
		commitID(b, d, k, time.Hour, now)
	}
}
