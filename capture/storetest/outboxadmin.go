package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/hooktap/hooktap/capture"
)

var outboxAdminTests = []test{
	{"ListFilters", testListOutbox},
	{"RetryDead", testRetryOutbox},
	{"PurgeDead", testPurgeOutbox},
}

// killOne claims route's entry and settles it dead; it returns the entry.
func killOne(t *testing.T, s capture.Store, route string) capture.OutboxEntry {
	t.Helper()
	c := saveOwing(t, s, route)
	es, err := s.ClaimOutbox(ctx(t), "killer", 100, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range es {
		if e.CaptureID != c.ID {
			if err := s.SettleOutbox(ctx(t), e, "killer", capture.Settlement{Interrupted: true}); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := s.SettleOutbox(ctx(t), e, "killer", capture.Settlement{Dead: true, LastStatus: 500, LastError: "boom"}); err != nil {
			t.Fatal(err)
		}
		return e
	}
	t.Fatalf("the entry of %s was not claimable", c.ID)
	return capture.OutboxEntry{}
}

func entryIDs(es []capture.OutboxEntry) []int64 {
	ids := make([]int64, len(es))
	for i, e := range es {
		ids[i] = e.ID
	}
	return ids
}

func listOutbox(t *testing.T, s capture.Store, f capture.OutboxFilter) []int64 {
	t.Helper()
	es, err := s.ListOutbox(ctx(t), f)
	if err != nil {
		t.Fatalf("ListOutbox(%+v): %v", f, err)
	}
	return entryIDs(es)
}

func testListOutbox(t *testing.T, s capture.Store) {
	d1 := killOne(t, s, "a")
	p1 := saveOwing(t, s, "a")
	d2 := killOne(t, s, "b")
	p2 := saveOwing(t, s, "b")
	pending := func(c *capture.Capture) int64 {
		owed, err := s.OutboxFor(ctx(t), c.ID)
		if err != nil || len(owed) != 1 {
			t.Fatalf("OutboxFor(%s) = %+v, %v", c.ID, owed, err)
		}
		return owed[0].ID
	}
	pa, pb := pending(p1), pending(p2)
	for _, tc := range []struct {
		f    capture.OutboxFilter
		want []int64
	}{
		{capture.OutboxFilter{}, []int64{d1.ID, pa, d2.ID, pb}},
		{capture.OutboxFilter{State: capture.OutboxDead}, []int64{d1.ID, d2.ID}},
		{capture.OutboxFilter{State: capture.OutboxPending}, []int64{pa, pb}},
		{capture.OutboxFilter{Route: "b"}, []int64{d2.ID, pb}},
		{capture.OutboxFilter{Route: "b", State: capture.OutboxDead}, []int64{d2.ID}},
		{capture.OutboxFilter{Route: "nope"}, nil},
		{capture.OutboxFilter{Limit: 2}, []int64{d1.ID, pa}},
	} {
		if got := listOutbox(t, s, tc.f); !slices.Equal(got, tc.want) {
			t.Errorf("ListOutbox(%+v) = %v, want %v (oldest first)", tc.f, got, tc.want)
		}
	}
}

func testRetryOutbox(t *testing.T, s capture.Store) {
	d1 := killOne(t, s, "a")
	d2 := killOne(t, s, "b")
	d3 := killOne(t, s, "c")
	n, err := s.RetryOutbox(ctx(t), d2.ID)
	if err != nil || n != 1 {
		t.Fatalf("RetryOutbox(%d) = %d, %v", d2.ID, n, err)
	}
	e := claimOne(t, s, "w")
	if e.ID != d2.ID || e.Attempts != 0 || e.State != capture.OutboxPending {
		t.Errorf("retried entry claimed as %+v; want %d pending with a fresh attempt count", e, d2.ID)
	}
	n, err = s.RetryOutbox(ctx(t))
	if err != nil || n != 2 {
		t.Fatalf("RetryOutbox() = %d, %v; want the two dead ones", n, err)
	}
	if got := listOutbox(t, s, capture.OutboxFilter{State: capture.OutboxDead}); len(got) != 0 {
		t.Errorf("dead after retrying all: %v", got)
	}
	es, err := s.ClaimOutbox(ctx(t), "w", 10, time.Minute)
	if got := entryIDs(es); err != nil || !slices.Equal(slices.Sorted(slices.Values(got)), []int64{d1.ID, d3.ID}) {
		t.Errorf("claimed after retrying all: %v, %v; want %v", got, err, []int64{d1.ID, d3.ID})
	}
	if n, err := s.RetryOutbox(ctx(t), 1<<40); err != nil || n != 0 {
		t.Errorf("RetryOutbox of an unknown id = %d, %v", n, err)
	}
}

func testPurgeOutbox(t *testing.T, s capture.Store) {
	d1 := killOne(t, s, "a")
	d2 := killOne(t, s, "b")
	p := saveOwing(t, s, "c")
	owed, _ := s.OutboxFor(ctx(t), p.ID)
	if len(owed) != 1 {
		t.Fatalf("pending entry: %+v", owed)
	}
	n, err := s.PurgeOutbox(ctx(t))
	if err != nil || n != 2 {
		t.Fatalf("PurgeOutbox() = %d, %v; want the two dead ones", n, err)
	}
	if got := listOutbox(t, s, capture.OutboxFilter{}); !slices.Equal(got, []int64{owed[0].ID}) {
		t.Errorf("after purging the dead: %v, want only the pending %d", got, owed[0].ID)
	}
	n, err = s.PurgeOutbox(ctx(t), owed[0].ID, d1.ID)
	if err != nil || n != 1 {
		t.Errorf("PurgeOutbox(pending, already purged) = %d, %v; want 1", n, err)
	}
	if es, _ := s.ClaimOutbox(ctx(t), "w", 10, time.Minute); len(es) != 0 {
		t.Errorf("a purged delivery was claimed: %+v", es)
	}
	// The captures stay; only what they owed is gone.
	for _, id := range []string{d1.CaptureID, d2.CaptureID, p.ID} {
		if got := get(t, s, id); len(got.Outbox) != 0 {
			t.Errorf("capture %s still owes %+v", id, got.Outbox)
		}
	}
}
