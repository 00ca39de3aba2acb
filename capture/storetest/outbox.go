package storetest

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/hooktap/hooktap/capture"
)

var outboxTests = []test{
	{"SaveOwes", testSaveOwes},
	{"ClaimLeases", testClaimLeases},
	{"ConcurrentClaimersNeverShare", testConcurrentClaims},
	{"ExpiredLeaseClaimableAgain", testExpiredLease},
	{"SettleRetryLater", testSettleRetry},
	{"SettleDeadAndDelivered", testSettleDeadDelivered},
	{"SettleInterruptedAndStranger", testSettleInterrupted},
	{"NextDue", testNextDue},
	{"OwnersAndRelease", testOwnersRelease},
}

// saveOwing saves a capture owing one forward delivery on route.
func saveOwing(t *testing.T, s capture.Store, route string) *capture.Capture {
	t.Helper()
	return save(t, s, simple(base, func(c *capture.Capture) {
		c.Route = route
		c.Outbox = []capture.OutboxEntry{{Route: route, Kind: "forward", Target: "http://127.0.0.1:1/" + route, Backup: "http://127.0.0.1:2/b"}}
	}))
}

// claimOne claims everything due for owner and fails unless that is exactly one entry.
func claimOne(t *testing.T, s capture.Store, owner string) capture.OutboxEntry {
	t.Helper()
	es, err := s.ClaimOutbox(ctx(t), owner, 10, time.Minute)
	if err != nil || len(es) != 1 {
		t.Fatalf("ClaimOutbox(%s) = %+v, %v; want one entry", owner, es, err)
	}
	return es[0]
}

// micro is a future instant a store keeping microseconds holds exactly.
func micro(d time.Duration) time.Time { return time.Now().Add(d).Truncate(time.Microsecond) }

func testSaveOwes(t *testing.T, s capture.Store) {
	c := save(t, s, simple(base, func(c *capture.Capture) {
		c.Outbox = []capture.OutboxEntry{
			{Route: "r", Kind: "forward", Target: "http://127.0.0.1:1/a", Backup: "http://127.0.0.1:2/b"},
			{Route: "r", Kind: "slack", Target: "https://hooks.slack.test/x"},
		}
	}))
	plain := save(t, s, simple(base.Add(time.Second), nil))
	owed, err := s.OutboxFor(ctx(t), c.ID)
	if err != nil || len(owed) != 2 {
		t.Fatalf("OutboxFor = %+v, %v; want two entries", owed, err)
	}
	for i, e := range owed {
		w := c.Outbox[i]
		if e.ID == 0 || e.CaptureID != c.ID || e.State != capture.OutboxPending || e.Attempts != 0 ||
			e.Route != w.Route || e.Kind != w.Kind || e.Target != w.Target || e.Backup != w.Backup ||
			e.CreatedAt.IsZero() || e.NextAt.IsZero() || e.LeaseOwner != "" {
			t.Errorf("entry %d = %+v; want a fresh pending %s to %s for %s", i, e, w.Kind, w.Target, c.ID)
		}
	}
	if owed[0].ID == owed[1].ID {
		t.Errorf("two entries share id %d", owed[0].ID)
	}
	if got := get(t, s, c.ID); len(got.Outbox) != 2 || !sameValue(got.Outbox, owed) {
		t.Errorf("Get's Outbox %+v, want %+v", got.Outbox, owed)
	}
	if none, err := s.OutboxFor(ctx(t), plain.ID); err != nil || len(none) != 0 {
		t.Errorf("OutboxFor a capture owing nothing = %+v, %v", none, err)
	}
	if listed, err := s.ListOutbox(ctx(t), capture.OutboxFilter{State: capture.OutboxPending}); err != nil || !sameValue(listed, owed) {
		t.Errorf("ListOutbox pending = %+v, %v; want %+v", listed, err, owed)
	}
}

