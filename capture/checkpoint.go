package capture

import (
	"context"
	"log/slog"
	"time"
)

// checkpointEvery is how often the WAL is copied back into the database. SQLite would otherwise
// checkpoint inside a commit every 1000 pages — on the single writer, with an fsync, while
// requests wait. A passive checkpoint from another connection never blocks the writer, and a
// short period keeps each one small: on one core a big checkpoint holds the CPU for
// milliseconds, which showed as the gateway's p99 (22 ms at 100 ms, 8 ms at 10 ms; BENCHMARKS.md).
const checkpointEvery = 10 * time.Millisecond

// checkpointLoop checkpoints after writes; an idle store is left alone.
func (s *Store) checkpointLoop() {
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
				s.checkpoint("PASSIVE")
			}
		}
	}
}

func (s *Store) checkpoint(mode string) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := s.db.ExecContext(ctx, "PRAGMA wal_checkpoint("+mode+")"); err != nil {
		slog.Debug("capture checkpoint", "path", s.path, "mode", mode, "err", err)
	}
}
