package capture

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"
)

// pruneChunk bounds one delete so queued Saves wait at most one small statement: a capture's
// delete costs 5–8 µs of the writer's time (BENCHMARKS.md), so a chunk holds it under 1 ms.
const pruneChunk = 128

// Prune deletes captures received more than olderThan ago and all but the newest keep captures
// (zero disables either rule). It deletes in small chunks queued behind pending writes, so
// ingestion continues while it runs. It returns how many captures were deleted.
func (s *SQLite) Prune(ctx context.Context, olderThan time.Duration, keep int) (int64, error) {
	var total int64
	if olderThan > 0 {
		// Ordered by received_at so the index answers it: with nothing to prune it is one probe,
		// where ORDER BY id would walk every row under the write lock.
		cutoff := s.opts.now().Add(-olderThan).UnixNano()
		n, err := s.deleteChunks(ctx, `received_at < ?`+owesNothing, "received_at", cutoff)
		total += n
		if err != nil {
			return total, fmt.Errorf("prune captures older than %s: %w", olderThan, err)
		}
	}
	if keep > 0 {
		n, err := s.pruneBeyond(ctx, keep)
		total += n
		if err != nil {
			return total, fmt.Errorf("prune captures beyond %d: %w", keep, err)
		}
	}
	return total, nil
}

// rowidSpanQuery asks for the oldest and newest rowid in two subqueries: SQLite answers a lone
// MIN or MAX with one b-tree probe, but MIN and MAX in the same SELECT with a scan of the whole
// table (seconds on a large store, every time retention runs).
const rowidSpanQuery = `SELECT (SELECT MIN(rowid) FROM captures), (SELECT MAX(rowid) FROM captures)`

// pruneBeyond keeps the newest keep captures. Rows are deleted from the oldest end, so the
// rowid span is the count (two index probes, where an OFFSET would walk keep rows every time
// retention runs); the only holes are captures kept for a pending delivery, which makes the
// span over-count and the store hold keep plus those few.
func (s *SQLite) pruneBeyond(ctx context.Context, keep int) (int64, error) {
	var lo, hi sql.NullInt64
	if err := s.db.QueryRowContext(ctx, rowidSpanQuery).Scan(&lo, &hi); err != nil {
		return 0, err
	}
	if !hi.Valid || hi.Int64-lo.Int64+1 <= int64(keep) {
		return 0, nil
	}
	return s.deleteChunks(ctx, `rowid <= ?`+owesNothing, "rowid", hi.Int64-int64(keep))
}

// owesNothing keeps retention away from a capture whose delivery is still pending in the
// outbox: the 2xx it was answered with promised that delivery, and the outbox reads the body
// from the capture. Such a capture goes once its delivery succeeds or is given up (dead), so
// what it holds back is bounded by the outbox's retry window. An explicit Clear still removes
// everything.
const owesNothing = ` AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.capture_id = captures.id AND o.state = 'pending')`

// Clear deletes every capture committed so far and returns how many there were.
func (s *SQLite) Clear(ctx context.Context) (int64, error) {
	var newest sql.NullString
	if err := s.db.QueryRowContext(ctx, `SELECT MAX(id) FROM captures`).Scan(&newest); err != nil {
		return 0, fmt.Errorf("clear captures: %w", err)
	}
	if !newest.Valid {
		return 0, nil
	}
	n, err := s.deleteChunks(ctx, `id <= ?`, "id", newest.String)
	if err != nil {
		return n, fmt.Errorf("clear captures: %w", err)
	}
	return n, nil
}

// deleteChunks deletes the oldest rows matching cond, pruneChunk at a time, each chunk one
// statement in the writer's queue (deliveries go with them through ON DELETE CASCADE).
func (s *SQLite) deleteChunks(ctx context.Context, cond, order string, arg any) (int64, error) {
	stmt := `DELETE FROM captures WHERE id IN (SELECT id FROM captures WHERE ` + cond + ` ORDER BY ` + order + ` LIMIT ?)`
	var total int64
	for {
		var n int64
		op := &writeOp{apply: func(ctx context.Context, tx *sql.Tx) error {
			res, err := tx.ExecContext(ctx, stmt, arg, pruneChunk)
			if err == nil {
				n, err = res.RowsAffected()
			}
			return err
		}}
		if err := s.enqueue(ctx, op); err != nil {
			return total, err
		}
		total += n
		if n < pruneChunk {
			if total == 0 {
				return 0, nil
			}
			return total, s.reclaimBodies(ctx)
		}
	}
}

// reclaimBodies deletes the segment files no capture points into any more (bodyfile.go). It is
// queued like a write, so it judges and deletes under the write lock.
func (s *SQLite) reclaimBodies(ctx context.Context) error {
	op := &writeOp{apply: func(ctx context.Context, tx *sql.Tx) error {
		freed, err := s.bodies.reclaim(func(seg int64) (bool, error) {
			var one int
			err := tx.QueryRowContext(ctx, `SELECT 1 FROM captures WHERE body_seg = ? LIMIT 1`, seg).Scan(&one)
			if errors.Is(err, sql.ErrNoRows) {
				return false, nil
			}
			return err == nil, err
		})
		if err != nil {
			// Not the batch's failure: the Saves queued with it must still commit. The segment
			// stays and the next pass tries again.
			slog.Warn("capture retention: reclaiming body segments failed", "path", s.bodies.dir, "err", err)
		} else if freed > 0 {
			slog.Debug("capture retention reclaimed body segments", "path", s.bodies.dir, "bytes", freed)
		}
		return nil
	}}
	return s.enqueue(ctx, op)
}

// retentionLoop applies the retention policy at open, every pruneEvery, and after bursts.
func (s *SQLite) retentionLoop() {
	defer close(s.retentionExit)
	ticker := time.NewTicker(s.opts.pruneEvery)
	defer ticker.Stop()
	for {
		s.applyRetention()
		select {
		case <-s.closing:
			return
		case <-ticker.C:
		case <-s.retentionWake:
		}
	}
}

func (s *SQLite) applyRetention() {
	n, err := s.Prune(context.Background(), s.opts.maxAge, s.opts.maxCount)
	if err == nil && s.opts.maxBytes > 0 {
		var m int64
		m, err = s.pruneToBytes(context.Background(), s.opts.maxBytes)
		n += m
		if err != nil {
			err = fmt.Errorf("prune captures to %d bytes: %w", s.opts.maxBytes, err)
		}
	}
	if err != nil && !errors.Is(err, ErrClosed) && !s.isClosing() {
		slog.Warn("capture retention failed", "path", s.path, "err", err)
	} else if n > 0 {
		slog.Debug("capture retention pruned", "path", s.path, "deleted", n)
	}
	select {
	case s.retentionDone <- struct{}{}:
	default:
	}
}

func (s *SQLite) isClosing() bool {
	select {
	case <-s.closing:
		return true
	default:
		return false
	}
}

// nudgeRetention wakes the pruner once enough rows, or enough bytes, arrived since the last
// nudge: a flood of large bodies must not wait for a thousand rows to be trimmed.
func (s *SQLite) nudgeRetention(inserted int, bytes int64) {
	if inserted == 0 || !s.opts.retains() {
		return
	}
	rows := s.sinceNudge.Add(int64(inserted)) >= retentionNudgeRows
	big := s.opts.maxBytes > 0 && s.bytesNudge.Add(bytes) >= max(s.opts.maxBytes/32, 1<<20)
	if !rows && !big {
		return
	}
	s.sinceNudge.Store(0)
	s.bytesNudge.Store(0)
	select {
	case s.retentionWake <- struct{}{}:
	default:
	}
}
