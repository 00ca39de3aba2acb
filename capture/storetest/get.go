package storetest

import (
	"crypto/rand"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hooktap/hooktap/capture"
	"github.com/oklog/ulid/v2"
)

var getTests = []test{
	{"WholeStartEndAnyCase", testGetForms},
	{"Ambiguous", testGetAmbiguous},
	{"NotFound", testGetNotFound},
}

func testGetForms(t *testing.T, s capture.Store) {
	// A day apart, so the first characters (the time) already tell them apart.
	a := save(t, s, simple(base, func(c *capture.Capture) { c.ID, c.Path = idAt(base.Add(-24*time.Hour)), "/a" }))
	b := save(t, s, simple(base, func(c *capture.Capture) { c.ID, c.Path = idAt(base), "/b" }))
	end := capture.ShortID(b.ID)
	for _, in := range []string{
		b.ID, strings.ToUpper(b.ID), b.ID[:9], strings.ToUpper(b.ID[:9]), end, strings.ToUpper(end),
		"#" + end, " " + b.ID + " ",
	} {
		got, err := s.Get(ctx(t), in)
		if err != nil || got.ID != b.ID || got.Path != "/b" {
			t.Errorf("Get(%q) = %v, %v; want %s", in, idOf(got), err, b.ID)
		}
	}
	if got := get(t, s, a.ID[:9]); got.ID != a.ID {
		t.Errorf("Get(%q) = %s, want %s", a.ID[:9], got.ID, a.ID)
	}
}

func testGetAmbiguous(t *testing.T, s capture.Store) {
	// Same millisecond: their ids share the first ten characters.
	a := save(t, s, simple(base, func(c *capture.Capture) { c.ID = idAt(base) }))
	b := save(t, s, simple(base, func(c *capture.Capture) { c.ID = idAt(base) }))
	save(t, s, simple(base, func(c *capture.Capture) { c.ID = idAt(base.Add(-24 * time.Hour)) }))
	prefix := a.ID[:10]
	if b.ID[:10] != prefix {
		t.Fatalf("fixture: %s and %s do not share a prefix", a.ID, b.ID)
	}
	_, err := s.Get(ctx(t), prefix)
	var amb *capture.AmbiguousError
	if !errors.As(err, &amb) {
		t.Fatalf("Get(%q) with two captures starting so: %v, want an *AmbiguousError", prefix, err)
	}
	want := []string{min(a.ID, b.ID), max(a.ID, b.ID)}
	if got := slices.Sorted(slices.Values(amb.Candidates)); !slices.Equal(got, want) {
		t.Errorf("candidates %v, want %v", amb.Candidates, want)
	}
	// The whole id wins over the ids it is a prefix of, and more of the id settles it.
	if got := get(t, s, a.ID); got.ID != a.ID {
		t.Errorf("Get(whole id) = %s", got.ID)
	}
	if _, err := capture.Find(ctx(t), s, prefix); err == nil || !strings.Contains(err.Error(), a.ID) {
		t.Errorf("Find(%q) = %v; want the candidates listed", prefix, err)
	}
}

func testGetNotFound(t *testing.T, s capture.Store) {
	c := save(t, s, simple(base, nil))
	for _, in := range []string{
		capture.NewID(base.Add(time.Hour)), "zzzzzzzz", "", "   ", "%", "_", c.ID[:3] + "%", c.ID + "x",
		"x" + c.ID, "a b", strings.Repeat("0", 200), "'; DROP TABLE captures; --",
	} {
		got, err := s.Get(ctx(t), in)
		if !errors.Is(err, capture.ErrNotFound) {
			t.Errorf("Get(%q) = %v, %v; want ErrNotFound", in, idOf(got), err)
		}
	}
	if n, err := s.Count(ctx(t), capture.Filter{}); err != nil || n != 1 {
		t.Errorf("Count after odd lookups = %d, %v; want 1", n, err)
	}
}

// idAt is a capture id (a lowercase ULID) of time at. Ids from capture.NewID never go back in
// time within a process, so tests that need ids of distinct times make their own.
func idAt(at time.Time) string {
	return strings.ToLower(ulid.MustNew(ulid.Timestamp(at), rand.Reader).String())
}

func idOf(c *capture.Capture) string {
	if c == nil {
		return "<nil>"
	}
	return c.ID
}
