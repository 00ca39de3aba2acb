package storetest

import (
	"slices"
	"testing"

	"github.com/hooktap/hooktap/capture"
)

var listTests = []test{
	{"PagesNewestFirst", testPaging},
	{"OldestAndAfter", testOldestAfter},
	{"DefaultLimit", testDefaultLimit},
	{"BodiesOnlyWhenAsked", testWithBody},
	{"CarriesDeliveries", testListDeliveries},
	{"Empty", testListEmpty},
}

func listIDs(t *testing.T, s capture.Store, f capture.Filter) ([]string, capture.Page) {
	t.Helper()
	page, err := s.List(ctx(t), f)
	if err != nil {
		t.Fatalf("List(%+v): %v", f, err)
	}
	ids := make([]string, len(page.Captures))
	for i, c := range page.Captures {
		ids[i] = c.ID
	}
	return ids, page
}

func testPaging(t *testing.T, s capture.Store) {
	want := reversed(seed(t, s, 7, nil))
	var all []string
	f := capture.Filter{Limit: 3}
	for pages := 0; ; pages++ {
		if pages > 3 {
			t.Fatalf("more than 3 pages of 3 for 7 captures: %v", all)
		}
		ids, page := listIDs(t, s, f)
		all = append(all, ids...)
		if page.Next == "" {
			break
		}
		if page.Next != ids[len(ids)-1] {
			t.Errorf("Next %q, want the page's last id %q", page.Next, ids[len(ids)-1])
		}
		f.Before = page.Next
	}
	if !slices.Equal(all, want) {
		t.Errorf("paged ids %v, want newest first %v", all, want)
	}
	// A page that ends exactly at the last capture has no next page.
	if _, page := listIDs(t, s, capture.Filter{Limit: 7}); page.Next != "" {
		t.Errorf("Next %q on a page holding every capture", page.Next)
	}
	if n, err := s.Count(ctx(t), capture.Filter{}); err != nil || n != 7 {
		t.Errorf("Count = %d, %v; want 7", n, err)
	}
	if n, err := s.Count(ctx(t), capture.Filter{Before: want[2], Limit: 1}); err != nil || n != 4 {
		t.Errorf("Count before the third newest = %d, %v; want 4 (Before applies, Limit does not)", n, err)
	}
}

func testOldestAfter(t *testing.T, s capture.Store) {
	ids := seed(t, s, 7, nil) // oldest first
	got, _ := listIDs(t, s, capture.Filter{Limit: 3, Oldest: true})
	if want := reversed(ids[:3]); !slices.Equal(got, want) {
		t.Errorf("oldest page %v, want %v (newest first within the page)", got, want)
	}
	got, _ = listIDs(t, s, capture.Filter{Limit: 3, Oldest: true, After: ids[2]})
	if want := reversed(ids[3:6]); !slices.Equal(got, want) {
		t.Errorf("page just above %s: %v, want %v", ids[2], got, want)
	}
	got, _ = listIDs(t, s, capture.Filter{After: ids[4]})
	if want := reversed(ids[5:]); !slices.Equal(got, want) {
		t.Errorf("After %s: %v, want %v", ids[4], got, want)
	}
}

func testDefaultLimit(t *testing.T, s capture.Store) {
	seed(t, s, capture.DefaultLimit+2, nil)
	ids, page := listIDs(t, s, capture.Filter{})
	if len(ids) != capture.DefaultLimit || page.Next == "" {
		t.Errorf("List with no limit: %d captures, Next %q; want %d and a next page", len(ids), page.Next, capture.DefaultLimit)
	}
	ids, _ = listIDs(t, s, capture.Filter{Before: page.Next, Limit: -1})
	if len(ids) != 2 {
		t.Errorf("second page: %d captures, want 2", len(ids))
	}
}

func testWithBody(t *testing.T, s capture.Store) {
	c := save(t, s, fullCapture(base))
	_, page := listIDs(t, s, capture.Filter{})
	l := page.Captures[0]
	if l.Body != nil || l.BodySize != len(c.Body) {
		t.Errorf("List without WithBody: Body %q, BodySize %d; want nil and %d", l.Body, l.BodySize, len(c.Body))
	}
	want := *get(t, s, c.ID)
	want.Body, want.Outbox = nil, nil
	l.Outbox = nil
	sameCapture(t, "a listed capture (body aside)", l, &want)
	_, page = listIDs(t, s, capture.Filter{WithBody: true})
	if b := page.Captures[0].Body; string(b) != string(c.Body) {
		t.Errorf("List WithBody: body %q, want %q", b, c.Body)
	}
}

func testListDeliveries(t *testing.T, s capture.Store) {
	a := save(t, s, fullCapture(base))
	b := save(t, s, simple(base.Add(1), nil))
	d := capture.Delivery{Target: "forward", Status: 200, Attempt: 1}
	if err := s.AddDelivery(ctx(t), b.ID, d); err != nil {
		t.Fatal(err)
	}
	_, page := listIDs(t, s, capture.Filter{})
	if len(page.Captures) != 2 {
		t.Fatalf("listed %d captures, want 2", len(page.Captures))
	}
	if got := page.Captures[0].Deliveries; len(got) != 1 || !sameValue(got[0], d) {
		t.Errorf("newest capture's deliveries %+v, want [%+v]", got, d)
	}
	if got := page.Captures[1].Deliveries; !sameValue(got, a.Deliveries) {
		t.Errorf("older capture's deliveries %+v, want %+v", got, a.Deliveries)
	}
}

func testListEmpty(t *testing.T, s capture.Store) {
	ids, page := listIDs(t, s, capture.Filter{})
	if len(ids) != 0 || page.Next != "" {
		t.Errorf("empty store listed %v, Next %q", ids, page.Next)
	}
	if n, err := s.Count(ctx(t), capture.Filter{Route: "r"}); err != nil || n != 0 {
		t.Errorf("Count on an empty store = %d, %v", n, err)
	}
}
