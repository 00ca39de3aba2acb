package capture

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hooktap/hooktap/signature"
)

func TestListPagesNewestFirstThrough250(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	ids := seed(t, s, 250, fullCapture().ReceivedAt, nil)
	slices.Reverse(ids)
	var got []string
	f := Filter{Limit: 40}
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
	if pages != 7 || !slices.Equal(got, ids) {
		t.Fatalf("paged %d pages, %d ids; order matches: %v", pages, len(got), slices.Equal(got, ids))
	}
}

func TestListExactMultipleOfLimitEndsWithEmptyNext(t *testing.T) {
	s := openTest(t)
	seed(t, s, 10, fullCapture().ReceivedAt, nil)
	page, err := s.List(context.Background(), Filter{Limit: 10, WithBody: true})
	if err != nil || len(page.Captures) != 10 || page.Next != "" || page.Captures[0].Body == nil {
		t.Fatalf("page = %d captures next %q err %v", len(page.Captures), page.Next, err)
	}
}

func TestListFilters(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	start := fullCapture().ReceivedAt
	seed(t, s, 30, start, func(i int, c *Capture) {
		c.Route = []string{"github", "stripe", "inspect"}[i%3]
		c.Event = []string{"push", "pull_request"}[i%2]
		c.Status = []int{202, 401, 200, 500, 202}[i%5]
		c.Verification.Result = []signature.Result{signature.Verified, signature.Failed, signature.Skipped}[i%3]
		c.Source = []Source{SourceLocal, SourceTunnel}[i%2]
		c.Headers = []Header{{"X-Index", fmt.Sprint(i)}}
		if i == 7 {
			c.Body = append([]byte{0, 0xff}, []byte("…NEEDLE in binary")...)
		}
	})
	yes, no := true, false
	tests := []struct {
		name string
		f    Filter
		want int
	}{
		{"all", Filter{}, 30},
		{"route", Filter{Route: "stripe"}, 10},
		{"event", Filter{Event: "push"}, 15},
		{"route and event", Filter{Route: "github", Event: "push"}, 5},
		{"verified", Filter{Verified: &yes}, 10},
		{"failed", Filter{Verified: &no}, 10},
		{"status", Filter{Status: 401}, 6},
		{"source", Filter{Source: SourceTunnel}, 15},
		{"since", Filter{Since: start.Add(20 * time.Second)}, 10},
		{"q path", Filter{Q: "/HOOK/2"}, 11},
		{"q header value", Filter{Q: "x-index"}, 30},
		{"q body after NUL", Filter{Q: "needle"}, 1},
		{"q like wildcards are literal", Filter{Q: "%"}, 0},
		{"before", Filter{Before: strings.Repeat("z", 26)}, 30},
		{"no match", Filter{Route: "nope"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := s.Count(ctx, tt.f)
			if err != nil || n != tt.want {
				t.Fatalf("Count = %d, %v; want %d", n, err, tt.want)
			}
			tt.f.Limit = 1000
			page, err := s.List(ctx, tt.f)
			if err != nil || len(page.Captures) != tt.want {
				t.Fatalf("List = %d, %v; want %d", len(page.Captures), err, tt.want)
			}
		})
	}
}

// TestListQueryPlansUseIndexes proves list queries walk an index in id order: no full table
// scan and no sort, so the newest page costs the same at 10 rows or 1M.
func TestListQueryPlansUseIndexes(t *testing.T) {
	s := analyzedStore(t) // plans must hold with statistics too
	yes := true
	filters := map[string]Filter{
		"newest": {}, "before": {Before: "01j"}, "route": {Route: "r", Before: "01j"},
		"event": {Event: "push"}, "verified": {Verified: &yes}, "status": {Status: 202},
		"source": {Source: SourceLocal}, "route+event+status": {Route: "r", Event: "e", Status: 200},
		"since": {Since: time.Now()}, "q": {Q: "needle", Route: "r"},
	}
	for name, f := range filters {
		where, args := f.where(s.bodies.dir)
		q := `SELECT ` + selectColumns(false) + ` FROM captures` + where + ` ORDER BY id DESC LIMIT 51`
		text := queryPlan(t, s, q, args...)
		t.Logf("%s: %s", name, text)
		if strings.Contains(text, "TEMP B-TREE") || !strings.Contains(text, "USING") {
			t.Errorf("%s: plan %q sorts or scans the table", name, text)
		}
	}
}

func TestListFromTheOldestEndAndBackUp(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	ids := seed(t, s, 25, fullCapture().ReceivedAt, nil) // oldest first
	page, err := s.List(ctx, Filter{Oldest: true, Limit: 10})
	if err != nil || len(page.Captures) != 10 || page.Captures[9].ID != ids[0] || page.Captures[0].ID != ids[9] {
		t.Fatalf("oldest page: %d captures, %v", len(page.Captures), err)
	}
	up, err := s.List(ctx, Filter{Oldest: true, After: ids[9], Limit: 10})
	if err != nil || len(up.Captures) != 10 || up.Captures[9].ID != ids[10] || up.Captures[0].ID != ids[19] {
		t.Fatalf("page above: %d captures, %v", len(up.Captures), err)
	}
	if !(Filter{After: ids[9]}).Match(&Capture{ID: ids[10]}) || (Filter{After: ids[9]}).Match(&Capture{ID: ids[9]}) {
		t.Fatal("Match disagrees with After")
	}
}
