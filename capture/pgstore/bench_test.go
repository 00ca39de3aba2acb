package pgstore

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/hooktap/hooktap/capture"
)

// benchBody is the real-shaped 7.6 KB GitHub push bench/load sends: a body of repeated bytes
// would hide the cost of indexing its text.
var benchBody = func() []byte {
	b, err := os.ReadFile("../../bench/load/testdata/github_push.json")
	if err != nil {
		panic(err)
	}
	return b
}()

func benchCapture() *capture.Capture {
	return &capture.Capture{Method: "POST", Path: "/webhooks/github-pr", Route: "github-pr", Event: "pull_request",
		Source: capture.SourceTunnel, ContentType: "application/json", Status: 202, Body: benchBody,
		Headers: []capture.Header{{Name: "Host", Value: "a1b2.ngrok.app"}, {Name: "Content-Type", Value: "application/json"},
			{Name: "X-GitHub-Event", Value: "pull_request"}, {Name: "X-Hub-Signature-256", Value: "sha256=" + strings.Repeat("a", 64)}}}
}

// BenchmarkSave saves from 16 goroutines per core, as gateway handlers under load do.
func BenchmarkSave(b *testing.B) {
	s, _ := openTest(b)
	benchSaves(b, []*Store{s})
}

// BenchmarkSaveWithoutTrigrams is BenchmarkSave without the free-text index: what indexing
// behind the writer still costs.
func BenchmarkSaveWithoutTrigrams(b *testing.B) {
	s, _ := openTest(b)
	if _, err := s.pool.Exec(context.Background(), `DROP INDEX IF EXISTS capture_search_trgm`); err != nil {
		b.Fatal(err)
	}
	benchSaves(b, []*Store{s})
}

// BenchmarkSaveTwoInstances splits the same load over two stores on one schema, as two
// gateways behind a load balancer.
func BenchmarkSaveTwoInstances(b *testing.B) {
	a, u := openTest(b)
	benchSaves(b, []*Store{a, openURL(b, u)})
}

func benchSaves(b *testing.B, stores []*Store) {
	b.SetBytes(int64(len(benchBody)))
	b.SetParallelism(16)
	var next atomic.Uint64
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		s := stores[next.Add(1)%uint64(len(stores))]
		for pb.Next() {
			if err := s.Save(context.Background(), benchCapture()); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.StopTimer()
	var writes, commits uint64
	for _, s := range stores {
		st := s.WriteStats()
		writes, commits = writes+st.Writes, commits+st.Commits
	}
	b.ReportMetric(float64(writes)/float64(max(commits, 1)), "rows/commit")
}

// BenchmarkSaveSerial is the idle path: one Save at a time, one commit each.
func BenchmarkSaveSerial(b *testing.B) {
	s, _ := openTest(b)
	b.SetBytes(int64(len(benchBody)))
	for b.Loop() {
		if err := s.Save(context.Background(), benchCapture()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSearch finds rare text in a 20,000-capture store, with and without the trigram
// index, for the newest page and a count.
func BenchmarkSearch(b *testing.B) {
	s, _ := openTest(b)
	ctx := context.Background()
	for i := range 20_000 {
		if i%200 == 0 {
			// Filled in bulk: the benchmark is about reading.
			if _, err := s.pool.Exec(ctx, `WITH c AS (INSERT INTO captures(id, received_at, route, body)
				SELECT lpad(to_hex(g), 26, '0'), g, 'route-' || (g % 5), convert_to(repeat('x', 1000) || g, 'UTF8')
				FROM generate_series($1::bigint, $1::bigint + 199) AS g RETURNING id, received_at)
				INSERT INTO capture_search(id, search) SELECT id,
				repeat('x', 1000) || received_at || CASE WHEN received_at % 1000 = 7 THEN ' needle' ELSE '' END FROM c`, i); err != nil {
				b.Fatal(err)
			}
		}
	}
	if _, err := s.pool.Exec(ctx, `ANALYZE`); err != nil {
		b.Fatal(err)
	}
	run := func(b *testing.B) {
		for _, f := range []capture.Filter{{Q: "needle"}, {Q: "xxx"}, {Q: "needle", Route: "route-2"}} {
			b.Run(fmt.Sprintf("list/%s", f.Query()), func(b *testing.B) {
				for b.Loop() {
					if _, err := s.List(ctx, f); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run(fmt.Sprintf("count/%s", f.Query()), func(b *testing.B) {
				for b.Loop() {
					if _, err := s.Count(ctx, f); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
	b.Run("trigram", run)
	if _, err := s.pool.Exec(ctx, `DROP INDEX capture_search_trgm`); err != nil {
		b.Fatal(err)
	}
	b.Run("walk", run)
}
