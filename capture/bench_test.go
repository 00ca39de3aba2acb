package capture

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// benchBody is a typical GitHub pull_request payload size (~7.6 KB).
var benchBody = []byte(`{"action":"opened","number":42,"pull_request":{"title":"` + strings.Repeat("x", 7600) + `"}}`)

func benchCapture() *Capture {
	return &Capture{Method: "POST", Path: "/webhooks/github-pr", Route: "github-pr", Event: "pull_request",
		Source: SourceTunnel, ContentType: "application/json", Status: 202, Body: benchBody,
		Headers: []Header{{"Host", "a1b2.ngrok.app"}, {"Content-Type", "application/json"},
			{"X-GitHub-Event", "pull_request"}, {"X-Hub-Signature-256", "sha256=" + strings.Repeat("a", 64)}}}
}

func BenchmarkSave(b *testing.B) {
	s := openTest(b)
	b.SetBytes(int64(len(benchBody)))
	b.SetParallelism(16) // many gateway handlers at once, as under load
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := s.Save(context.Background(), benchCapture()); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.StopTimer()
	st := s.WriteStats()
	b.ReportMetric(float64(st.Writes)/float64(max(st.Commits, 1)), "rows/commit")
}

// BenchmarkSaveSerial is the idle path: one Save at a time, one commit each.
func BenchmarkSaveSerial(b *testing.B) {
	s := openTest(b)
	b.SetBytes(int64(len(benchBody)))
	for b.Loop() {
		if err := s.Save(context.Background(), benchCapture()); err != nil {
			b.Fatal(err)
		}
	}
}

// filledStore builds a store with n captures over 5 routes in large batches.
func filledStore(b *testing.B, n int) *SQLite {
	return fillStore(b, n, 64, func(i int, c *Capture) {
		c.Body = benchBody[:1024] // list speed does not depend on body size; disk use does
		c.Route = fmt.Sprintf("route-%d", i%5)
	})
}

// fillStore saves n captures a second apart from workers goroutines (SQLite batches them into
// large transactions), each shaped by shape(i, c).
func fillStore(b *testing.B, n, workers int, shape func(i int, c *Capture)) *SQLite {
	b.Helper()
	s := openTest(b)
	start := time.Now().Add(-time.Duration(n) * time.Second)
	ctx := context.Background()
	errs := make(chan error, workers)
	for w := range workers {
		go func() {
			for i := w; i < n; i += workers {
				c := benchCapture()
				c.ReceivedAt = start.Add(time.Duration(i) * time.Second)
				shape(i, c)
				if err := s.Save(ctx, c); err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
	}
	for range workers {
		if err := <-errs; err != nil {
			b.Fatal(err)
		}
	}
	return s
}

// benchRows is 10k rows; HOOKTAP_BENCH_1M=1 adds 1M (slow to build, ~1.5 GB on disk) and
// HOOKTAP_BENCH_ROWS=n adds any other size.
func benchRows(b *testing.B) []int {
	rows := []int{10_000}
	if os.Getenv("HOOKTAP_BENCH_1M") == "1" {
		rows = append(rows, 1_000_000)
	}
	if n, err := strconv.Atoi(os.Getenv("HOOKTAP_BENCH_ROWS")); err == nil && n > 0 {
		rows = append(rows, n)
	}
	return rows
}

func BenchmarkListNewest(b *testing.B) {
	for _, n := range benchRows(b) {
		b.Run(fmt.Sprintf("rows=%d", n), func(b *testing.B) {
			s := filledStore(b, n)
			b.ResetTimer()
			for b.Loop() {
				if page, err := s.List(context.Background(), Filter{Limit: 50}); err != nil || len(page.Captures) != 50 {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkListPage(b *testing.B) {
	for _, n := range benchRows(b) {
		b.Run(fmt.Sprintf("rows=%d", n), func(b *testing.B) {
			s := filledStore(b, n)
			mid, err := s.List(context.Background(), Filter{Limit: n / 2})
			if err != nil {
				b.Fatal(err)
			}
			f := Filter{Limit: 50, Route: "route-3", Before: mid.Next}
			b.ResetTimer()
			for b.Loop() {
				if page, err := s.List(context.Background(), f); err != nil || len(page.Captures) != 50 {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkSaveAtMaxCount is Save on a store at its count limit, where every thousand inserts
// retention deletes as many of the oldest captures: the steady state of a long-running gateway.
func BenchmarkSaveAtMaxCount(b *testing.B) {
	const keep = 5000
	s := openTest(b, WithRetention(keep, 0))
	ctx := context.Background()
	for range keep {
		if err := s.Save(ctx, benchCapture()); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(len(benchBody)))
	b.SetParallelism(16)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := s.Save(ctx, benchCapture()); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkGetShortID looks a capture up by the short form every surface shows (its end), as
// `hooktap captures show a1b2c3` does.
func BenchmarkGetShortID(b *testing.B) {
	for _, n := range benchRows(b) {
		b.Run(fmt.Sprintf("rows=%d", n), func(b *testing.B) {
			s := filledStore(b, n)
			page, err := s.List(context.Background(), Filter{Limit: 1})
			if err != nil || len(page.Captures) != 1 {
				b.Fatal(err)
			}
			short := ShortID(page.Captures[0].ID)
			b.ResetTimer()
			for b.Loop() {
				if _, err := s.Get(context.Background(), short); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
