package capture

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// OutboxState is where an owed delivery stands.
type OutboxState string

// The states an outbox entry moves through; a delivered entry leaves the table, its attempts
// staying in the capture's deliveries.
const (
	OutboxPending OutboxState = "pending"
	OutboxDead    OutboxState = "dead"
)

// OutboxEntry is one delivery the gateway owes after answering (forward, slack, discord,
// generic). It is written in the same transaction as its capture, so a 2xx answer means the
// delivery is owed durably, and it stays until it succeeds, is given up (dead) or is purged.
type OutboxEntry struct {
	ID        int64       `json:"id"`
	CaptureID string      `json:"capture_id"`
	Route     string      `json:"route"`
	Kind      string      `json:"kind"`
	Target    string      `json:"target"`
	Backup    string      `json:"backup_target,omitempty"`
	State     OutboxState `json:"state"`
	Attempts  int         `json:"attempts"`
	NextAt    time.Time   `json:"next_at"`
	// LastStatus and LastError describe the most recent failed attempt.
	LastStatus int       `json:"last_status"`
	LastError  string    `json:"last_error"`
	CreatedAt  time.Time `json:"created_at"`
	// LeaseOwner holds the entry while a deliverer works on it, until LeaseUntil.
	LeaseOwner string    `json:"lease_owner,omitempty"`
	LeaseUntil time.Time `json:"-"`
}

// Settlement is how one delivery attempt on a claimed entry ended.
type Settlement struct {
	// Attempts are recorded on the capture whatever happened next.
	Attempts []Delivery
	// Delivered removes the entry; Dead moves it to the dead-letter state; otherwise it is due
	// again at NextAt. Interrupted (shutdown) hands it back without counting an attempt.
	Delivered, Dead, Interrupted bool
	NextAt                       time.Time
	LastStatus                   int
	LastError                    string
}

// Outbox is the durable queue of owed deliveries. Claiming takes a lease for an owner, so
// several deliverers (processes) share one queue and a crashed one's work comes back when its
// lease expires. A PostgreSQL implementation claims with
// `UPDATE … WHERE id IN (SELECT id … FOR UPDATE SKIP LOCKED LIMIT n) RETURNING …`; SQLite's single
// writer makes the same UPDATE … RETURNING atomic.
type Outbox interface {
	// ClaimOutbox leases up to limit due entries to owner for lease.
	ClaimOutbox(ctx context.Context, owner string, limit int, lease time.Duration) ([]OutboxEntry, error)
	// SettleOutbox records an attempt on an entry owner holds and moves it on.
	SettleOutbox(ctx context.Context, e OutboxEntry, owner string, st Settlement) error
	// NextOutboxDue is when the earliest pending entry can be claimed (zero when none is pending).
	NextOutboxDue(ctx context.Context) (time.Time, error)
	// OutboxOwners lists the owners holding leases now.
	OutboxOwners(ctx context.Context) ([]string, error)
	// ReleaseOutboxOwner hands back every entry owner holds (an owner known to be dead).
	ReleaseOutboxOwner(ctx context.Context, owner string) (int64, error)
	// ExtendOutboxLeases renews every lease owner holds to now+lease: a live deliverer keeps
	// short leases alive, so a dead one's entries come back within one lease.
	ExtendOutboxLeases(ctx context.Context, owner string, lease time.Duration) (int64, error)
}

const componentOutbox = "outbox"

// outboxSchema is the outbox component's migrations (see Migrate); append only.
var outboxSchema = []string{
	`CREATE TABLE outbox(
		id          INTEGER PRIMARY KEY,
		capture_id  TEXT NOT NULL REFERENCES captures(id) ON DELETE CASCADE,
		route       TEXT NOT NULL,
		kind        TEXT NOT NULL,
		target      TEXT NOT NULL,
		backup      TEXT NOT NULL DEFAULT '',
		state       TEXT NOT NULL DEFAULT 'pending',
		attempts    INTEGER NOT NULL DEFAULT 0,
		next_at     INTEGER NOT NULL,
		lease_owner TEXT NOT NULL DEFAULT '',
		lease_until INTEGER NOT NULL DEFAULT 0,
		last_status INTEGER NOT NULL DEFAULT 0,
		last_error  TEXT NOT NULL DEFAULT '',
		created_at  INTEGER NOT NULL
	);
	CREATE INDEX outbox_due ON outbox(state, next_at);
	CREATE INDEX outbox_capture ON outbox(capture_id);`,
}

const outboxColumns = `id, capture_id, route, kind, target, backup, state, attempts, next_at, lease_owner,
	lease_until, last_status, last_error, created_at`

