package capture

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"
)

// The free-text index is written behind the captures, not with them. Splitting a 7.6 KB JSON
// body into trigrams costs about ten times the rest of its insert (1.2 ms of CPU against
// 0.12 ms, BENCHMARKS.md), and the gateway's 2xx waits for that insert. So an insert only notes
// its capture in search_pending (a trigger, in the same transaction); once the store has taken
// no capture for indexIdle (indexQuiet past a long backlog), the indexer indexes the pending
// ones a few at a time, each step its own transaction that a write arriving meanwhile
// interrupts (indexPendingStep), so a request never waits for the index. Search reads pending captures directly with hooktap_search, the
// rule the index answers, so a capture is found the moment it is saved.

const (
	// indexIdle is how long no capture may arrive before the indexer starts.
	indexIdle = 50 * time.Millisecond
	// indexQuiet is the shorter pause the indexer takes once indexBacklog captures wait: a
	// gateway taking a capture every few milliseconds is never idle for indexIdle, and its
	// index never grew (search then read every pending capture's body).
	indexQuiet = 5 * time.Millisecond
	// indexStep is how many captures one write indexes: about 10 ms of the writer's time.
	indexStep = 8
)

// indexBacklog is how many captures may wait before the indexer settles for indexQuiet; a
// variable so tests can lower it.
var indexBacklog int64 = 5000

// indexLoop indexes pending captures whenever the store has been idle for indexIdle, or for
// indexQuiet once the backlog is long. Under a steady flood neither happens, so the indexer
// takes no CPU from the requests; a write that arrives interrupts a step anyway.
func (s *SQLite) indexLoop() {
	defer close(s.indexExit)
	wait := indexIdle
	timer := time.NewTimer(wait)
	defer timer.Stop()
	seen := s.saved.Load()
	for {
		select {
		case <-s.closing:
			return
		case <-timer.C:
		}
		if now := s.saved.Load(); now != seen {
			seen = now // busy: wait for a quiet interval
			if wait == indexIdle && s.pendingBacklog() >= indexBacklog {
				wait = indexQuiet
			}
			timer.Reset(wait)
			continue
		}
		s.indexWhileIdle(seen)
		seen, wait = s.saved.Load(), indexIdle
		timer.Reset(wait)
	}
}

// pendingBacklog estimates how many captures wait for the index from the span of their rowids
// (two probes; a COUNT would walk the list).
func (s *SQLite) pendingBacklog() int64 {
	var lo, hi sql.NullInt64
	err := s.db.QueryRow(`SELECT (SELECT MIN(capture_rowid) FROM search_pending), (SELECT MAX(capture_rowid) FROM search_pending)`).Scan(&lo, &hi)
	if err != nil || !hi.Valid {
		return 0
	}
	return hi.Int64 - lo.Int64 + 1
}

// indexWhileIdle runs index steps until nothing is pending, a capture arrives or the store closes.
func (s *SQLite) indexWhileIdle(seen uint64) {
	for s.saved.Load() == seen {
		n, err := s.indexPendingStep()
		if errors.Is(err, errIndexYielded) {
			return
		}
		if err != nil {
			slog.Debug("capture search index", "path", s.path, "err", err)
			return
		}
		if n < indexStep {
			return
		}
	}
}

// errIndexYielded reports an index step given up for a write that arrived while it ran.
var errIndexYielded = errors.New("search index step yielded to a write")

// indexPendingStep indexes up to indexStep pending captures in one transaction of its own and
// returns how many. A step is short most of the time, but writing to the index also merges its
// segments, and on a large index one merge can take seconds (1 M pending captures: requests
// waited 1.5–6.7 s behind it, 5–204 req/s). So the step yields: any write queued while it runs
// interrupts it and rolls it back, the write waits for that rollback only, and the step is done
// again at the next idle moment. Closing the store interrupts it too.
func (s *SQLite) indexPendingStep() (int, error) {
	var n int
	op := &writeOp{solo: func(_ context.Context, conn *sql.Conn) error {
		// No time limit: a merge that outlasted one would be redone from the start forever.
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		s.indexCancel.Store(&cancel)
		defer s.indexCancel.Store(nil)
		if len(s.queue) > 0 || s.isClosing() { // arrived before the step could be interrupted
			return errIndexYielded
		}
		var err error
		n, err = indexPendingTx(ctx, conn, s.searchStmt, s.bodies)
		if err != nil && ctx.Err() != nil {
			return errIndexYielded
		}
		if err == nil && n > 0 {
			// Steps are not batches, so checkpointLoop does not see them; without this an idle
			// store indexing a backlog grew its WAL by the whole index (6.8 MB for 400 captures
			// of 4 KB, against a 2 MB database). Interruptible like the step.
			if cerr := s.checkpoint(ctx, conn); cerr != nil {
				slog.Debug("capture checkpoint after index step", "path", s.path, "err", cerr)
			}
		}
		return err
	}}
	return n, s.enqueue(context.Background(), op)
}

