package capture

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// OutboxFilter selects outbox entries for ListOutbox; zero fields do not filter.
type OutboxFilter struct {
	State OutboxState
	Route string
	// Limit bounds the answer (all entries when not positive).
	Limit int
}

// ListOutbox lists owed deliveries, oldest first.
func (s *SQLite) ListOutbox(ctx context.Context, f OutboxFilter) ([]OutboxEntry, error) {
	var conds []string
	var args []any
	if f.State != "" {
		conds, args = append(conds, "state = ?"), append(args, string(f.State))
	}
	if f.Route != "" {
		conds, args = append(conds, "route = ?"), append(args, f.Route)
	}
	q := `SELECT ` + outboxColumns + ` FROM outbox`
	if len(conds) > 0 {
		q += ` WHERE ` + strings.Join(conds, " AND ")
	}
	q += ` ORDER BY id`
	if f.Limit > 0 {
		q, args = q+` LIMIT ?`, append(args, f.Limit)
	}
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list outbox: %w", err)
	}
	out, err := scanOutbox(rows)
	if err != nil {
		return nil, fmt.Errorf("list outbox: %w", err)
	}
	return out, nil
}

// OutboxFor lists the entries still owed (or dead) for one capture.
func (s *SQLite) OutboxFor(ctx context.Context, captureID string) ([]OutboxEntry, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+outboxColumns+` FROM outbox WHERE capture_id = ? ORDER BY id`, captureID)
	if err != nil {
		return nil, fmt.Errorf("outbox of %s: %w", captureID, err)
	}
	out, err := scanOutbox(rows)
	if err != nil {
		return nil, fmt.Errorf("outbox of %s: %w", captureID, err)
	}
	return out, nil
}

// RetryOutbox makes the given entries (or, with none given, every dead one) due now with a
// fresh attempt count; it returns how many were rescheduled.
func (s *SQLite) RetryOutbox(ctx context.Context, ids ...int64) (int64, error) {
	now := s.opts.now().UnixNano()
	where, args := idsOrState(ids, OutboxDead)
	n, err := s.execCounted(ctx, `UPDATE outbox SET state = 'pending', attempts = 0, next_at = ?, lease_owner = '', lease_until = 0
		WHERE `+where, append([]any{now}, args...)...)
	if err != nil {
		return n, fmt.Errorf("retry outbox: %w", err)
	}
	return n, nil
}

// PurgeOutbox deletes the given entries (or, with none given, every dead one); a purged
// pending delivery is never made. It returns how many were deleted.
func (s *SQLite) PurgeOutbox(ctx context.Context, ids ...int64) (int64, error) {
	where, args := idsOrState(ids, OutboxDead)
	n, err := s.execCounted(ctx, `DELETE FROM outbox WHERE `+where, args...)
	if err != nil {
		return n, fmt.Errorf("purge outbox: %w", err)
	}
	return n, nil
}

func idsOrState(ids []int64, state OutboxState) (string, []any) {
	if len(ids) == 0 {
		return `state = ?`, []any{string(state)}
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return `id IN (` + strings.TrimSuffix(strings.Repeat("?,", len(ids)), ",") + `)`, args
}

// execCounted runs one statement through the writer and returns the rows it changed.
func (s *SQLite) execCounted(ctx context.Context, stmt string, args ...any) (int64, error) {
	var n int64
	op := &writeOp{apply: func(ctx context.Context, tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, stmt, args...)
		if err == nil {
			n, err = res.RowsAffected()
		}
		return err
	}}
	err := s.enqueue(ctx, op)
	return n, err
}
