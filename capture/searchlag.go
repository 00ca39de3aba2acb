package capture

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"time"
)

// The free-text index is written behind the captures, not with them. Splitting a 7.6 KB JSON
// body into trigrams costs about ten times the rest of its insert (1.2 ms of CPU against
// 0.12 ms, BENCHMARKS.md), and the gateway's 2xx waits for that insert. So an insert only notes
// its capture in search_pending (a trigger, in the same transaction); once the store has taken
// no capture for indexIdle, the indexer indexes the pending ones a few at a time, each step a
// short write, and checks for new captures between steps, so a request that arrives meanwhile
// waits for one step at most. Search reads pending captures directly with hooktap_search, the
// rule the index answers, so a capture is found the moment it is saved.

const (
	// indexIdle is how long no capture may arrive before the indexer starts.
	indexIdle = 50 * time.Millisecond
	// indexStep is how many captures one write indexes: about 10 ms of the writer's time.
	indexStep = 8
)

// indexLoop indexes pending captures whenever the store has been idle for indexIdle.
func (s *SQLite) indexLoop() {
	defer close(s.indexExit)
	ticker := time.NewTicker(indexIdle)
	defer ticker.Stop()
	seen := s.saved.Load()
	for {
		select {
		case <-s.closing:
			return
		case <-ticker.C:
		}
		if now := s.saved.Load(); now != seen {
			seen = now // busy: wait for a quiet tick
			continue
		}
		s.indexWhileIdle(seen)
		seen = s.saved.Load()
	}
}

// indexWhileIdle runs index steps until nothing is pending, a capture arrives or the store closes.
func (s *SQLite) indexWhileIdle(seen uint64) {
	for s.saved.Load() == seen {
		n, err := s.indexPendingStep()
		if err != nil {
			slog.Debug("capture search index", "path", s.path, "err", err)
			return
		}
		if n < indexStep {
			return
		}
	}
}

// indexPendingStep indexes up to indexStep pending captures in one write and returns how many.
func (s *SQLite) indexPendingStep() (int, error) {
	var n int
	op := &writeOp{apply: func(ctx context.Context, tx *sql.Tx) error {
		var err error
		n, err = indexPending(ctx, tx, tx.StmtContext(ctx, s.searchStmt), indexStep)
		return err
	}}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return n, s.enqueue(ctx, op)
}

// indexPending indexes the oldest limit pending captures and takes them off the list.
func indexPending(ctx context.Context, tx *sql.Tx, stmt *sql.Stmt, limit int) (int, error) {
	rows, err := tx.QueryContext(ctx, `SELECT c.rowid, c.path, c.query, c.headers, c.body
		FROM search_pending p JOIN captures c ON c.rowid = p.capture_rowid
		ORDER BY p.capture_rowid LIMIT ?`, limit)
	if err != nil {
		return 0, err
	}
	batch, err := scanSearchRows(rows)
	if err != nil {
		return 0, fmt.Errorf("index captures for search: %w", err)
	}
	for _, r := range batch {
		if err := insertSearchRow(ctx, stmt, r.rowid, r.fields); err != nil {
			return 0, err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM search_pending WHERE capture_rowid = ?`, r.rowid); err != nil {
			return 0, err
		}
	}
	return len(batch), nil
}

// PendingSearch is how many captures wait to enter the free-text index (they are searched
// directly meanwhile).
func (s *SQLite) PendingSearch(ctx context.Context) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM search_pending`).Scan(&n)
	return n, err
}

// IndexPending indexes every pending capture now, a step at a time through the writer, instead
// of waiting for the store to be idle: for benchmarks and tools that search right after a burst.
func (s *SQLite) IndexPending(ctx context.Context) error {
	for {
		n, err := s.indexPendingStep()
		if err != nil || n < indexStep {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
}