func testClaimLeases(t *testing.T, s capture.Store) {
	for _, r := range []string{"a", "b", "c"} {
		saveOwing(t, s, r)
	}
	before := time.Now()
	got, err := s.ClaimOutbox(ctx(t), "w1", 2, time.Minute)
	if err != nil || len(got) != 2 {
		t.Fatalf("claim 2 of 3: %+v, %v", got, err)
	}
	for _, e := range got {
		if e.LeaseOwner != "w1" || e.LeaseUntil.Before(before.Add(50*time.Second)) || e.State != capture.OutboxPending {
			t.Errorf("claimed entry %+v; want leased to w1 for a minute", e)
		}
	}
	rest, err := s.ClaimOutbox(ctx(t), "w2", 10, time.Minute)
	if err != nil || len(rest) != 1 || rest[0].LeaseOwner != "w2" {
		t.Fatalf("second claimer got %+v, %v; want the one entry left", rest, err)
	}
	if slices.ContainsFunc(got, func(e capture.OutboxEntry) bool { return e.ID == rest[0].ID }) {
		t.Errorf("entry %d leased to both claimers", rest[0].ID)
	}
	if none, err := s.ClaimOutbox(ctx(t), "w3", 10, time.Minute); err != nil || len(none) != 0 {
		t.Errorf("third claimer got %+v, %v; every entry is leased", none, err)
	}
	listed, err := s.ListOutbox(ctx(t), capture.OutboxFilter{})
	if err != nil || len(listed) != 3 {
		t.Fatalf("ListOutbox = %+v, %v", listed, err)
	}
	for _, e := range listed {
		if e.LeaseOwner != "w1" && e.LeaseOwner != "w2" {
			t.Errorf("listed entry %d has lease owner %q", e.ID, e.LeaseOwner)
		}
	}
}

