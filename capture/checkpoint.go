package capture

import (
	"context"
	"database/sql"
	"log/slog"
	"time"
)

// checkpointEvery is how often the WAL is copied back into the database.
//
// SQLite's own auto-checkpoint runs inside a commit every 1000 pages, with an fsync, while
// requests wait on that commit. Instead the writer checkpoints between batches, asked by this
// loop after writes: as the only writer it can finish the checkpoint, so the next transaction
// restarts the WAL and the file stays small (a checkpoint from another connection under
// continuous writes never catches up, and the WAL grew to gigabytes). A short period keeps each
// checkpoint small: on one core a big one holds the CPU for milliseconds, which showed as the
// gateway's p99 (22 ms at 100 ms, 9 ms at 10 ms; BENCHMARKS.md).
const checkpointEvery = 10 * time.Millisecond

// checkpointLoop asks for a checkpoint after writes; an idle store is left alone.
func (s *SQLite) checkpointLoop() {
	ticker := time.NewTicker(checkpointEvery)
	defer ticker.Stop()
	var seen uint64
	for {
		select {
		case <-s.closing:
			return
		case <-ticker.C:
			if commits := s.stats.commits.Load(); commits != seen {
				seen = commits
				s.requestCheckpoint()
			}
		}
	}
}

// requestCheckpoint queues a checkpoint for the writer unless the queue is full (the writer is
// busy, and the next tick asks again).
func (s *SQLite) requestCheckpoint() {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return
	}
	select {
	case s.queue <- &writeOp{checkpoint: true}:
	default:
	}
}

// runCheckpoints runs one passive checkpoint for any number of requests.
func (s *SQLite) runCheckpoints(reqs []*writeOp) {
	if len(reqs) == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.checkpoint(ctx, s.wconn); err != nil {
		slog.Debug("capture checkpoint", "path", s.path, "err", err)
	}
}

// checkpoint copies the WAL into the database file, without waiting for readers (passive). The
// bodies go to the disk first: a capture whose row reaches the database file must have its
// body there too.
func (s *SQLite) checkpoint(ctx context.Context, conn *sql.Conn) error {
	if err := s.bodies.sync(); err != nil {
		slog.Warn("capture store: syncing bodies to disk failed", "path", s.bodies.dir, "err", err)
		return err
	}
	_, err := conn.ExecContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)")
	return err
}