// indexStepPause, set only by tests, runs inside each index step's transaction: a step that
// pauses until it is interrupted stands for a merge of a large index.
var indexStepPause func(ctx context.Context)

// yieldIndex interrupts a running index step: a write is waiting, or the store is closing.
func (s *SQLite) yieldIndex() {
	if cancel := s.indexCancel.Load(); cancel != nil {
		(*cancel)()
	}
}

// indexPendingTx runs one index step in its own transaction on conn. ctx interrupts its
// statements only: the transaction itself is begun without it, because database/sql rolls a
// transaction whose context ended back from another goroutine, which raced the writer's next
// BEGIN on the same connection ("cannot start a transaction within a transaction"). An
// interrupted statement rolls the transaction back in SQLite, and the Rollback here finishes it
// before the writer moves on. The index's segment merges run in the explicit flush, under ctx,
// so the commit after it only writes pages.
func indexPendingTx(ctx context.Context, conn *sql.Conn, stmt *sql.Stmt, bodies *bodyFiles) (int, error) {
	tx, err := conn.BeginTx(context.Background(), nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	if indexStepPause != nil {
		indexStepPause(ctx)
	}
	// Deleted captures leave the index first, so a rowid a new capture reused is never indexed
	// twice.
	n, err := forgetDeleted(ctx, tx, indexStep)
	if err == nil && n < indexStep {
		var m int
		m, err = indexPending(ctx, tx, tx.StmtContext(ctx, stmt), bodies, indexStep-n)
		n += m
	}
	if err == nil && n > 0 {
		_, err = tx.ExecContext(ctx, `INSERT INTO captures_fts(captures_fts) VALUES('flush')`)
	}
	if err != nil {
		return 0, err
	}
	return n, tx.Commit()
}

// forgetDeleted takes up to limit deleted captures out of the index (schema version 9 says why
// this is not done when they are deleted). When no capture is left — after a Clear — the whole
// index goes in one statement instead of a delete per row.
func forgetDeleted(ctx context.Context, tx *sql.Tx, limit int) (int, error) {
	var deleted, left bool
	err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM search_deleted), EXISTS (SELECT 1 FROM captures)`).Scan(&deleted, &left)
	if err != nil || !deleted {
		return 0, err
	}
	if !left {
		if _, err := tx.ExecContext(ctx, `INSERT INTO captures_fts(captures_fts) VALUES('delete-all')`); err != nil {
			return 0, err
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM search_deleted`)
		return 1, err
	}
	rows, err := tx.QueryContext(ctx, `SELECT capture_rowid FROM search_deleted ORDER BY capture_rowid LIMIT ?`, limit)
	if err != nil {
		return 0, err
	}
	var rowids []int64
	for rows.Next() {
		var r int64
		if err := rows.Scan(&r); err != nil {
			rows.Close()
			return 0, err
		}
		rowids = append(rowids, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	for _, r := range rowids {
		if _, err := tx.ExecContext(ctx, `DELETE FROM captures_fts WHERE rowid = ?`, r); err != nil {
			return 0, err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM search_deleted WHERE capture_rowid = ?`, r); err != nil {
			return 0, err
		}
	}
	return len(rowids), nil
}

// indexPending indexes the oldest limit pending captures and takes them off the list.
func indexPending(ctx context.Context, tx *sql.Tx, stmt *sql.Stmt, bodies *bodyFiles, limit int) (int, error) {
	rows, err := tx.QueryContext(ctx, `SELECT c.rowid, c.path, c.query, c.headers, c.body,
		c.body_seg, c.body_off, c.body_len, c.body_sum
		FROM search_pending p JOIN captures c ON c.rowid = p.capture_rowid
		ORDER BY p.capture_rowid LIMIT ?`, limit)
	if err != nil {
		return 0, err
	}
	batch, err := scanSearchRows(rows, true, bodies)
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
		if !r.whole {
			if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO search_partial(capture_rowid) VALUES(?)`, r.rowid); err != nil {
				return 0, err
			}
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
		if err := ctx.Err(); err != nil {
			return err
		}
		n, err := s.indexPendingStep()
		if errors.Is(err, errIndexYielded) {
			continue // a write came first; the step is still to do
		}
		if err != nil || n < indexStep {
			return err
		}
	}
}
