package pgstore

import (
	"context"
	"fmt"
	"strings"

	"github.com/hooktap/hooktap/capture"
)

// ListOutbox lists owed deliveries, oldest first.
func (s *Store) ListOutbox(ctx context.Context, f capture.OutboxFilter) ([]capture.OutboxEntry, error) {
	var conds []string
	var args []any
	if f.State != "" {
		args = append(args, string(f.State))
		conds = append(conds, fmt.Sprintf("state = $%d", len(args)))
	}
	if f.Route != "" {
		args = append(args, f.Route)
		conds = append(conds, fmt.Sprintf("route = $%d", len(args)))
	}
	q := `SELECT ` + outboxColumns + ` FROM outbox`
	if len(conds) > 0 {
		q += ` WHERE ` + strings.Join(conds, " AND ")
	}
	q += ` ORDER BY id`
	if f.Limit > 0 {
		args = append(args, f.Limit)
		q += fmt.Sprintf(` LIMIT $%d`, len(args))
	}
	rows, err := s.pool.Query(ctx, q, args...)
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
func (s *Store) OutboxFor(ctx context.Context, captureID string) ([]capture.OutboxEntry, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+outboxColumns+` FROM outbox WHERE capture_id = $1 ORDER BY id`, captureID)
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
func (s *Store) RetryOutbox(ctx context.Context, ids ...int64) (int64, error) {
	where, arg := idsOrDead(ids, 2)
	ct, err := s.pool.Exec(ctx, `UPDATE outbox SET state = 'pending', attempts = 0, next_at = $1, lease_owner = '', lease_until = 0
		WHERE `+where, s.settings.Now().UnixNano(), arg)
	if err != nil {
		return 0, fmt.Errorf("retry outbox: %w", err)
	}
	return ct.RowsAffected(), nil
}

// PurgeOutbox deletes the given entries (or, with none given, every dead one); a purged
// pending delivery is never made. It returns how many were deleted.
func (s *Store) PurgeOutbox(ctx context.Context, ids ...int64) (int64, error) {
	where, arg := idsOrDead(ids, 1)
	ct, err := s.pool.Exec(ctx, `DELETE FROM outbox WHERE `+where, arg)
	if err != nil {
		return 0, fmt.Errorf("purge outbox: %w", err)
	}
	return ct.RowsAffected(), nil
}

// idsOrDead selects the entries ids, or every dead one when none is given; n is the number of
// the one parameter it uses.
func idsOrDead(ids []int64, n int) (string, any) {
	if len(ids) == 0 {
		return fmt.Sprintf(`state = $%d`, n), string(capture.OutboxDead)
	}
	return fmt.Sprintf(`id = ANY($%d)`, n), ids
}
