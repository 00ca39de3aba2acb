package capture

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hooktap/hooktap/signature"
)

// filterCorpus is a varied set of captures: every filter below selects some and not others.
func filterCorpus(t *testing.T, s *SQLite) []*Capture {
	t.Helper()
	start := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	bodies := [][]byte{
		[]byte(`{"type":"payment_intent.succeeded","amount":4200}`),
		[]byte(`{"zusammenfassung":"Größe ÉTÉ","naïve":"café"}`),
		{0, 0xff, 'N', 'E', 'E', 'D', 'L', 'E', 0, 'x'},
		[]byte(`日本語のテキスト webhook 東京`),
		[]byte(``),
		[]byte(`{"a":"b"}`),
	}
	var out []*Capture
	seed(t, s, 36, start, func(i int, c *Capture) {
		c.Route = []string{"github-pr", "stripe", "inspect"}[i%3]
		c.Event = []string{"push", "pull_request", ""}[i%3]
		c.Method = []string{"POST", "GET", "PUT", "POST"}[i%4]
		c.Status = []int{202, 401, 200, 500, 404, 0}[i%6]
		c.Verification.Result = []signature.Result{signature.Verified, signature.Failed, signature.Skipped}[i%3]
		c.Source = []Source{SourceLocal, SourceTunnel, SourceReplay}[i%3]
		c.Query = []string{"", "a=1&B=Zwei", "q=%C3%A9"}[i%3]
		c.Headers = []Header{{"Content-Type", []string{"application/json", "text/plain", "Application/JSON; charset=utf-8"}[i%3]},
			{"X-Index", fmt.Sprint(i)}, {"X-Odd", []string{"", "caf\xe9", "Ümlaut"}[i%3]}}
		c.Body = bodies[i%len(bodies)]
		out = append(out, c)
	})
	return out
}

func TestFilterSQLAgreesWithMatch(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	corpus := filterCorpus(t, s)
	queries := []string{
		"", "route:stripe", "event:push", "method:get", "status:401", "status:4xx", "status:2XX",
		"status:5xx", "verified:true", "verified:false", "source:tunnel", "route:inspect status:5xx",
		`"content-type: application/json"`, `q:"content-type: application/json"`, "application/json",
		"größe", "GRÖSSE", "été", "ÉTÉ", "café", "CAFÉ", "東京", "テキスト", "ü", "Ü", "ümlaut",
		"needle", "NEEDLE", "x", "a", "1", "zwei", "b=zwei", "%c3", "payment_intent", "amount 4200",
		`"x-index: 7"`, `"x-index: 1"`, "/hook/3", "HOOK/1", `"\"type\""`, "route:github-pr needle",
		"nothing-matches-this", "verified:false method:POST 4200", "%", "_", "日本",
	}
	for _, q := range queries {
		f, err := ParseQuery(q)
		if err != nil {
			t.Fatalf("ParseQuery(%q): %v", q, err)
		}
		var want []string
		for _, c := range corpus {
			if f.Match(c) {
				want = append(want, c.ID)
			}
		}
		slices.Reverse(want)
		f.Limit = 1000
		page, err := s.List(ctx, f)
		if err != nil {
			t.Fatalf("List(%q): %v", q, err)
		}
		var got []string
		for _, c := range page.Captures {
			got = append(got, c.ID)
		}
		if !slices.Equal(got, want) {
			t.Errorf("%q: SQL lists %d captures, Match %d\n got %v\nwant %v", q, len(got), len(want), got, want)
		}
		if n, err := s.Count(ctx, f); err != nil || n != len(want) {
			t.Errorf("%q: Count = %d, %v; Match %d", q, n, err, len(want))
		}
		for _, plan := range []textPlan{planIndex, planWalk} {
			if plan == planIndex && indexedIfLongEnough(f.Q) == planWalk {
				continue
			}
			where, args := f.whereText(plan, s.bodies.dir)
			var n int
			if err := s.DB().QueryRow(`SELECT COUNT(*) FROM captures`+where, args...).Scan(&n); err != nil || n != len(want) {
				t.Errorf("%q, plan %d: %d captures, %v; Match %d", q, plan, n, err, len(want))
			}
		}
	}
}

// TestFilterCorpusIsDiscriminating keeps the agreement test honest: the queries must select
// some captures and not others, so "both empty" cannot pass for agreement.
func TestFilterCorpusIsDiscriminating(t *testing.T) {
	s := openTest(t)
	corpus := filterCorpus(t, s)
	for q, want := range map[string]int{
		`"content-type: application/json"`: 24, "ÉTÉ": 6, "東京": 6, "status:4xx": 12, "method:get": 9,
		"needle": 6, `"x-index: 1"`: 11, "ü": 12,
	} {
		f, err := ParseQuery(q)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, c := range corpus {
			if f.Match(c) {
				n++
			}
		}
		if n != want {
			t.Errorf("%q matches %d of %d captures, want %d", q, n, len(corpus), want)
		}
	}
}

