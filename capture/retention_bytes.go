package capture

import (
	"context"
	"database/sql"
	"fmt"
)

// WithMaxBytes bounds the store's size: past maxBytes, retention deletes the oldest captures
// (and what they owe) until the data fits again. Zero disables it. Like the other rules it runs
// in small chunks queued between writes, so the writer never waits for it.
func WithMaxBytes(maxBytes int64) Option {
	return func(o *options) { o.maxBytes = maxBytes }
}

// pruneBytesRounds bounds one retention pass: each round measures, then deletes what it
// estimates is over; SQLite's page accounting makes the estimate close, not exact.
const pruneBytesRounds = 4

// UsedBytes is the space the store's data takes: the database's pages minus the free ones, and
// the body segment files. Deleting captures lowers the first at once (the freed pages are
// reused, though the file does not shrink); a segment file goes when no capture in it is left.
func (s *SQLite) UsedBytes(ctx context.Context) (int64, error) {
	var pages, free, size int64
	err := s.db.QueryRowContext(ctx, `SELECT (SELECT page_count FROM pragma_page_count()),
		(SELECT freelist_count FROM pragma_freelist_count()), (SELECT page_size FROM pragma_page_size())`).Scan(&pages, &free, &size)
	if err != nil {
		return 0, fmt.Errorf("measure capture store: %w", err)
	}
	bodies, err := s.bodies.size()
	if err != nil {
		return 0, fmt.Errorf("measure capture store: %w", err)
	}
	return (pages-free)*size + bodies, nil
}

// pruneToBytes deletes the oldest captures until the store's data fits in maxBytes.
func (s *SQLite) pruneToBytes(ctx context.Context, maxBytes int64) (int64, error) {
	var total int64
	for range pruneBytesRounds {
		used, err := s.UsedBytes(ctx)
		if err != nil || used <= maxBytes {
			return total, err
		}
		var lo, hi sql.NullInt64
		if err := s.db.QueryRowContext(ctx, rowidSpanQuery).Scan(&lo, &hi); err != nil {
			return total, err
		}
		if !hi.Valid {
			return total, nil // nothing left to delete: the rest is indexes and other components
		}
		rows := hi.Int64 - lo.Int64 + 1
		perRow := max(used/rows, 1)
		over := (used-maxBytes)/perRow + 1
		// Keep a margin so a flood does not trigger a pass per insert.
		over += rows / 50
		n, err := s.deleteChunks(ctx, `rowid <= ?`+owesNothing, "rowid", lo.Int64+over-1)
		total += n
		if err != nil || n == 0 {
			return total, err
		}
	}
	return total, nil
}
