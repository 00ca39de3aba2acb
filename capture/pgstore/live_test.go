package pgstore

import (
	"context"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hooktap/hooktap/capture"
)

// next waits for one event; a generous bound only turns a lost event into a failure.
func next(t *testing.T, sub *capture.Subscription) capture.Event {
	t.Helper()
	select {
	case ev, ok := <-sub.C():
		if !ok {
			t.Fatal("subscription closed")
		}
		return ev
	case <-time.After(10 * time.Second):
		t.Fatal("no event")
	}
	return capture.Event{}
}

// A capture saved by one instance reaches the other's subscribers whole, once, and the saver's
// own subscribers once too; updates follow the same way.
func TestNotifyReachesOtherInstance(t *testing.T) {
	a, u := openTest(t)
	b := openURL(t, u)
	subA, subB := a.Subscribe(16), b.Subscribe(16)
	ctx := context.Background()
	c := fullCapture()
	if err := a.Save(ctx, c); err != nil {
		t.Fatal(err)
	}
	for name, sub := range map[string]*capture.Subscription{"saver": subA, "other": subB} {
		ev := next(t, sub)
		if ev.Kind != capture.Created || ev.Capture.ID != c.ID || string(ev.Capture.Body) != string(c.Body) ||
			len(ev.Capture.Deliveries) != 2 || ev.Capture.Path != c.Path {
			t.Fatalf("%s heard %v %+v", name, ev.Kind, ev.Capture)
		}
	}
	if err := b.SetResult(ctx, c.ID, 202, []byte("ok")); err != nil {
		t.Fatal(err)
	}
	for name, sub := range map[string]*capture.Subscription{"saver": subB, "other": subA} {
		if ev := next(t, sub); ev.Kind != capture.Updated || ev.Capture.Status != 202 {
			t.Fatalf("%s heard %v status %d", name, ev.Kind, ev.Capture.Status)
		}
	}
	// Nothing more: the saver did not hear its own announcements a second time.
	marker := &capture.Capture{Method: "GET"}
	if err := b.Save(ctx, marker); err != nil {
		t.Fatal(err)
	}
	for name, sub := range map[string]*capture.Subscription{"a": subA, "b": subB} {
		if ev := next(t, sub); ev.Capture.ID != marker.ID {
			t.Fatalf("%s heard %v of %s before the marker", name, ev.Kind, ev.Capture.ID)
		}
	}
}

// The listener reconnects when its connection is killed, and hears again.
func TestListenerReconnects(t *testing.T) {
	a, u := openTest(t)
	b := openURL(t, u)
	sub := b.Subscribe(16)
	ctx := context.Background()
	var killed int
	err := a.pool.QueryRow(ctx, `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
		WHERE query = 'LISTEN '||$1 AND pid <> pg_backend_pid()`, `"`+b.channel+`"`).Scan(&killed)
	if err != nil || killed != 2 { // both instances listen on the channel
		t.Fatalf("terminated %d listeners: %v", killed, err)
	}
	// Save until b hears one: announcements made while it reconnects are lost by design.
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		c := &capture.Capture{Method: "POST"}
		if err := a.Save(ctx, c); err != nil {
			t.Fatal(err)
		}
		select {
		case ev := <-sub.C():
			if ev.Capture.ID == "" {
				t.Fatal("empty event")
			}
			return
		case <-time.After(100 * time.Millisecond):
		}
	}
	t.Fatal("the listener never heard again after its connection was killed")
}

// Saves go on after the server closed every connection the store's pool holds.
func TestSavesSurviveDroppedConnections(t *testing.T) {
	s, u := openTest(t)
	ctx := context.Background()
	for range 3 {
		if err := s.Save(ctx, &capture.Capture{Method: "POST"}); err != nil {
			t.Fatal(err)
		}
	}
	admin, err := pgx.Connect(ctx, os.Getenv("HOOKTAP_TEST_POSTGRES"))
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	app, _ := url.Parse(u)
	var killed int
	if err := admin.QueryRow(ctx, `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
		WHERE application_name = $1 AND query NOT LIKE 'LISTEN%'`, app.Query().Get("application_name")).Scan(&killed); err != nil || killed == 0 {
		t.Fatalf("terminated %d connections: %v", killed, err)
	}
	for i := range 3 {
		if err := s.Save(ctx, &capture.Capture{Method: "POST"}); err != nil {
			t.Fatalf("save %d after the connections dropped: %v", i, err)
		}
	}
}
