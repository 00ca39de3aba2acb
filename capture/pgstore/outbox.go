package pgstore

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hooktap/hooktap/capture"
)

// The outbox runs outside the group committer: its statements are few, and claiming relies on
// row locks (FOR UPDATE SKIP LOCKED) so instances sharing the table never take the same entry
// and never wait on each other's claims.

const outboxColumns = `id, capture_id, route, kind, target, backup, state, attempts, next_at, lease_owner,
	lease_until, last_status, last_error, created_at`

// ClaimOutbox leases up to limit due, unleased pending entries to owner. Entries another
// instance is claiming at the same moment are skipped, not waited for.
func (s *Store) ClaimOutbox(ctx context.Context, owner string, limit int, lease time.Duration) ([]capture.OutboxEntry, error) {
	now := s.settings.Now()
	rows, err := s.pool.Query(ctx, `UPDATE outbox SET lease_owner = $1, lease_until = $2
		WHERE id IN (SELECT id FROM outbox WHERE state = 'pending' AND next_at <= $3 AND lease_until <= $3
			ORDER BY next_at, id LIMIT $4 FOR UPDATE SKIP LOCKED)
		RETURNING `+outboxColumns, owner, now.Add(lease).UnixNano(), now.UnixNano(), limit)
	if err != nil {
		return nil, fmt.Errorf("claim outbox: %w", err)
	}
	out, err := scanOutbox(rows)
	if err != nil {
		return nil, fmt.Errorf("claim outbox: %w", err)
	}
	// RETURNING follows the update's order, not the subquery's: hand entries out oldest due first.
	sortDue(out)
	return out, nil
}

func sortDue(es []capture.OutboxEntry) {
	slices.SortFunc(es, func(a, b capture.OutboxEntry) int {
		if c := a.NextAt.Compare(b.NextAt); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
}

// SettleOutbox records st's attempts on the capture and moves the entry on, in one
// transaction. An entry whose lease passed to another owner meanwhile keeps its new owner's
// state.
func (s *Store) SettleOutbox(ctx context.Context, e capture.OutboxEntry, owner string, st capture.Settlement) error {
	b := &pgx.Batch{}
	for _, d := range st.Attempts {
		b.Queue(insertDeliverySQL, e.CaptureID, d.Target, d.Status, bin(d.Error), int64(d.Duration), d.Attempt)
	}
	b.Queue(settleSQL(st), settleArgs(e, owner, st)...)
	if len(st.Attempts) > 0 {
		b.Queue(`SELECT pg_notify($1, $2)`, s.channel, s.notePayload(updated, e.CaptureID))
	}
	if err := s.pool.SendBatch(ctx, b).Close(); err != nil {
		return fmt.Errorf("settle outbox entry %d: %w", e.ID, err)
	}
	if len(st.Attempts) > 0 {
		s.publishUpdated(ctx, e.CaptureID)
	}
	return nil
}

func settleSQL(st capture.Settlement) string {
	const owned = ` WHERE id = $1 AND lease_owner = $2`
	switch {
	case st.Delivered:
		return `DELETE FROM outbox` + owned
	case st.Interrupted:
		return `UPDATE outbox SET lease_owner = '', lease_until = 0` + owned
	case st.Dead:
		return `UPDATE outbox SET state = 'dead', attempts = attempts + 1, last_status = $3, last_error = $4,
			lease_owner = '', lease_until = 0` + owned
	default:
		return `UPDATE outbox SET attempts = attempts + 1, last_status = $3, last_error = $4, next_at = $5,
			lease_owner = '', lease_until = 0` + owned
	}
}

func settleArgs(e capture.OutboxEntry, owner string, st capture.Settlement) []any {
	switch {
	case st.Delivered, st.Interrupted:
		return []any{e.ID, owner}
	case st.Dead:
		return []any{e.ID, owner, st.LastStatus, bin(st.LastError)}
	default:
		return []any{e.ID, owner, st.LastStatus, bin(st.LastError), st.NextAt.UnixNano()}
	}
}

// NextOutboxDue is when the earliest unleased pending entry falls due (zero when there is
// none); leased entries come back when their lease ends, which a deliverer's poll notices.
func (s *Store) NextOutboxDue(ctx context.Context) (time.Time, error) {
	var next int64
	err := s.pool.QueryRow(ctx, `SELECT next_at FROM outbox WHERE state = 'pending' AND lease_until <= $1
		ORDER BY next_at LIMIT 1`, s.settings.Now().UnixNano()).Scan(&next)
	if isNoRows(err) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("outbox next due: %w", err)
	}
	return time.Unix(0, next), nil
}

// OutboxOwners lists the owners holding unexpired leases.
func (s *Store) OutboxOwners(ctx context.Context) ([]string, error) {
	rows, err := s.pool.Query(ctx, `SELECT DISTINCT lease_owner FROM outbox WHERE lease_owner <> '' AND lease_until > $1`,
		s.settings.Now().UnixNano())
	if err != nil {
		return nil, fmt.Errorf("outbox owners: %w", err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("outbox owners: %w", err)
	}
	return out, nil
}

// ReleaseOutboxOwner hands back every entry owner holds, due at once.
func (s *Store) ReleaseOutboxOwner(ctx context.Context, owner string) (int64, error) {
	ct, err := s.pool.Exec(ctx, `UPDATE outbox SET lease_owner = '', lease_until = 0 WHERE lease_owner = $1`, owner)
	if err != nil {
		return 0, fmt.Errorf("release outbox leases of %s: %w", owner, err)
	}
	return ct.RowsAffected(), nil
}

// ExtendOutboxLeases renews the leases owner holds; entries another owner took meanwhile are
// not touched.
func (s *Store) ExtendOutboxLeases(ctx context.Context, owner string, lease time.Duration) (int64, error) {
	ct, err := s.pool.Exec(ctx, `UPDATE outbox SET lease_until = $1 WHERE lease_owner = $2`,
		s.settings.Now().Add(lease).UnixNano(), owner)
	if err != nil {
		return 0, fmt.Errorf("extend outbox leases of %s: %w", owner, err)
	}
	return ct.RowsAffected(), nil
}

func scanOutbox(rows pgx.Rows) ([]capture.OutboxEntry, error) {
	defer rows.Close()
	var out []capture.OutboxEntry
	for rows.Next() {
		var e capture.OutboxEntry
		var next, lease, created int64
		var lastError []byte
		if err := rows.Scan(&e.ID, &e.CaptureID, &e.Route, &e.Kind, &e.Target, &e.Backup, &e.State, &e.Attempts,
			&next, &e.LeaseOwner, &lease, &e.LastStatus, &lastError, &created); err != nil {
			return nil, err
		}
		e.LastError = string(lastError)
		e.NextAt, e.CreatedAt = time.Unix(0, next), time.Unix(0, created)
		if lease > 0 {
			e.LeaseUntil = time.Unix(0, lease)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
