package tui

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/tui/internal/tuitest"
)

// The benchmarks share one store file, seeded once per run. Its size is 20 000 captures so a
// plain `go test -bench` stays quick; the full 100 000 of the spec needs both a non-short run
// and HOOKTAP_BENCH_100K=1:
//
//	HOOKTAP_BENCH_100K=1 go test ./tui -run x -bench 'OpenInspector100k|Feed500' -benchtime 20x
const (
	defaultSeedSize = 20_000
	fullSeedSize    = 100_000
)

var seeded struct {
	once sync.Once
	dir  string
	path string
	n    int
	err  error
}

// TestMain removes the shared seed file the benchmarks left behind.
func TestMain(m *testing.M) {
	code := m.Run()
	if seeded.dir != "" {
		_ = os.RemoveAll(seeded.dir)
	}
	os.Exit(code)
}

func seedSize() int {
	if !testing.Short() && os.Getenv("HOOKTAP_BENCH_100K") == "1" {
		return fullSeedSize
	}
	return defaultSeedSize
}

// seededStore opens the shared store file, seeding it on first use with small captures saved
// concurrently (group commit), and returns it with its number of captures.
func seededStore(b *testing.B) (*capture.SQLite, int) {
	b.Helper()
	seeded.once.Do(func() {
		seeded.n = seedSize()
		seeded.dir, seeded.err = os.MkdirTemp("", "hooktap-tui-bench-")
		if seeded.err != nil {
			return
		}
		seeded.path = filepath.Join(seeded.dir, "hooktap.db")
		start := time.Now()
		seeded.err = seed(seeded.path, seeded.n)
		b.Logf("seeded %d captures in %v", seeded.n, time.Since(start).Round(time.Millisecond))
	})
	if seeded.err != nil {
		b.Fatalf("seed the benchmark store: %v", seeded.err)
	}
	store, err := capture.Open(seeded.path, capture.WithClock(func() time.Time { return tuitest.Now }))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { store.Close() })
	return store, seeded.n
}

func seed(path string, n int) error {
	store, err := capture.Open(path, capture.WithClock(func() time.Time { return tuitest.Now }))
	if err != nil {
		return err
	}
	const workers = 256
	cs := tuitest.Many(0, n)
	errs := make(chan error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(cs); i += workers {
				if err := store.Save(context.Background(), cs[i]); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		store.Close()
		return err
	}
	return store.Close()
}

// BenchmarkOpenInspector100k is the time to the first screen on a big store: tui.New, the init
// Cmds and their answers (first page, count, detail of the newest capture), a 120×40 window size
// and the first View.
func BenchmarkOpenInspector100k(b *testing.B) {
	store, n := seededStore(b)
	for b.Loop() {
		l := openLoop(b, store)
		if got := l.r.inspector.List().Total(); got < n {
			b.Fatalf("the list counts %d captures, want at least %d", got, n)
		}
		if l.r.View().Content == "" {
			b.Fatal("empty first frame")
		}
		l.stop()
	}
	b.ReportMetric(float64(n), "captures")
}

// BenchmarkFeed500 feeds 500 captures through the real subscription into an open inspector on
// the big store and draws after every message the root handles, as the program would. Besides
// the time, it reports the redraws per 500 captures: the batching keeps it far below 500.
func BenchmarkFeed500(b *testing.B) {
	store, _ := seededStore(b)
	b.Run("burst", func(b *testing.B) {
		benchFeed(b, store, func() { saveBurst(b, store, fresh(500)) })
	})
	// paced is the load, 500 captures/s, in 5 captures every 10 ms: one op is a second.
	b.Run("paced-500-per-s", func(b *testing.B) {
		benchFeed(b, store, func() {
			tick := time.NewTicker(10 * time.Millisecond)
			defer tick.Stop()
			for range 100 {
				<-tick.C
				saveBurst(b, store, fresh(5))
			}
		})
	})
}

func benchFeed(b *testing.B, store *capture.SQLite, arrive func()) {
	l := openLoop(b, store)
	defer l.stop()
	views, batches, busy, rounds := l.views, l.batches, l.busy, 0
	for b.Loop() {
		items := l.items
		go arrive()
		l.feedUntil(b, items+500)
		rounds++
	}
	if l.r.inspector.List().Selected() == nil {
		b.Fatal("nothing selected after the feed")
	}
	b.ReportMetric(float64(l.views-views)/float64(rounds), "renders/500captures")
	b.ReportMetric(float64(l.batches-batches)/float64(rounds), "batches/500captures")
	b.ReportMetric(float64((l.busy-busy).Microseconds())/1000/float64(rounds), "ui-ms/500captures")
}
