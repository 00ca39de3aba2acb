package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/signature"
)

var filterTests = []test{
	{"EveryField", testFilters},
	{"FreeTextFoundAtOnce", testTextAtOnce},
	{"PagesWithinFilter", testFilterPaging},
}

// filterSet saves six captures that differ in every filtered field, a minute apart, oldest first.
func filterSet(t *testing.T, s capture.Store) []string {
	verdict := func(r signature.Result) signature.Outcome { return signature.Outcome{Scheme: "x", Result: r} }
	hdr := func(kv ...string) []capture.Header {
		var hs []capture.Header
		for i := 0; i < len(kv); i += 2 {
			hs = append(hs, capture.Header{Name: kv[i], Value: kv[i+1]})
		}
		return hs
	}
	cs := []*capture.Capture{
		{Route: "github", Event: "push", Method: "POST", Verification: verdict(signature.Verified), Status: 200,
			Source: capture.SourceTunnel, Path: "/gh", Headers: hdr("X-GitHub-Event", "push"),
			Body: []byte(`{"action":"opened","title":"Café Crème"}`)},
		{Route: "github", Event: "pull_request", Method: "POST", Verification: verdict(signature.Failed), Status: 401,
			Source: capture.SourceTunnel, Path: "/hook", Query: "ref=main&sha=deadbeef",
			Headers: hdr("X-GitHub-Event", "pull_request"), Body: []byte(`{}`)},
		{Route: "stripe", Event: "invoice.paid", Method: "POST", Verification: verdict(signature.Verified), Status: 202,
			Source: capture.SourceLocal, Path: "/stripe", Body: []byte("\xff\x00needle\xfe\x00")},
		{Route: "stripe", Event: "charge.failed", Method: "PUT", Verification: verdict(signature.Skipped), Status: 500,
			Source: capture.SourceReplay, Path: "/stripe/retry", Body: []byte(`{}`)},
		{Route: "plain", Method: "GET", Status: 404, Source: capture.SourceCraft, Path: "/zq",
			Headers: hdr("X-Trace", "ABC-123")},
		{Route: "plain", Method: "GET", Source: capture.SourceAudit, Path: "/audit", Body: []byte("Hello World 100%")},
	}
	ids := make([]string, len(cs))
	for i, c := range cs {
		c.ReceivedAt = base.Add(time.Duration(i) * time.Minute)
		ids[i] = save(t, s, c).ID
	}
	return ids
}

type filterCase struct {
	f    capture.Filter
	want []int // indices into filterSet, any order
}

func filterCases(ids []string) []filterCase {
	yes, no := true, false
	return []filterCase{
		{capture.Filter{}, []int{0, 1, 2, 3, 4, 5}},
		{capture.Filter{Route: "github"}, []int{0, 1}},
		{capture.Filter{Route: "nope"}, nil},
		{capture.Filter{Event: "invoice.paid"}, []int{2}},
		{capture.Filter{Method: "GET"}, []int{4, 5}},
		{capture.Filter{Method: "PUT"}, []int{3}},
		{capture.Filter{Verified: &yes}, []int{0, 2}},
		{capture.Filter{Verified: &no}, []int{1}},
		{capture.Filter{Status: 401}, []int{1}},
		{capture.Filter{StatusClass: 2}, []int{0, 2}},
		{capture.Filter{StatusClass: 4}, []int{1, 4}},
		{capture.Filter{StatusClass: 5}, []int{3}},
		{capture.Filter{Source: capture.SourceTunnel}, []int{0, 1}},
		{capture.Filter{Source: capture.SourceReplay}, []int{3}},
		{capture.Filter{Source: capture.SourceAudit}, []int{5}},
		{capture.Filter{Since: base.Add(3 * time.Minute)}, []int{3, 4, 5}},
		{capture.Filter{Since: base.Add(3*time.Minute + 1)}, []int{4, 5}},
		{capture.Filter{Before: ids[2]}, []int{0, 1}},
		{capture.Filter{After: ids[3]}, []int{4, 5}},
		{capture.Filter{Route: "stripe", StatusClass: 5}, []int{3}},
		{capture.Filter{Verified: &no, Route: "stripe"}, nil},
		{capture.Filter{Since: base.Add(3 * time.Minute), Method: "GET"}, []int{4, 5}},
		{capture.Filter{Before: ids[5], Route: "plain"}, []int{4}},
		{capture.Filter{After: ids[1], Verified: &yes}, []int{2}},
		{capture.Filter{Route: "github", Q: "deadbeef"}, []int{1}},
		{capture.Filter{Route: "stripe", Q: "deadbeef"}, nil},
	}
}

