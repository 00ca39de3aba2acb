package storetest

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/hooktap/hooktap/capture"
)

var saveGetTests = []test{
	{"EveryFieldByteExact", testEveryField},
	{"LargeBinaryBody", testLargeBody},
	{"FillsIDAndTime", testFillsIDAndTime},
	{"KeepsGivenID", testKeepsGivenID},
	{"EmptyBody", testEmptyBody},
	{"DuplicateIDRefused", testDuplicateID},
	{"NilCaptureRefused", testNilCapture},
	{"UnknownIDUpdatesAreNotFound", testUnknownUpdates},
	{"UpdatesStored", testUpdatesStored},
}

func testEveryField(t *testing.T, s capture.Store) {
	c := fullCapture(base)
	want := *c
	save(t, s, c)
	if c.ID == "" {
		t.Fatal("Save left the id empty")
	}
	want.ID, want.BodySize = c.ID, len(c.Body)
	got := get(t, s, c.ID)
	sameCapture(t, "Get", got, &want)
}

func testLargeBody(t *testing.T, s capture.Store) {
	body, answer := randomBytes(1<<20), randomBytes(64<<10)
	c := save(t, s, simple(base, func(c *capture.Capture) {
		c.ContentType, c.Body, c.ResponseBody = "application/octet-stream", body, answer
	}))
	got := get(t, s, c.ID)
	if !bytes.Equal(got.Body, body) || got.BodySize != len(body) {
		t.Errorf("1 MiB body: got %d bytes (BodySize %d), equal %v", len(got.Body), got.BodySize, bytes.Equal(got.Body, body))
	}
	if !bytes.Equal(got.ResponseBody, answer) {
		t.Errorf("response body: got %d bytes, want the %d saved", len(got.ResponseBody), len(answer))
	}
	page, err := s.List(ctx(t), capture.Filter{})
	if err != nil || len(page.Captures) != 1 {
		t.Fatalf("List: %+v, %v", page, err)
	}
	if l := page.Captures[0]; l.Body != nil || l.BodySize != len(body) {
		t.Errorf("a list without bodies: Body %d bytes (nil %v), BodySize %d; want nil and %d", len(l.Body), l.Body == nil, l.BodySize, len(body))
	}
}

func testFillsIDAndTime(t *testing.T, s capture.Store) {
	before := time.Now()
	a := save(t, s, &capture.Capture{Method: "GET", Path: "/a"})
	b := save(t, s, &capture.Capture{Method: "GET", Path: "/b"})
	if a.ID == "" || b.ID == "" || a.ID == b.ID {
		t.Fatalf("ids %q and %q: want two different ids", a.ID, b.ID)
	}
	if !(a.ID < b.ID) {
		t.Errorf("ids %q then %q: a later capture must sort after an earlier one", a.ID, b.ID)
	}
	if a.ReceivedAt.IsZero() || a.ReceivedAt.Before(before.Add(-time.Minute)) {
		t.Errorf("ReceivedAt %v: want it filled with the time of saving (%v)", a.ReceivedAt, before)
	}
	if got := get(t, s, a.ID); !got.ReceivedAt.Equal(a.ReceivedAt) {
		t.Errorf("ReceivedAt read back %v, filled as %v", got.ReceivedAt, a.ReceivedAt)
	}
}

func testKeepsGivenID(t *testing.T, s capture.Store) {
	id := capture.NewID(base)
	c := save(t, s, simple(base, func(c *capture.Capture) { c.ID = id }))
	if c.ID != id {
		t.Fatalf("Save replaced the id %q with %q", id, c.ID)
	}
	if got := get(t, s, id); got.ID != id || got.Path != "/hook" {
		t.Errorf("Get(%q) = %q %q", id, got.ID, got.Path)
	}
}

func testEmptyBody(t *testing.T, s capture.Store) {
	c := save(t, s, simple(base, func(c *capture.Capture) { c.Body, c.ResponseBody = nil, nil }))
	got := get(t, s, c.ID)
	if got.Body == nil || len(got.Body) != 0 || got.BodySize != 0 {
		t.Errorf("empty body read back as %v (nil %v, BodySize %d): Get loads the body, so it is empty, not nil",
			got.Body, got.Body == nil, got.BodySize)
	}
	page, err := s.List(ctx(t), capture.Filter{WithBody: true})
	if err != nil || len(page.Captures) != 1 || page.Captures[0].Body == nil {
		t.Errorf("List WithBody of an empty body: %+v, %v; want a loaded (non-nil) empty body", page.Captures, err)
	}
}

func testDuplicateID(t *testing.T, s capture.Store) {
	first := save(t, s, simple(base, func(c *capture.Capture) { c.Path = "/first" }))
	dup := simple(base, func(c *capture.Capture) { c.ID, c.Path = first.ID, "/second" })
	if err := s.Save(ctx(t), dup); err == nil {
		t.Fatal("a second Save with the same id succeeded")
	}
	if got := get(t, s, first.ID); got.Path != "/first" {
		t.Errorf("the refused duplicate changed the capture: path %q", got.Path)
	}
	if n, err := s.Count(ctx(t), capture.Filter{}); err != nil || n != 1 {
		t.Errorf("Count after a refused duplicate = %d, %v; want 1", n, err)
	}
}

func testNilCapture(t *testing.T, s capture.Store) {
	if err := s.Save(ctx(t), nil); err == nil {
		t.Fatal("Save(nil) succeeded")
	}
}

func testUnknownUpdates(t *testing.T, s capture.Store) {
	save(t, s, simple(base, nil))
	missing := capture.NewID(base)
	if err := s.AddDelivery(ctx(t), missing, capture.Delivery{Target: "forward", Status: 200, Attempt: 1}); !errors.Is(err, capture.ErrNotFound) {
		t.Errorf("AddDelivery to an unknown capture: %v, want ErrNotFound", err)
	}
	if err := s.SetResult(ctx(t), missing, 500, nil); !errors.Is(err, capture.ErrNotFound) {
		t.Errorf("SetResult of an unknown capture: %v, want ErrNotFound", err)
	}
}

// testUpdatesStored checks AddDelivery and SetResult land on the capture.
func testUpdatesStored(t *testing.T, s capture.Store) {
	c := save(t, s, simple(base, func(c *capture.Capture) { c.Status = 0 }))
	d := capture.Delivery{Target: "http://127.0.0.1:9/x", Status: 502, Error: "bad gateway", Duration: 42 * time.Millisecond, Attempt: 3}
	if err := s.AddDelivery(ctx(t), c.ID, d); err != nil {
		t.Fatal(err)
	}
	if err := s.SetResult(ctx(t), c.ID, 503, []byte("busy\x00\xff")); err != nil {
		t.Fatal(err)
	}
	got := get(t, s, c.ID)
	if len(got.Deliveries) != 1 || !sameValue(got.Deliveries[0], d) {
		t.Errorf("deliveries %+v, want [%+v]", got.Deliveries, d)
	}
	if got.Status != 503 || string(got.ResponseBody) != "busy\x00\xff" {
		t.Errorf("result %d %q, want 503 %q", got.Status, got.ResponseBody, "busy\x00\xff")
	}
	if !bytes.Equal(got.Body, c.Body) || !strings.HasPrefix(got.Path, "/hook") {
		t.Errorf("updates changed the request: body %q path %q", got.Body, got.Path)
	}
}