func TestParseQuery(t *testing.T) {
	yes := true
	tests := []struct {
		in   string
		want Filter
	}{
		{"route:stripe status:4xx", Filter{Route: "stripe", StatusClass: 4}},
		{"ROUTE:a Status:401 verified:yes", Filter{Route: "a", Status: 401, Verified: &yes}},
		{"method:post evt_1  evt_2", Filter{Method: "POST", Q: "evt_1 evt_2"}},
		{`"content-type: application/json"`, Filter{Q: "content-type: application/json"}},
		{`q:"a \"b\" c" source:tunnel`, Filter{Q: `a "b" c`, Source: SourceTunnel}},
		{`route:"my route"`, Filter{Route: "my route"}},
		{"12:30 é:1", Filter{Q: "12:30 é:1"}},
		{"https://example.com/x", Filter{Q: "https://example.com/x"}},
	}
	for _, tt := range tests {
		got, err := ParseQuery(tt.in)
		if err != nil {
			t.Errorf("ParseQuery(%q): %v", tt.in, err)
			continue
		}
		if got.Query() != tt.want.Query() || got.Q != tt.want.Q || got.Route != tt.want.Route {
			t.Errorf("ParseQuery(%q) = %q, want %q", tt.in, got.Query(), tt.want.Query())
		}
		again, err := ParseQuery(got.Query())
		if err != nil || again.Query() != got.Query() || again.Q != got.Q {
			t.Errorf("round trip of %q: %q, %v", tt.in, again.Query(), err)
		}
	}
}

func TestParseQueryErrorsSayWhatIsWanted(t *testing.T) {
	for in, want := range map[string]string{
		"method:GET!":             "want an HTTP method",
		"color:red":               `unknown key "color"`,
		"content-type: json":      `unknown key "content-type"`,
		"status:4yy":              "status:4xx",
		"status:99":               "status:401",
		"verified:maybe":          "verified:true or verified:false",
		"source:mars":             "local, tunnel, replay, craft or audit",
		`"open quote`:             "unterminated quote",
		"route:":                  "route: needs a value",
		strings.Repeat("x", 2000): "longer than 1024",
	} {
		_, err := ParseQuery(in)
		if err == nil || !strings.Contains(err.Error(), want) || !IsFilterError(err) {
			t.Errorf("ParseQuery(%.20q) = %v; want a filter error containing %q", in, err, want)
		}
	}
}

func TestFilterSetRefusesControlCharacters(t *testing.T) {
	var f Filter
	if err := f.Set("q", "a\nb"); err == nil {
		t.Fatal("a newline in free text was accepted")
	}
}

// TestMigrationIndexesAStoreWrittenByVersion1 opens a file written by the first schema (no
// search index) and finds its captures by free text after the migration.
func TestMigrationIndexesAStoreWrittenByVersion1(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v1.db")
	writeVersion1Store(t, path, 600)
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	for q, want := range map[string]int{"needle-0042": 1, "application/json": 600, "ÉTÉ": 600, `"x-n: 59"`: 11} {
		f, err := ParseQuery(q)
		if err != nil {
			t.Fatal(err)
		}
		if n, err := s.Count(ctx, f); err != nil || n != want {
			t.Errorf("%q: Count = %d, %v; want %d", q, n, err, want)
		}
	}
	requireNewestSchema(t, s)
	// Retention's deletes leave nothing behind in the index.
	if _, err := s.Prune(ctx, 0, 10); err != nil {
		t.Fatal(err)
	}
	if n, err := s.Count(ctx, Filter{Q: "application/json"}); err != nil || n != 10 {
		t.Errorf("after pruning to 10: Count = %d, %v", n, err)
	}
}

// writeVersion1Store writes n captures with the first schema step only, as hooktap did before
// the search index existed.
// insertVersion1SQL is the insert of the first schema, before response_headers.
const insertVersion1SQL = `INSERT INTO captures(id, received_at, source, peer, method, path, query, route,
	event, delivery_id, verified, status, latency_ns, truncated, replay_of, content_type, verification,
	rendered, response_body, headers, body)
	VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

func writeVersion1Store(t *testing.T, path string, n int) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, stmt := range []string{schemaVersionsDDL, captureSchema[0].sql,
		`INSERT INTO schema_versions(component, version) VALUES('capture', 1)`} {
		if _, err := db.Exec(stmt); err != nil {
			t.Fatal(err)
		}
	}
	start := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		at := start.Add(time.Duration(i) * time.Second)
		headers := encodeHeaders([]Header{{"Content-Type", "application/json"}, {"X-N", fmt.Sprint(i)}})
		body := fmt.Sprintf(`{"id":"needle-%04d","t":"%s"}`, i, []string{"été", "ÉTÉ"}[i%2])
		_, err := db.Exec(insertVersion1SQL, NewID(at), at.UnixNano(), "local", "", "POST", "/h", "", "r", "e", "",
			"", 202, 0, false, "", "application/json", "{}", "", []byte{}, headers, []byte(body))
		if err != nil {
			t.Fatal(err)
		}
	}
}