func testConcurrentClaims(t *testing.T, s capture.Store) {
	const entries, claimers = 40, 4
	for range entries {
		saveOwing(t, s, "r")
	}
	var mu sync.Mutex
	seen := map[int64]string{}
	var wg sync.WaitGroup
	errs := make(chan error, claimers)
	for w := range claimers {
		owner := string(rune('a' + w))
		wg.Go(func() {
			// Every claim that is not empty takes a new entry, so entries rounds are enough;
			// the bound keeps a store that hands entries out twice from looping forever.
			for range entries {
				es, err := s.ClaimOutbox(ctx(t), owner, 3, time.Minute)
				if err != nil {
					errs <- err
					return
				}
				if len(es) == 0 {
					return
				}
				mu.Lock()
				for _, e := range es {
					if prev, dup := seen[e.ID]; dup {
						mu.Unlock()
						errs <- fmt.Errorf("entry %d claimed by %s and again by %s", e.ID, prev, owner)
						return
					}
					seen[e.ID] = owner
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if len(seen) != entries {
		t.Errorf("claimed %d distinct entries, want all %d", len(seen), entries)
	}
}

func testExpiredLease(t *testing.T, s capture.Store) {
	saveOwing(t, s, "r")
	es, err := s.ClaimOutbox(ctx(t), "dead", 10, 20*time.Millisecond)
	if err != nil || len(es) != 1 {
		t.Fatalf("claim: %+v, %v", es, err)
	}
	var again []capture.OutboxEntry
	eventually(t, "an entry whose lease ran out was never claimable again", func() bool {
		again, err = s.ClaimOutbox(ctx(t), "alive", 10, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		return len(again) > 0
	})
	if len(again) != 1 || again[0].ID != es[0].ID || again[0].LeaseOwner != "alive" {
		t.Errorf("claimed after expiry: %+v, want entry %d leased to alive", again, es[0].ID)
	}
	// The dead owner's late settlement no longer counts.
	if err := s.SettleOutbox(ctx(t), es[0], "dead", capture.Settlement{Delivered: true}); err != nil {
		t.Fatal(err)
	}
	if owed, _ := s.OutboxFor(ctx(t), es[0].CaptureID); len(owed) != 1 || owed[0].LeaseOwner != "alive" {
		t.Errorf("after a stale owner settled: %+v; want the entry still held by alive", owed)
	}
}

func testSettleRetry(t *testing.T, s capture.Store) {
	c := saveOwing(t, s, "r")
	e := claimOne(t, s, "w1")
	nextAt := micro(time.Hour)
	fail := capture.Delivery{Target: e.Target, Status: 503, Error: "unavailable", Attempt: 1, Duration: 5 * time.Millisecond}
	st := capture.Settlement{Attempts: []capture.Delivery{fail}, NextAt: nextAt, LastStatus: 503, LastError: "unavailable"}
	if err := s.SettleOutbox(ctx(t), e, "w1", st); err != nil {
		t.Fatal(err)
	}
	owed, err := s.OutboxFor(ctx(t), c.ID)
	if err != nil || len(owed) != 1 {
		t.Fatalf("OutboxFor = %+v, %v", owed, err)
	}
	if o := owed[0]; o.State != capture.OutboxPending || o.Attempts != 1 || o.LastStatus != 503 ||
		o.LastError != "unavailable" || !o.NextAt.Equal(nextAt) || o.LeaseOwner != "" {
		t.Errorf("after a failed attempt: %+v; want pending, 1 attempt, 503, due %v, no lease", o, nextAt)
	}
	if got := get(t, s, c.ID); len(got.Deliveries) != 1 || !sameValue(got.Deliveries[0], fail) {
		t.Errorf("the attempt on the capture: %+v, want [%+v]", got.Deliveries, fail)
	}
	if es, err := s.ClaimOutbox(ctx(t), "w2", 10, time.Minute); err != nil || len(es) != 0 {
		t.Errorf("claimed before it is due: %+v, %v", es, err)
	}
	if due, err := s.NextOutboxDue(ctx(t)); err != nil || !due.Equal(nextAt) {
		t.Errorf("NextOutboxDue = %v, %v; want %v", due, err, nextAt)
	}
}

func testSettleDeadDelivered(t *testing.T, s capture.Store) {
	dead := saveOwing(t, s, "dead")
	done := saveOwing(t, s, "done")
	es, err := s.ClaimOutbox(ctx(t), "w", 10, time.Minute)
	if err != nil || len(es) != 2 {
		t.Fatalf("claim: %+v, %v", es, err)
	}
	for _, e := range es {
		st := capture.Settlement{Delivered: true, Attempts: []capture.Delivery{{Target: e.Target, Status: 200, Attempt: 1}}}
		if e.CaptureID == dead.ID {
			st = capture.Settlement{Dead: true, LastStatus: 410, LastError: "gone",
				Attempts: []capture.Delivery{{Target: e.Target, Status: 410, Attempt: 1}}}
		}
		if err := s.SettleOutbox(ctx(t), e, "w", st); err != nil {
			t.Fatal(err)
		}
	}
	if owed, err := s.OutboxFor(ctx(t), done.ID); err != nil || len(owed) != 0 {
		t.Errorf("a delivered entry is still owed: %+v, %v", owed, err)
	}
	if got := get(t, s, done.ID); len(got.Deliveries) != 1 || got.Deliveries[0].Status != 200 || len(got.Outbox) != 0 {
		t.Errorf("delivered capture: deliveries %+v, outbox %+v", got.Deliveries, got.Outbox)
	}
	owed, err := s.OutboxFor(ctx(t), dead.ID)
	if err != nil || len(owed) != 1 || owed[0].State != capture.OutboxDead || owed[0].Attempts != 1 ||
		owed[0].LastStatus != 410 || owed[0].LastError != "gone" || owed[0].LeaseOwner != "" {
		t.Fatalf("dead entry: %+v, %v", owed, err)
	}
	if got := get(t, s, dead.ID); len(got.Outbox) != 1 || got.Outbox[0].State != capture.OutboxDead {
		t.Errorf("Get's Outbox keeps the dead entry: %+v", got.Outbox)
	}
	if es, _ := s.ClaimOutbox(ctx(t), "w", 10, time.Minute); len(es) != 0 {
		t.Errorf("a dead entry was claimed: %+v", es)
	}
	if due, err := s.NextOutboxDue(ctx(t)); err != nil || !due.IsZero() {
		t.Errorf("NextOutboxDue with nothing pending = %v, %v; want zero", due, err)
	}
}

func testSettleInterrupted(t *testing.T, s capture.Store) {
	c := saveOwing(t, s, "r")
	e := claimOne(t, s, "w1")
	// Someone else's settlement changes nothing.
	if err := s.SettleOutbox(ctx(t), e, "stranger", capture.Settlement{Delivered: true}); err != nil {
		t.Fatal(err)
	}
	if owed, _ := s.OutboxFor(ctx(t), c.ID); len(owed) != 1 || owed[0].LeaseOwner != "w1" {
		t.Fatalf("a stranger's settlement changed the entry: %+v", owed)
	}
	if err := s.SettleOutbox(ctx(t), e, "w1", capture.Settlement{Interrupted: true}); err != nil {
		t.Fatal(err)
	}
	again := claimOne(t, s, "w2")
	if again.ID != e.ID || again.Attempts != 0 {
		t.Errorf("after an interruption: %+v; want entry %d back with no attempt counted", again, e.ID)
	}
}

func testNextDue(t *testing.T, s capture.Store) {
	if due, err := s.NextOutboxDue(ctx(t)); err != nil || !due.IsZero() {
		t.Fatalf("NextOutboxDue on an empty outbox = %v, %v", due, err)
	}
	later, sooner := micro(2*time.Hour), micro(time.Hour)
	for _, at := range []time.Time{later, sooner} {
		save(t, s, simple(base, func(c *capture.Capture) {
			c.Outbox = []capture.OutboxEntry{{Route: "r", Kind: "forward", Target: "http://127.0.0.1:1/", NextAt: at}}
		}))
	}
	if due, err := s.NextOutboxDue(ctx(t)); err != nil || !due.Equal(sooner) {
		t.Errorf("NextOutboxDue = %v, %v; want the earlier %v", due, err, sooner)
	}
	if es, err := s.ClaimOutbox(ctx(t), "w", 10, time.Minute); err != nil || len(es) != 0 {
		t.Errorf("claimed entries not yet due: %+v, %v", es, err)
	}
	saveOwing(t, s, "now")
	due, err := s.NextOutboxDue(ctx(t))
	if err != nil || due.After(time.Now()) {
		t.Errorf("NextOutboxDue with an entry due now = %v, %v", due, err)
	}
	claimOne(t, s, "w")
	if due, err := s.NextOutboxDue(ctx(t)); err != nil || !due.Equal(sooner) {
		t.Errorf("NextOutboxDue once the due entry is leased = %v, %v; want %v", due, err, sooner)
	}
}

func testOwnersRelease(t *testing.T, s capture.Store) {
	for _, r := range []string{"a", "b", "c"} {
		saveOwing(t, s, r)
	}
	if owners, err := s.OutboxOwners(ctx(t)); err != nil || len(owners) != 0 {
		t.Fatalf("OutboxOwners before any claim = %v, %v", owners, err)
	}
	if es, err := s.ClaimOutbox(ctx(t), "i-1", 2, time.Minute); err != nil || len(es) != 2 {
		t.Fatalf("claim: %+v, %v", es, err)
	}
	claimOne(t, s, "i-2")
	owners, err := s.OutboxOwners(ctx(t))
	if slices.Sort(owners); err != nil || !slices.Equal(owners, []string{"i-1", "i-2"}) {
		t.Fatalf("OutboxOwners = %v, %v; want [i-1 i-2]", owners, err)
	}
	n, err := s.ReleaseOutboxOwner(ctx(t), "i-1")
	if err != nil || n != 2 {
		t.Fatalf("ReleaseOutboxOwner = %d, %v; want 2", n, err)
	}
	if owners, _ := s.OutboxOwners(ctx(t)); !slices.Equal(owners, []string{"i-2"}) {
		t.Errorf("OutboxOwners after release = %v", owners)
	}
	es, err := s.ClaimOutbox(ctx(t), "i-3", 10, time.Minute)
	if err != nil || len(es) != 2 {
		t.Errorf("claim after release: %+v, %v; want the two released entries", es, err)
	}
	if n, err := s.ReleaseOutboxOwner(ctx(t), "nobody"); err != nil || n != 0 {
		t.Errorf("releasing an owner holding nothing = %d, %v", n, err)
	}
}
