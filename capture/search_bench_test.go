package capture

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"
)

// searchRows is 100 000 captures, the size free-text search must stay well under a second at;
// HOOKTAP_BENCH_SEARCH_ROWS=n picks another size.
func searchRows() int {
	if n, err := strconv.Atoi(os.Getenv("HOOKTAP_BENCH_SEARCH_ROWS")); err == nil && n > 0 {
		return n
	}
	return 100_000
}

// searchBody is a ~2 KiB compact JSON payload whose words vary with i.
func searchBody(i int) []byte {
	return fmt.Appendf(nil, `{"id":"evt_%08d","type":"payment_intent.succeeded","data":{"object":{"amount":%d,`+
		`"currency":"eur","customer":"cus_%06d","description":"Order %d for Zürich café","metadata":{"pad":"%0900d"},`+
		`"charges":{"data":[{"id":"ch_%08d","status":"succeeded","outcome":{"network_status":"approved_by_network",`+
		`"risk_level":"normal","seller_message":"Payment complete.","type":"authorized"},"receipt_url":`+
		`"https://pay.example.com/receipts/%08d","billing_details":{"email":"user%d@example.com","name":"Jane Doe"}}]}}}}`+
		`%0700d`, i, i*7, i%5000, i, i, i, i, i, 0)
}

// searchStore fills a store with n captures in large transactions.
func searchStore(b *testing.B, n int) *SQLite {
	s := fillStore(b, n, 32, func(i int, c *Capture) { c.Body = searchBody(i) })
	ctx := context.Background()
	if err := s.IndexPending(ctx); err != nil { // measure the index, not the pending walk
		b.Fatal(err)
	}
	return s
}

// BenchmarkSearch lists the first page (201 rows, what the TUI asks for) of a free-text filter
// over searchRows captures, with the trigram index and with a walk of the table (the
// design before the index: lower() and instr on every row; and the same walk through the Go
// matcher, the fallback for one- and two-character text); "hybrid" is what List does.
// BenchmarkSearchCount is the count the title shows.
func BenchmarkSearch(b *testing.B) {
	n := searchRows()
	s := searchStore(b, n)
	ctx := context.Background()
	instr := func(q string) (string, []any) {
		return ` WHERE (instr(lower(path), ?) > 0 OR instr(lower(query), ?) > 0
			OR instr(lower(headers), ?) > 0 OR instr(lower(body), ?) > 0)`, []any{q, q, q, q}
	}
	walk := func(q string) (string, []any) {
		return ` WHERE hooktap_search(path, query, headers, body, body_seg, body_off, body_len, body_sum, ?, ?)`, []any{s.bodies.dir, q}
	}
	indexed := func(q string) (string, []any) { return Filter{Q: q}.where(s.bodies.dir) }
	hybrid := func(q string) (string, []any) { return Filter{Q: q}.whereText(s.textPlan(ctx, q), s.bodies.dir) }
	for _, q := range []string{"no-such-text", "cus_004242", "zürich café"} {
		for _, d := range []struct {
			name  string
			where func(string) (string, []any)
		}{{"fts", indexed}, {"hybrid", hybrid}, {"instr", instr}, {"gowalk", walk}} {
			b.Run(fmt.Sprintf("rows=%d/q=%s/%s", n, q, d.name), func(b *testing.B) {
				for b.Loop() {
					where, args := d.where(q)
					rows, err := s.db.QueryContext(ctx, `SELECT `+selectColumns(false)+` FROM captures`+where+
						` ORDER BY id DESC LIMIT 201`, args...)
					if err != nil {
						b.Fatal(err)
					}
					cs, err := s.scanCaptures(rows, false)
					if err != nil {
						b.Fatal(err)
					}
					b.ReportMetric(float64(len(cs)), "listed")
				}
			})
		}
	}
}

// BenchmarkSaveSearchIndex is the insert cost the index adds: a 2 KiB capture saved with its
// index row (Save) against the index row alone.
func BenchmarkSaveSearchIndex(b *testing.B) {
	ctx := context.Background()
	b.Run("save", func(b *testing.B) {
		s := openTest(b)
		i := 0
		for b.Loop() {
			c := benchCapture()
			c.Body = searchBody(i)
			i++
			if err := s.Save(ctx, c); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("index-row-only", func(b *testing.B) {
		s := openTest(b)
		c := benchCapture()
		i := 0
		for b.Loop() {
			c.Body = searchBody(i)
			i++
			fields := searchFields(c.Path, c.Query, c.Headers, c.Body)
			if _, err := s.db.ExecContext(ctx, insertSearchSQL, i, fields[0], fields[1], fields[2], fields[3]); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkSearchCount(b *testing.B) {
	n := searchRows()
	s := searchStore(b, n)
	ctx := context.Background()
	for _, q := range []string{"no-such-text", "cus_004242", "zürich café"} {
		b.Run(fmt.Sprintf("rows=%d/q=%s", n, q), func(b *testing.B) {
			for b.Loop() {
				count, err := s.Count(ctx, Filter{Q: q})
				if err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(float64(count), "matches")
			}
		})
	}
}
