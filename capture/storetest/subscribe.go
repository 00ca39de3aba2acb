package storetest

import (
	"bytes"
	"testing"
	"time"

	"github.com/hooktap/hooktap/capture"
)

var subscribeTests = []test{
	{"CreatedAfterCommit", testCreatedEvent},
	{"UpdatedByDeliveryAndResult", testUpdatedEvents},
	{"UpdatedBySettlement", testSettledEvent},
	{"CloseStopsSubscription", testSubscriptionClose},
}

// next waits for the next event about id, skipping others; a store may publish an event twice
// (locally and through the database), so the tests look for the one they expect.
func next(t *testing.T, sub *capture.Subscription, kind capture.EventKind, id string, ok func(*capture.Capture) bool) *capture.Capture {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case ev, open := <-sub.C():
			if !open {
				t.Fatalf("subscription closed while waiting for %s of %s", kind, id)
			}
			if ev.Kind == kind && ev.Capture != nil && ev.Capture.ID == id && (ok == nil || ok(ev.Capture)) {
				return ev.Capture
			}
		case <-deadline:
			t.Fatalf("no %s event for %s within 10s", kind, id)
		}
	}
}

func testCreatedEvent(t *testing.T, s capture.Store) {
	sub := s.Subscribe(16)
	defer sub.Close()
	c := save(t, s, fullCapture(base))
	got := next(t, sub, capture.Created, c.ID, nil)
	// Committed before it is announced: a subscriber can read it back at once.
	stored := get(t, s, c.ID)
	if !bytes.Equal(got.Body, c.Body) || got.Route != c.Route || got.Status != c.Status || !got.ReceivedAt.Equal(c.ReceivedAt) {
		t.Errorf("Created event carries route %q status %d body %q at %v; want what was saved", got.Route, got.Status, got.Body, got.ReceivedAt)
	}
	if stored.Path != c.Path {
		t.Errorf("stored path %q", stored.Path)
	}
	// The event is the subscriber's own copy.
	got.Body[0] ^= 0xff
	if again := get(t, s, c.ID); !bytes.Equal(again.Body, c.Body) {
		t.Error("changing an event's capture changed the store")
	}
	if sub.Dropped() != 0 {
		t.Errorf("dropped %d events with room for 16", sub.Dropped())
	}
}

func testUpdatedEvents(t *testing.T, s capture.Store) {
	c := save(t, s, simple(base, func(c *capture.Capture) { c.Status = 0 }))
	sub := s.Subscribe(16)
	defer sub.Close()
	d := capture.Delivery{Target: "forward", Status: 204, Attempt: 1, Duration: time.Millisecond}
	if err := s.AddDelivery(ctx(t), c.ID, d); err != nil {
		t.Fatal(err)
	}
	got := next(t, sub, capture.Updated, c.ID, func(u *capture.Capture) bool { return len(u.Deliveries) == 1 })
	if !sameValue(got.Deliveries[0], d) {
		t.Errorf("Updated event's delivery %+v, want %+v", got.Deliveries[0], d)
	}
	if err := s.SetResult(ctx(t), c.ID, 418, []byte("teapot")); err != nil {
		t.Fatal(err)
	}
	got = next(t, sub, capture.Updated, c.ID, func(u *capture.Capture) bool { return u.Status == 418 })
	if string(got.ResponseBody) != "teapot" || len(got.Deliveries) != 1 || string(got.Body) != string(c.Body) {
		t.Errorf("Updated event after SetResult: answer %q, %d deliveries, body %q", got.ResponseBody, len(got.Deliveries), got.Body)
	}
}

func testSettledEvent(t *testing.T, s capture.Store) {
	c := saveOwing(t, s, "fwd")
	sub := s.Subscribe(16)
	defer sub.Close()
	e := claimOne(t, s, "w1")
	d := capture.Delivery{Target: e.Target, Status: 200, Attempt: 1}
	if err := s.SettleOutbox(ctx(t), e, "w1", capture.Settlement{Delivered: true, Attempts: []capture.Delivery{d}}); err != nil {
		t.Fatal(err)
	}
	got := next(t, sub, capture.Updated, c.ID, func(u *capture.Capture) bool { return len(u.Deliveries) == 1 })
	if got.Deliveries[0].Status != 200 {
		t.Errorf("settled delivery %+v", got.Deliveries[0])
	}
}

func testSubscriptionClose(t *testing.T, s capture.Store) {
	sub := s.Subscribe(1)
	sub.Close()
	sub.Close()
	if _, open := <-sub.C(); open {
		t.Fatal("a closed subscription's channel is still open")
	}
	// A full subscriber loses events instead of holding up saves.
	slow := s.Subscribe(1)
	defer slow.Close()
	seed(t, s, 3, nil)
	eventually(t, "a subscriber with room for one event never counted the two it lost", func() bool { return slow.Dropped() >= 2 })
}
