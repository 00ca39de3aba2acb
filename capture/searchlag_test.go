package capture

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// saveWords saves n captures whose bodies carry "word-<i>-x" and returns their ids.
func saveWords(t *testing.T, s *SQLite, n int) []string {
	t.Helper()
	ids := make([]string, n)
	for i := range n {
		c := benchCapture()
		c.Body = fmt.Appendf(nil, `{"note":"word-%d-x"}`, i)
		if err := s.Save(context.Background(), c); err != nil {
			t.Fatal(err)
		}
		ids[i] = c.ID
	}
	return ids
}

func findText(t *testing.T, s *SQLite, q string) []string {
	t.Helper()
	page, err := s.List(context.Background(), Filter{Q: q})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, c := range page.Captures {
		ids = append(ids, c.ID)
	}
	return ids
}

func indexedRowids(t *testing.T, s *SQLite, q string) int {
	t.Helper()
	var n int
	if err := s.DB().QueryRow(`SELECT COUNT(*) FROM captures_fts WHERE captures_fts MATCH ?`, ftsPhrase(q)).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestSearchBeforeAndAfterIndexing: a capture is found by its text while it waits for the index
// and after the indexer has written it, and the index then holds it.
func TestSearchBeforeAndAfterIndexing(t *testing.T) {
	s := openTest(t)
	ids := saveWords(t, s, 20)
	ctx := context.Background()
	if err := s.IndexPending(ctx); err != nil {
		t.Fatal(err)
	}
	if n, err := s.PendingSearch(ctx); err != nil || n != 0 {
		t.Fatalf("pending after IndexPending = %d, %v", n, err)
	}
	if got := indexedRowids(t, s, "word-7-x"); got != 1 {
		t.Fatalf("index holds %d rows for word-7-x, want 1", got)
	}
	// Take capture 7 back out of the index, as if it had just been saved.
	if _, err := s.DB().Exec(`DELETE FROM captures_fts WHERE rowid = (SELECT rowid FROM captures WHERE id = ?);
		INSERT INTO search_pending(capture_rowid) SELECT rowid FROM captures WHERE id = ?`, ids[7], ids[7]); err != nil {
		t.Fatal(err)
	}
	if indexedRowids(t, s, "word-7-x") != 0 {
		t.Fatal("the index still holds capture 7")
	}
	for _, q := range []string{"word-7-x", "WORD-7-X"} {
		if got := findText(t, s, q); len(got) != 1 || got[0] != ids[7] {
			t.Fatalf("pending capture: %q found %v, want [%s]", q, got, ids[7])
		}
	}
	if got := findText(t, s, "word-8-x"); len(got) != 1 || got[0] != ids[8] {
		t.Fatalf("indexed capture: found %v, want [%s]", got, ids[8])
	}
	if n, err := s.Count(ctx, Filter{Q: "word-"}); err != nil || n != 20 {
		t.Fatalf("Count(word-) = %d, %v; want 20 (19 indexed, 1 pending)", n, err)
	}
	if err := s.IndexPending(ctx); err != nil {
		t.Fatal(err)
	}
	if indexedRowids(t, s, "word-7-x") != 1 {
		t.Fatal("IndexPending did not index capture 7 again")
	}
}

// TestSaveLeavesIndexingToTheIndexer: the insert only notes the capture; the idle indexer
// writes it to the index without being asked.
func TestSaveLeavesIndexingToTheIndexer(t *testing.T) {
	s := openTest(t)
	ids := saveWords(t, s, 3)
	if got := findText(t, s, "word-2-x"); len(got) != 1 || got[0] != ids[2] {
		t.Fatalf("found %v right after Save, want [%s]", got, ids[2])
	}
	waitFor(t, "the idle indexer", func() bool { return indexedRowids(t, s, "word-2-x") == 1 })
	if n, _ := s.PendingSearch(context.Background()); n != 0 {
		t.Fatalf("%d captures still pending", n)
	}
}

// TestDeletingLeavesTheIndexToTheIndexer: deleting captures the index holds does no index work
// (it cost 0.25–1 ms per row on the writer); they are noted, and the indexer takes them out of
// the index later. Search never lists them meanwhile.
func TestDeletingLeavesTheIndexToTheIndexer(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	ids := saveWords(t, s, 20)
	if err := s.IndexPending(ctx); err != nil {
		t.Fatal(err)
	}
	if n, err := s.Prune(ctx, 0, 10); err != nil || n != 10 {
		t.Fatalf("Prune = %d, %v", n, err)
	}
	var noted int
	if err := s.DB().QueryRow(`SELECT COUNT(*) FROM search_deleted`).Scan(&noted); err != nil || noted != 10 {
		t.Fatalf("noted for the indexer: %d, %v", noted, err)
	}
	if indexedRowids(t, s, "word-3-x") != 1 {
		t.Fatal("the delete itself took the capture out of the index")
	}
	if got := findText(t, s, "word-3-x"); len(got) != 0 {
		t.Fatalf("a deleted capture is found: %v", got)
	}
	if got := findText(t, s, "word-13-x"); len(got) != 1 || got[0] != ids[13] {
		t.Fatalf("a kept capture: %v", got)
	}
	if err := s.IndexPending(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.DB().QueryRow(`SELECT COUNT(*) FROM search_deleted`).Scan(&noted); err != nil || noted != 0 {
		t.Fatalf("still noted after indexing: %d, %v", noted, err)
	}
	if indexedRowids(t, s, "word-3-x") != 0 || indexedRowids(t, s, "word-13-x") != 1 {
		t.Fatal("the indexer did not take the deleted capture out, or took a kept one")
	}
}

// TestReusedRowidIsNotFoundByStaleIndex: after a Clear, SQLite numbers new captures from 1 again,
// while the index may still hold what the old capture with that number said. Search must not
// find the new capture by the old one's text, before or after the indexer catches up.
func TestReusedRowidIsNotFoundByStaleIndex(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	old := benchCapture()
	old.Body = []byte(`{"note":"alpha-text"}`)
	if err := s.Save(ctx, old); err != nil {
		t.Fatal(err)
	}
	if err := s.IndexPending(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Clear(ctx); err != nil {
		t.Fatal(err)
	}
	fresh := benchCapture()
	fresh.Body = []byte(`{"note":"beta-text"}`)
	if err := s.Save(ctx, fresh); err != nil {
		t.Fatal(err)
	}
	var rowid int64
	if err := s.DB().QueryRow(`SELECT rowid FROM captures WHERE id = ?`, fresh.ID).Scan(&rowid); err != nil || rowid != 1 {
		t.Fatalf("the new capture's rowid is %d (%v); the test needs it reused", rowid, err)
	}
	for _, when := range []string{"before indexing", "after indexing"} {
		if got := findText(t, s, "alpha-text"); len(got) != 0 {
			t.Errorf("%s: the new capture is found by the old one's text: %v", when, got)
		}
		if got := findText(t, s, "beta-text"); len(got) != 1 || got[0] != fresh.ID {
			t.Errorf("%s: the new capture by its own text: %v", when, got)
		}
		if err := s.IndexPending(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if indexedRowids(t, s, "alpha-text") != 0 {
		t.Error("the old capture's text is still in the index")
	}
}

// TestDeletedCaptureLeavesNothingPending: deleting a capture that was never indexed removes its
// pending row, and the index's delete trigger accepts a rowid it never held.
func TestDeletedCaptureLeavesNothingPending(t *testing.T) {
	s := openTest(t)
	ids := saveWords(t, s, 2)
	if _, err := s.DB().Exec(`DELETE FROM captures WHERE id = ?`, ids[0]); err != nil {
		t.Fatal(err)
	}
	if err := s.IndexPending(context.Background()); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := s.DB().QueryRow(`SELECT COUNT(*) FROM search_pending`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("pending rows = %d, %v", n, err)
	}
	if indexedRowids(t, s, "word-0-x") != 0 || indexedRowids(t, s, "word-1-x") != 1 {
		t.Fatal("index holds the deleted capture, or lost the kept one")
	}
}

// TestMigrationToPendingIndex opens a store written by the schema before version 4 (every
// capture indexed by its insert): nothing is pending after the upgrade, old captures are found
// from the index, and a new capture waits in search_pending.
func TestMigrationToPendingIndex(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hooktap.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	old := saveWords(t, s, 5)
	if err := s.IndexPending(context.Background()); err != nil {
		t.Fatal(err)
	}
	// Back to version 3: no pending table or triggers, every capture in the index.
	s = reopenAt(t, s, path, 3)
	requireNewestSchema(t, s)
	if n, err := s.PendingSearch(context.Background()); err != nil || n != 0 {
		t.Fatalf("pending after the upgrade = %d, %v", n, err)
	}
	if got := findText(t, s, "word-3-x"); len(got) != 1 || got[0] != old[3] {
		t.Fatalf("old capture: found %v", got)
	}
	c := benchCapture()
	c.Body = []byte(`{"note":"fresh-one"}`)
	if err := s.Save(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	if got := findText(t, s, "fresh-one"); len(got) != 1 || got[0] != c.ID {
		t.Fatalf("new capture: found %v", got)
	}
}

// waitFor polls cond until it holds, failing after ten seconds: for work a background goroutine
// does on its own schedule.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s did not finish within 10s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestIndexStepYieldsToSave: a Save queued while an index step runs interrupts the step (rolled
// back, its captures still pending) instead of waiting for it. The step here pauses until it is
// interrupted, as a merge of a large index holds the writer for seconds.
func TestIndexStepYieldsToSave(t *testing.T) {
	var paused atomic.Bool
	paused.Store(true)
	entered := make(chan struct{})
	var once sync.Once
	indexStepPause = func(ctx context.Context) {
		if paused.Load() {
			once.Do(func() { close(entered) })
			<-ctx.Done()
		}
	}
	t.Cleanup(func() { indexStepPause = nil }) // after the store's own cleanup has closed it
	s := openTest(t)
	saveWords(t, s, 3)
	<-entered // the idle indexer's step holds the writer
	saved := make(chan error, 1)
	go func() { saved <- s.Save(context.Background(), benchCapture()) }()
	select {
	case err := <-saved:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Save waited for the index step")
	}
	if n, err := s.PendingSearch(context.Background()); err != nil || n != 4 {
		t.Fatalf("pending after the interrupted step = %d, %v; want 4", n, err)
	}
	paused.Store(false)
	waitFor(t, "the idle indexer", func() bool { return indexedRowids(t, s, "word-1-x") == 1 })
}

// TestIndexStepsBetweenSaves interleaves index steps with a stream of Saves, so steps are
// interrupted at every point: no Save may fail, and every capture ends up indexed once.
func TestIndexStepsBetweenSaves(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	const savers, each = 8, 40
	var wg sync.WaitGroup
	errs := make(chan error, savers*each+1)
	stop := make(chan struct{})
	indexed := make(chan struct{})
	go func() {
		defer close(indexed)
		for {
			select {
			case <-stop:
				return
			default:
			}
			if err := s.IndexPending(ctx); err != nil {
				errs <- fmt.Errorf("IndexPending: %w", err)
				return
			}
		}
	}()
	for w := range savers {
		wg.Go(func() {
			for i := range each {
				c := benchCapture()
				c.Body = fmt.Appendf(nil, `{"note":"mark-%d-%d-x","pad":"%s"}`, w, i, benchBody[100:4000])
				if err := s.Save(ctx, c); err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(stop)
	<-indexed
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if err := s.IndexPending(ctx); err != nil {
		t.Fatal(err)
	}
	if n, err := s.PendingSearch(ctx); err != nil || n != 0 {
		t.Fatalf("pending = %d, %v", n, err)
	}
	if got := indexedRowids(t, s, "mark-"); got != savers*each {
		t.Fatalf("index holds %d captures, want %d", got, savers*each)
	}
}

// TestIndexingKeepsTheWALSmall: index steps commit outside the write batches the checkpoint loop
// watches, so each step checkpoints itself; without it the WAL grew by the whole index while the
// store was idle (6.8 MB of WAL for a 2 MB database here).
func TestIndexingKeepsTheWALSmall(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	for i := range 400 {
		c := benchCapture()
		c.Body = fmt.Appendf(nil, `{"note":"mark-%d-x","pad":"%s"}`, i, benchBody[100:4000])
		if err := s.Save(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	walSize := func() int64 {
		fi, err := os.Stat(s.path + "-wal")
		if err != nil {
			t.Fatal(err)
		}
		return fi.Size()
	}
	dbSize := func() int64 {
		fi, err := os.Stat(s.path)
		if err != nil {
			t.Fatal(err)
		}
		return fi.Size()
	}
	walBefore, dbBefore := walSize(), dbSize()
	if err := s.IndexPending(ctx); err != nil {
		t.Fatal(err)
	}
	// The index the steps wrote is what the database grew by; without the steps' checkpoints the
	// WAL grows by all of it (and more: every step's pages are new frames).
	grown, index := walSize()-walBefore, dbSize()-dbBefore
	t.Logf("WAL %d → %d bytes while indexing; the database grew by %d", walBefore, walBefore+grown, index)
	if index <= 0 || grown > index/2 {
		t.Fatalf("WAL grew by %d bytes while %d bytes of index were written", grown, index)
	}
}

// TestIndexKeepsUpWithSteadyTraffic: a capture every 40 ms never leaves the store idle for
// indexIdle, so the index never grew under steady traffic and search read every pending body.
// Past indexBacklog the indexer settles for shorter pauses and catches up. (The gaps leave
// room for index steps under the race detector too.)
func TestIndexKeepsUpWithSteadyTraffic(t *testing.T) {
	defer func(n int64) { indexBacklog = n }(indexBacklog)
	indexBacklog = 40
	s := openTest(t)
	ctx := context.Background()
	saveWords(t, s, 120)
	stop := make(chan struct{})
	trickle := make(chan error, 1)
	go func() {
		tick := time.NewTicker(40 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				trickle <- nil
				return
			case <-tick.C:
			}
			c := benchCapture()
			c.Body = []byte(`{"note":"trickle"}`)
			if err := s.Save(ctx, c); err != nil {
				trickle <- err
				return
			}
		}
	}()
	waitFor(t, "the backlog to shrink under steady traffic", func() bool {
		n, err := s.PendingSearch(ctx)
		return err == nil && n < 40
	})
	close(stop)
	if err := <-trickle; err != nil {
		t.Fatal(err)
	}
}
