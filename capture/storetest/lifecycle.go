package storetest

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/hooktap/hooktap/capture"
)

var lifecycleTests = []test{
	{"PruneByAge", testPruneAge},
	{"PruneByCount", testPruneCount},
	{"PruneKeepsOwed", testPruneOwed},
	{"Clear", testClear},
	{"PingAndLocation", testPing},
	{"Close", testClose},
}

func allIDs(t *testing.T, s capture.Store) []string {
	t.Helper()
	ids, _ := listIDs(t, s, capture.Filter{Limit: 1000})
	return ids
}

func testPruneAge(t *testing.T, s capture.Store) {
	old := time.Now().Add(-48 * time.Hour)
	var olds []string
	for i := range 3 {
		olds = append(olds, save(t, s, simple(old.Add(time.Duration(i)*time.Second), nil)).ID)
	}
	recent := seed(t, s, 2, nil)
	n, err := s.Prune(ctx(t), 24*time.Hour, 0)
	if err != nil || n != 3 {
		t.Fatalf("Prune(24h, 0) = %d, %v; want the 3 older captures", n, err)
	}
	if got := allIDs(t, s); !slices.Equal(got, reversed(recent)) {
		t.Errorf("left %v, want %v", got, reversed(recent))
	}
	if _, err := s.Get(ctx(t), olds[0]); !errors.Is(err, capture.ErrNotFound) {
		t.Errorf("Get of a pruned capture: %v", err)
	}
	if n, err := s.Prune(ctx(t), 24*time.Hour, 0); err != nil || n != 0 {
		t.Errorf("Prune again = %d, %v; want 0", n, err)
	}
	if n, err := s.Prune(ctx(t), 0, 0); err != nil || n != 0 {
		t.Errorf("Prune(0, 0) = %d, %v; both rules off deletes nothing", n, err)
	}
}

func testPruneCount(t *testing.T, s capture.Store) {
	ids := seed(t, s, 6, nil)
	n, err := s.Prune(ctx(t), 0, 4)
	if err != nil || n != 2 {
		t.Fatalf("Prune(0, 4) = %d, %v; want 2", n, err)
	}
	if got := allIDs(t, s); !slices.Equal(got, reversed(ids[2:])) {
		t.Errorf("left %v, want the newest four %v", got, reversed(ids[2:]))
	}
}

func testPruneOwed(t *testing.T, s capture.Store) {
	old := time.Now().Add(-48 * time.Hour)
	owing := save(t, s, simple(old, func(c *capture.Capture) {
		c.Outbox = []capture.OutboxEntry{{Route: "r", Kind: "forward", Target: "http://127.0.0.1:1/"}}
	}))
	deadOwing := save(t, s, simple(old.Add(time.Second), func(c *capture.Capture) {
		c.Outbox = []capture.OutboxEntry{{Route: "r", Kind: "forward", Target: "http://127.0.0.1:1/"}}
	}))
	plainOld := save(t, s, simple(old.Add(2*time.Second), nil))
	recent := seed(t, s, 3, nil)
	es, err := s.ClaimOutbox(ctx(t), "w", 10, time.Minute)
	if err != nil || len(es) != 2 {
		t.Fatalf("claim: %+v, %v", es, err)
	}
	for _, e := range es {
		st := capture.Settlement{Interrupted: true}
		if e.CaptureID == deadOwing.ID {
			st = capture.Settlement{Dead: true, LastError: "gone"}
		}
		if err := s.SettleOutbox(ctx(t), e, "w", st); err != nil {
			t.Fatal(err)
		}
	}
	n, err := s.Prune(ctx(t), 24*time.Hour, 0)
	if err != nil || n != 2 {
		t.Errorf("Prune(24h, 0) = %d, %v; want 2 (the plain and the given-up old captures)", n, err)
	}
	if got := get(t, s, owing.ID); len(got.Outbox) != 1 {
		t.Errorf("the capture owing a pending delivery lost it: %+v", got.Outbox)
	}
	for _, id := range []string{plainOld.ID, deadOwing.ID} {
		if _, err := s.Get(ctx(t), id); !errors.Is(err, capture.ErrNotFound) {
			t.Errorf("Get(%s) after pruning: %v, want ErrNotFound", id, err)
		}
	}
	if n, err := s.Prune(ctx(t), 0, 1); err != nil || n != 2 {
		t.Errorf("Prune(0, 1) = %d, %v; want 2 of the recent ones", n, err)
	}
	want := []string{recent[2], owing.ID}
	if got := allIDs(t, s); !slices.Equal(got, want) {
		t.Errorf("left %v, want the newest and the owing one %v", got, want)
	}
	// Once delivered, nothing holds it back.
	e := claimOne(t, s, "w")
	if err := s.SettleOutbox(ctx(t), e, "w", capture.Settlement{Delivered: true}); err != nil {
		t.Fatal(err)
	}
	if n, err := s.Prune(ctx(t), 24*time.Hour, 0); err != nil || n != 1 {
		t.Errorf("Prune after the delivery = %d, %v; want 1", n, err)
	}
}

