package pgstore

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/hooktap/hooktap/capture"
)

// pruneChunk bounds one delete so it holds few row locks and a short transaction.
const pruneChunk = 500

// owesNothing keeps retention away from a capture whose delivery is still pending in the
// outbox: the 2xx it was answered with promised that delivery, and the outbox reads the body
// from the capture. An explicit Clear still removes everything.
const owesNothing = ` AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.capture_id = captures.id AND o.state = 'pending')`

// storedBytes is what MaxBytes counts for a capture: the bytes it keeps, its body twice as the
// search text holds a copy. PostgreSQL reuses a deleted row's space only after VACUUM, so the
// tables' size on disk would not fall when retention deletes; this measure does at once.
const storedBytes = `2 * octet_length(body) + octet_length(response_body) + octet_length(headers) +
	octet_length(response_headers) + 200`

// Prune deletes captures received more than olderThan ago and all but the newest keep captures
// (zero disables either rule), in small chunks, never one that still owes a delivery. It
// returns how many captures were deleted.
func (s *Store) Prune(ctx context.Context, olderThan time.Duration, keep int) (int64, error) {
	var total int64
	if olderThan > 0 {
		cutoff := s.settings.Now().Add(-olderThan).UnixNano()
		n, err := s.deleteChunks(ctx, `received_at < $1`+owesNothing, cutoff)
		total += n
		if err != nil {
			return total, fmt.Errorf("prune captures older than %s: %w", olderThan, err)
		}
	}
	if keep > 0 {
		n, err := s.pruneBeyond(ctx, `SELECT id FROM captures ORDER BY id DESC OFFSET $1 LIMIT 1`, keep)
		total += n
		if err != nil {
			return total, fmt.Errorf("prune captures beyond %d: %w", keep, err)
		}
	}
	return total, nil
}

// pruneBeyond deletes every capture up to the id boundary finds (none when it finds none).
func (s *Store) pruneBeyond(ctx context.Context, boundary string, arg any) (int64, error) {
	var last string
	err := s.pool.QueryRow(ctx, boundary, arg).Scan(&last)
	if isNoRows(err) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	return s.deleteChunks(ctx, `id <= $1`+owesNothing, last)
}

// pruneToBytes deletes the oldest captures until what the rest keep fits in maxBytes.
func (s *Store) pruneToBytes(ctx context.Context, maxBytes int64) (int64, error) {
	return s.pruneBeyond(ctx, `SELECT id FROM (SELECT id, sum(`+storedBytes+`) OVER (ORDER BY id DESC) AS kept
		FROM captures) AS t WHERE kept > $1 ORDER BY id DESC LIMIT 1`, maxBytes)
}

// Clear deletes every capture committed so far (with their deliveries and outbox entries)
// and returns how many there were.
func (s *Store) Clear(ctx context.Context) (int64, error) {
	ct, err := s.pool.Exec(ctx, `DELETE FROM captures`)
	if err != nil {
		return 0, fmt.Errorf("clear captures: %w", err)
	}
	return ct.RowsAffected(), nil
}

// deleteChunks deletes the oldest captures matching cond ($1 is arg), pruneChunk at a time;
// deliveries and outbox entries go with them through ON DELETE CASCADE. SKIP LOCKED leaves
// rows another instance's pruner is deleting to it.
func (s *Store) deleteChunks(ctx context.Context, cond string, arg any) (int64, error) {
	stmt := `DELETE FROM captures WHERE id IN (SELECT id FROM captures WHERE ` + cond +
		` ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED)`
	var total int64
	for {
		ct, err := s.pool.Exec(ctx, stmt, arg, pruneChunk)
		if err != nil {
			return total, err
		}
		total += ct.RowsAffected()
		if ct.RowsAffected() < pruneChunk {
			return total, nil
		}
	}
}

// retentionLoop applies the retention policy at open, every PruneEvery, and after bursts.
func (s *Store) retentionLoop() {
	defer close(s.retentionExit)
	ticker := time.NewTicker(s.settings.PruneEvery)
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

func (s *Store) applyRetention() {
	ctx := context.Background()
	n, err := s.Prune(ctx, s.settings.MaxAge, s.settings.MaxCount)
	if err == nil && s.settings.MaxBytes > 0 {
		var m int64
		m, err = s.pruneToBytes(ctx, s.settings.MaxBytes)
		n += m
		if err != nil {
			err = fmt.Errorf("prune captures to %d bytes: %w", s.settings.MaxBytes, err)
		}
	}
	if err != nil && !errors.Is(err, capture.ErrClosed) && !s.isClosing() {
		slog.Warn("capture retention failed", "store", s.location, "err", err)
	} else if n > 0 {
		slog.Debug("capture retention pruned", "store", s.location, "deleted", n)
	}
}

// nudgeRetention wakes the pruner once enough captures arrived since the last nudge.
func (s *Store) nudgeRetention(inserted int) {
	if inserted == 0 || !s.settings.Retains() {
		return
	}
	if s.sinceNudge.Add(int64(inserted)) < retentionNudgeRows {
		return
	}
	s.sinceNudge.Store(0)
	select {
	case s.retentionWake <- struct{}{}:
	default:
	}
}
