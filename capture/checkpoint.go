package capture

import (
	"context"
	"log/slog"
	"time"
)

// checkpointEvery is how often the WAL is copied back into the database. SQLite would otherwise
// checkpoint inside a commit every 1000 pages — on the single writer, with an fsync, in the
// middle of a request's wait. A passive checkpoint from another connection never blocks writers.
const checkpointEvery = 100 * time.Millisecond

func (s *Store) checkpointLoop() {
	ticker := time.NewTicker(checkpointEvery)
	defer ticker.Stop()
	for {
		select {
		case <-s.closing:
			return
		case <-ticker.C:
			s.checkpoint("PASSIVE")
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