func testClear(t *testing.T, s capture.Store) {
	if n, err := s.Clear(ctx(t)); err != nil || n != 0 {
		t.Fatalf("Clear on an empty store = %d, %v", n, err)
	}
	seed(t, s, 4, nil)
	c := saveOwing(t, s, "r")
	if err := s.AddDelivery(ctx(t), c.ID, capture.Delivery{Target: "x", Status: 200, Attempt: 1}); err != nil {
		t.Fatal(err)
	}
	pin(t, s, "r", "github", c.ID)
	n, err := s.Clear(ctx(t))
	if err != nil || n != 5 {
		t.Fatalf("Clear = %d, %v; want 5", n, err)
	}
	if got := allIDs(t, s); len(got) != 0 {
		t.Errorf("listed after Clear: %v", got)
	}
	if cnt, err := s.Count(ctx(t), capture.Filter{}); err != nil || cnt != 0 {
		t.Errorf("Count after Clear = %d, %v", cnt, err)
	}
	if es, err := s.ListOutbox(ctx(t), capture.OutboxFilter{}); err != nil || len(es) != 0 {
		t.Errorf("outbox after Clear: %+v, %v; what cleared captures owed goes with them", es, err)
	}
	if pins, err := s.RoutePins(ctx(t)); err != nil || pins["r"].Scheme != "github" {
		t.Errorf("route pins after Clear: %v, %v; pins are configuration, not captures", pins, err)
	}
	// The store still works.
	again := save(t, s, simple(base, nil))
	if got := get(t, s, again.ID); len(got.Deliveries) != 0 {
		t.Errorf("a new capture after Clear has deliveries %+v", got.Deliveries)
	}
}

func testPing(t *testing.T, s capture.Store) {
	if err := s.Ping(ctx(t)); err != nil {
		t.Errorf("Ping: %v", err)
	}
	if s.Location() == "" {
		t.Error("Location is empty")
	}
}

func testClose(t *testing.T, s capture.Store) {
	c := save(t, s, simple(base, nil))
	sub := s.Subscribe(4)
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("Close twice: %v", err)
	}
	err := s.Save(ctx(t), simple(base, nil))
	if !errors.Is(err, capture.ErrClosed) {
		t.Errorf("Save after Close: %v, want ErrClosed", err)
	}
	if err := s.AddDelivery(ctx(t), c.ID, capture.Delivery{Target: "x", Attempt: 1}); err == nil {
		t.Error("AddDelivery after Close succeeded")
	}
	eventually(t, "a subscription stayed open after its store closed", func() bool {
		select {
		case _, open := <-sub.C():
			return !open
		default:
			return false
		}
	})
	if late := s.Subscribe(1); !closedNow(late) {
		t.Error("a subscription taken after Close is open")
	}
}

func closedNow(sub *capture.Subscription) bool {
	select {
	case _, open := <-sub.C():
		return !open
	default:
		return false
	}
}
