package pgstore

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/signature"
)

// seed saves n captures one second apart, oldest first, and returns them.
func seed(t testing.TB, s *Store, n int, mod func(i int, c *capture.Capture)) []*capture.Capture {
	t.Helper()
	start := fullCapture().ReceivedAt
	cs := make([]*capture.Capture, n)
	for i := range n {
		c := &capture.Capture{ReceivedAt: start.Add(time.Duration(i) * time.Second), Method: "POST",
			Path: fmt.Sprintf("/hook/%d", i), Route: "r", Body: []byte(fmt.Sprintf(`{"n":%d}`, i))}
		if mod != nil {
			mod(i, c)
		}
		if err := s.Save(context.Background(), c); err != nil {
			t.Fatal(err)
		}
		cs[i] = c
	}
	return cs
}

func TestListPagesNewestFirst(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	cs := seed(t, s, 95, nil)
	var want []string
	for _, c := range slices.Backward(cs) {
		want = append(want, c.ID)
	}
	var got []string
	f := capture.Filter{Limit: 20}
	pages := 0
	for {
		page, err := s.List(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, c := range page.Captures {
			got = append(got, c.ID)
			if c.Body != nil {
				t.Fatal("List without WithBody must not load bodies")
			}
		}
		if page.Next == "" {
			break
		}
		f.Before = page.Next
	}
	if pages != 5 || !slices.Equal(got, want) {
		t.Fatalf("paged %d pages, %d ids; order matches: %v", pages, len(got), slices.Equal(got, want))
	}
	full, err := s.List(ctx, capture.Filter{Limit: 95, WithBody: true})
	if err != nil || len(full.Captures) != 95 || full.Next != "" || full.Captures[0].BodySize != len(cs[94].Body) ||
		string(full.Captures[0].Body) != string(cs[94].Body) {
		t.Fatalf("a page of exactly the limit: %d captures, next %q, %v", len(full.Captures), full.Next, err)
	}
	oldest, err := s.List(ctx, capture.Filter{Oldest: true, Limit: 10})
	if err != nil || len(oldest.Captures) != 10 || oldest.Captures[9].ID != cs[0].ID || oldest.Captures[0].ID != cs[9].ID {
		t.Fatalf("oldest page: %d captures, %v", len(oldest.Captures), err)
	}
	up, err := s.List(ctx, capture.Filter{Oldest: true, After: cs[9].ID, Limit: 10})
	if err != nil || len(up.Captures) != 10 || up.Captures[9].ID != cs[10].ID || up.Captures[0].ID != cs[19].ID {
		t.Fatalf("page above: %d captures, %v", len(up.Captures), err)
	}
}

// Every filter lists and counts exactly the captures Filter.Match accepts.
func TestFiltersAgreeWithMatch(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	start := fullCapture().ReceivedAt
	cs := seed(t, s, 30, func(i int, c *capture.Capture) {
		c.Route = []string{"github", "stripe", "inspect"}[i%3]
		c.Event = []string{"push", "pull_request"}[i%2]
		c.Method = []string{"POST", "PUT"}[i%2]
		c.Status = []int{202, 401, 200, 500, 202}[i%5]
		c.Verification.Result = []signature.Result{signature.Verified, signature.Failed, signature.Skipped}[i%3]
		c.Source = []capture.Source{capture.SourceLocal, capture.SourceTunnel}[i%2]
		c.Headers = []capture.Header{{Name: "X-Index", Value: fmt.Sprint(i)}}
		switch i {
		case 7:
			c.Body = append([]byte{0, 0xff}, []byte("…NEEDLE in binary")...)
		case 8:
			c.Body = []byte("Ünïcödé ÉCOLE")
		case 9:
			c.Query = "percent=100%25_x"
		}
	})
	yes, no := true, false
	filters := map[string]capture.Filter{
		"all": {}, "route": {Route: "stripe"}, "event": {Event: "push"}, "route and event": {Route: "github", Event: "push"},
		"verified": {Verified: &yes}, "failed": {Verified: &no}, "status": {Status: 401}, "class": {StatusClass: 2},
		"method": {Method: "PUT"}, "source": {Source: capture.SourceTunnel}, "since": {Since: start.Add(20 * time.Second)},
		"q path": {Q: "/HOOK/2"}, "q header": {Q: "x-index: 1"}, "q body after NUL": {Q: "needle"},
		"q unicode folds": {Q: "école"}, "q like wildcards are literal": {Q: "%"}, "q underscore": {Q: "5_X"},
		"q short": {Q: "ü"}, "before": {Before: cs[12].ID}, "after": {After: cs[12].ID}, "no match": {Route: "nope"},
	}
	for name, f := range filters {
		t.Run(name, func(t *testing.T) {
			want := 0
			for _, c := range cs {
				if f.Match(c) {
					want++
				}
			}
			n, err := s.Count(ctx, f)
			if err != nil || n != want {
				t.Fatalf("Count = %d, %v; Match accepts %d", n, err, want)
			}
			f.Limit = 1000
			page, err := s.List(ctx, f)
			if err != nil || len(page.Captures) != want {
				t.Fatalf("List = %d, %v; Match accepts %d", len(page.Captures), err, want)
			}
		})
	}
	if n, _ := s.Count(ctx, capture.Filter{Q: "needle"}); n != 1 {
		t.Fatalf("the body search found %d captures, want 1", n)
	}
}