// textCases are the free-text filters: every field searched, case folded, wildcards literal.
var textCases = []filterCase{
	{capture.Filter{Q: "opened"}, []int{0}},
	{capture.Filter{Q: "OPENED"}, []int{0}},
	{capture.Filter{Q: "CRÈME"}, []int{0}},
	{capture.Filter{Q: `"action"`}, []int{0}},
	{capture.Filter{Q: "deadbeef"}, []int{1}},
	{capture.Filter{Q: "ref=main&sha"}, []int{1}},
	{capture.Filter{Q: "hook?ref"}, nil}, // path and query are searched apart
	{capture.Filter{Q: "/stripe/retry"}, []int{3}},
	{capture.Filter{Q: "/stripe"}, []int{2, 3}},
	{capture.Filter{Q: "x-trace: abc"}, []int{4}},
	{capture.Filter{Q: "x-github-event: pu"}, []int{0, 1}},
	{capture.Filter{Q: "needle"}, []int{2}},
	{capture.Filter{Q: "hello world"}, []int{5}},
	{capture.Filter{Q: "zq"}, []int{4}},
	{capture.Filter{Q: "%"}, []int{5}},
	{capture.Filter{Q: "_"}, []int{1}},
	{capture.Filter{Q: "l_r"}, []int{1}},
	{capture.Filter{Q: "o%"}, nil},
	{capture.Filter{Q: "no such text anywhere"}, nil},
}

func testFilters(t *testing.T, s capture.Store) {
	ids := filterSet(t, s)
	full := make([]*capture.Capture, len(ids))
	for i, id := range ids {
		full[i] = get(t, s, id)
	}
	check := func(stage string, cases []filterCase) {
		for _, fc := range cases {
			checkFilter(t, s, stage, ids, full, fc)
		}
	}
	check("", filterCases(ids))
	check("", textCases)
	if ix, ok := s.(Indexer); ok {
		if err := ix.IndexPending(ctx(t)); err != nil {
			t.Fatalf("IndexPending: %v", err)
		}
		check("after IndexPending: ", textCases)
	}
}

// checkFilter holds List, Count and Match to the same answer for one filter.
func checkFilter(t *testing.T, s capture.Store, stage string, ids []string, full []*capture.Capture, fc filterCase) {
	t.Helper()
	var want []string
	for i := len(ids) - 1; i >= 0; i-- {
		if slices.Contains(fc.want, i) {
			want = append(want, ids[i])
		}
	}
	got, _ := listIDs(t, s, fc.f)
	if !slices.Equal(got, want) {
		t.Errorf("%sList %s: %v, want %v", stage, describe(fc.f), got, want)
	}
	if n, err := s.Count(ctx(t), fc.f); err != nil || n != len(want) {
		t.Errorf("%sCount %s = %d, %v; want %d", stage, describe(fc.f), n, err, len(want))
	}
	for i, c := range full {
		if fc.f.Match(c) != slices.Contains(fc.want, i) {
			t.Errorf("Match %s on capture %d = %v, disagreeing with what the store should list", describe(fc.f), i, fc.f.Match(c))
		}
	}
}

func describe(f capture.Filter) string {
	s := f.Query()
	if f.Since.IsZero() && f.Before == "" && f.After == "" {
		return "[" + s + "]"
	}
	return "[" + s + " since=" + f.Since.String() + " before=" + f.Before + " after=" + f.After + "]"
}

// A capture is found by free text the moment Save returns, indexed or not.
func testTextAtOnce(t *testing.T, s capture.Store) {
	old := save(t, s, simple(base, func(c *capture.Capture) { c.Body = []byte(`{"marker":"kumquat"}`) }))
	if ix, ok := s.(Indexer); ok {
		if err := ix.IndexPending(ctx(t)); err != nil {
			t.Fatalf("IndexPending: %v", err)
		}
	}
	fresh := save(t, s, simple(base.Add(time.Second), func(c *capture.Capture) { c.Body = []byte(`{"marker":"KUMQUAT"}`) }))
	want := []string{fresh.ID, old.ID}
	if got, _ := listIDs(t, s, capture.Filter{Q: "kumquat"}); !slices.Equal(got, want) {
		t.Errorf("search right after Save: %v, want %v", got, want)
	}
	if n, err := s.Count(ctx(t), capture.Filter{Q: "kumquat"}); err != nil || n != 2 {
		t.Errorf("Count right after Save = %d, %v; want 2", n, err)
	}
}

func testFilterPaging(t *testing.T, s capture.Store) {
	ids := seed(t, s, 9, func(i int, c *capture.Capture) {
		if i%3 == 0 {
			c.Route, c.Body = "odd", []byte(`{"pick":"me"}`)
		}
	})
	for _, f := range []capture.Filter{{Route: "odd", Limit: 2}, {Q: `"pick":"me"`, Limit: 2}} {
		var all []string
		for range 3 {
			got, page := listIDs(t, s, f)
			all = append(all, got...)
			if page.Next == "" {
				break
			}
			f.Before = page.Next
		}
		if want := []string{ids[6], ids[3], ids[0]}; !slices.Equal(all, want) {
			t.Errorf("pages of %s: %v, want %v", describe(f), all, want)
		}
	}
}