// insertOutbox runs inside Save's transaction: the capture and what it owes commit together.
func insertOutbox(ctx context.Context, tx *sql.Tx, c *Capture) error {
	for i := range c.Outbox {
		e := &c.Outbox[i]
		e.CaptureID, e.State, e.CreatedAt = c.ID, OutboxPending, c.ReceivedAt
		if e.NextAt.IsZero() {
			e.NextAt = c.ReceivedAt
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO outbox(capture_id, route, kind, target, backup, next_at, created_at)
			VALUES(?, ?, ?, ?, ?, ?, ?)`, c.ID, e.Route, e.Kind, e.Target, e.Backup, e.NextAt.UnixNano(), c.ReceivedAt.UnixNano())
		if err != nil {
			return err
		}
		e.ID, _ = res.LastInsertId()
	}
	return nil
}

// ClaimOutbox leases up to limit due, unleased pending entries to owner.
func (s *SQLite) ClaimOutbox(ctx context.Context, owner string, limit int, lease time.Duration) ([]OutboxEntry, error) {
	now := s.opts.now()
	var out []OutboxEntry
	op := &writeOp{apply: func(ctx context.Context, tx *sql.Tx) error {
		out = out[:0]
		rows, err := tx.QueryContext(ctx, `UPDATE outbox SET lease_owner = ?, lease_until = ?
			WHERE id IN (SELECT id FROM outbox WHERE state = 'pending' AND next_at <= ? AND lease_until <= ?
				ORDER BY next_at, id LIMIT ?)
			RETURNING `+outboxColumns, owner, now.Add(lease).UnixNano(), now.UnixNano(), now.UnixNano(), limit)
		if err != nil {
			return err
		}
		out, err = scanOutbox(rows)
		return err
	}}
	if err := s.enqueue(ctx, op); err != nil {
		return nil, fmt.Errorf("claim outbox: %w", err)
	}
	return out, nil
}

// SettleOutbox records st's attempts on the capture and moves the entry on, in one transaction.
// An entry whose lease passed to another owner meanwhile keeps its new owner's state.
func (s *SQLite) SettleOutbox(ctx context.Context, e OutboxEntry, owner string, st Settlement) error {
	op := &writeOp{apply: func(ctx context.Context, tx *sql.Tx) error {
		for _, d := range st.Attempts {
			if err := insertDelivery(ctx, tx, e.CaptureID, d); err != nil && !errors.Is(err, ErrNotFound) {
				return err
			}
		}
		_, err := tx.ExecContext(ctx, settleSQL(st), settleArgs(e, owner, st)...)
		return err
	}}
	if err := s.enqueue(ctx, op); err != nil {
		return fmt.Errorf("settle outbox entry %d: %w", e.ID, err)
	}
	if len(st.Attempts) > 0 {
		s.publishUpdated(ctx, e.CaptureID)
	}
	return nil
}

func settleSQL(st Settlement) string {
	const owned = ` WHERE id = ? AND lease_owner = ?`
	switch {
	case st.Delivered:
		return `DELETE FROM outbox` + owned
	case st.Interrupted:
		return `UPDATE outbox SET lease_owner = '', lease_until = 0` + owned
	case st.Dead:
		return `UPDATE outbox SET state = 'dead', attempts = attempts + 1, last_status = ?, last_error = ?,
			lease_owner = '', lease_until = 0` + owned
	default:
		return `UPDATE outbox SET attempts = attempts + 1, last_status = ?, last_error = ?, next_at = ?,
			lease_owner = '', lease_until = 0` + owned
	}
}

func settleArgs(e OutboxEntry, owner string, st Settlement) []any {
	switch {
	case st.Delivered, st.Interrupted:
		return []any{e.ID, owner}
	case st.Dead:
		return []any{st.LastStatus, st.LastError, e.ID, owner}
	default:
		return []any{st.LastStatus, st.LastError, st.NextAt.UnixNano(), e.ID, owner}
	}
}

// NextOutboxDue is when the earliest unleased pending entry falls due (zero when there is
// none); leased entries come back when their lease ends, which a deliverer's poll notices. It
// walks the due index without writing.
func (s *SQLite) NextOutboxDue(ctx context.Context) (time.Time, error) {
	var next int64
	err := s.db.QueryRowContext(ctx, `SELECT next_at FROM outbox WHERE state = 'pending' AND lease_until <= ?
		ORDER BY next_at LIMIT 1`, s.opts.now().UnixNano()).Scan(&next)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("outbox next due: %w", err)
	}
	return time.Unix(0, next), nil
}

// OutboxOwners lists the owners holding unexpired leases.
func (s *SQLite) OutboxOwners(ctx context.Context) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT DISTINCT lease_owner FROM outbox WHERE lease_owner != '' AND lease_until > ?`,
		s.opts.now().UnixNano())
	if err != nil {
		return nil, fmt.Errorf("outbox owners: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var o string
		if err := rows.Scan(&o); err != nil {
			return nil, fmt.Errorf("outbox owners: %w", err)
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// ReleaseOutboxOwner hands back every entry owner holds, due at once.
func (s *SQLite) ReleaseOutboxOwner(ctx context.Context, owner string) (int64, error) {
	n, err := s.execCounted(ctx, `UPDATE outbox SET lease_owner = '', lease_until = 0 WHERE lease_owner = ?`, owner)
	if err != nil {
		return n, fmt.Errorf("release outbox leases of %s: %w", owner, err)
	}
	return n, nil
}

// ExtendOutboxLeases renews the leases owner holds; entries another owner took meanwhile are
// not touched.
func (s *SQLite) ExtendOutboxLeases(ctx context.Context, owner string, lease time.Duration) (int64, error) {
	n, err := s.execCounted(ctx, `UPDATE outbox SET lease_until = ? WHERE lease_owner = ?`,
		s.opts.now().Add(lease).UnixNano(), owner)
	if err != nil {
		return n, fmt.Errorf("extend outbox leases of %s: %w", owner, err)
	}
	return n, nil
}

func scanOutbox(rows *sql.Rows) ([]OutboxEntry, error) {
	defer rows.Close()
	var out []OutboxEntry
	for rows.Next() {
		var e OutboxEntry
		var next, lease, created int64
		if err := rows.Scan(&e.ID, &e.CaptureID, &e.Route, &e.Kind, &e.Target, &e.Backup, &e.State, &e.Attempts,
			&next, &e.LeaseOwner, &lease, &e.LastStatus, &e.LastError, &created); err != nil {
			return nil, err
		}
		e.NextAt, e.CreatedAt = time.Unix(0, next), time.Unix(0, created)
		if lease > 0 {
			e.LeaseUntil = time.Unix(0, lease)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
