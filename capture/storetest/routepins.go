package storetest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/hooktap/hooktap/capture"
)

var routePinTests = []test{
	{"FirstPinWins", testFirstPin},
	{"ConcurrentPinsAgree", testConcurrentPins},
	{"Unpin", testUnpin},
}

func pin(t *testing.T, s capture.Store, route, scheme, capID string) capture.RoutePin {
	t.Helper()
	held, err := s.PinRouteScheme(ctx(t), capture.RoutePin{Route: route, Scheme: scheme, CaptureID: capID, PinnedAt: micro(0)})
	if err != nil {
		t.Fatalf("PinRouteScheme(%s, %s): %v", route, scheme, err)
	}
	return held
}

func testFirstPin(t *testing.T, s capture.Store) {
	if pins, err := s.RoutePins(ctx(t)); err != nil || len(pins) != 0 {
		t.Fatalf("RoutePins on an empty store = %v, %v", pins, err)
	}
	at := micro(-time.Minute)
	first, err := s.PinRouteScheme(ctx(t), capture.RoutePin{Route: "hooks", Scheme: "github", CaptureID: "c1", PinnedAt: at})
	if err != nil || first.Scheme != "github" || first.CaptureID != "c1" || !first.PinnedAt.Equal(at) {
		t.Fatalf("first pin = %+v, %v", first, err)
	}
	held := pin(t, s, "hooks", "stripe", "c2")
	if held.Scheme != "github" || held.CaptureID != "c1" || !held.PinnedAt.Equal(at) || held.Route != "hooks" {
		t.Errorf("a second pin returned %+v; want the first (github from c1) to hold", held)
	}
	pin(t, s, "other", "stripe", "c3")
	pins, err := s.RoutePins(ctx(t))
	if err != nil || len(pins) != 2 {
		t.Fatalf("RoutePins = %v, %v", pins, err)
	}
	if p := pins["hooks"]; p.Route != "hooks" || p.Scheme != "github" || p.CaptureID != "c1" || !p.PinnedAt.Equal(at) {
		t.Errorf("pins[hooks] = %+v", p)
	}
	if p := pins["other"]; p.Scheme != "stripe" || p.CaptureID != "c3" {
		t.Errorf("pins[other] = %+v", p)
	}
}

func testConcurrentPins(t *testing.T, s capture.Store) {
	const n = 8
	held := make([]capture.RoutePin, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			held[i], errs[i] = s.PinRouteScheme(ctx(t), capture.RoutePin{Route: "race", Scheme: fmt.Sprintf("s%d", i),
				CaptureID: fmt.Sprintf("c%d", i), PinnedAt: micro(0)})
		})
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("pin %d: %v", i, errs[i])
		}
		if held[i].Scheme != held[0].Scheme || held[i].CaptureID != held[0].CaptureID {
			t.Errorf("pin %d saw %s, pin 0 saw %s: one pin must win for everyone", i, held[i].Scheme, held[0].Scheme)
		}
	}
	if pins, _ := s.RoutePins(ctx(t)); pins["race"].Scheme != held[0].Scheme {
		t.Errorf("stored pin %+v, every caller was told %s", pins["race"], held[0].Scheme)
	}
}

func testUnpin(t *testing.T, s capture.Store) {
	pin(t, s, "hooks", "github", "c1")
	pin(t, s, "keep", "slack", "c2")
	if was, err := s.UnpinRoute(ctx(t), "hooks"); err != nil || !was {
		t.Fatalf("UnpinRoute(hooks) = %v, %v; want true", was, err)
	}
	if was, err := s.UnpinRoute(ctx(t), "hooks"); err != nil || was {
		t.Errorf("UnpinRoute twice = %v, %v; want false", was, err)
	}
	pins, err := s.RoutePins(ctx(t))
	if _, still := pins["hooks"]; err != nil || still || len(pins) != 1 {
		t.Errorf("pins after unpinning hooks: %v, %v", pins, err)
	}
	if held := pin(t, s, "hooks", "stripe", "c3"); held.Scheme != "stripe" {
		t.Errorf("pin after unpin = %+v; want the new scheme", held)
	}
}
