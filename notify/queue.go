package notify

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/oklog/ulid/v2"
)

// queueFullError is what a message is dead-lettered with when the persisted queue is at its bound.
const queueFullError = "queue full: message not queued"

// enqueue stores one row per (message, wanting webhook) in one transaction. Past the queue bound
// rows go straight to the dead-letter table, so nothing is lost and the queue stays bounded.
func (d *Dispatcher) enqueue(ctx context.Context, msgs []Message, hooks []Webhook) (int, error) {
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("notify: enqueue: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	var size int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM notify_queue`).Scan(&size); err != nil {
		return 0, fmt.Errorf("notify: enqueue: %w", err)
	}
	now := ms(d.now())
	added := 0
	for _, m := range msgs {
		stored := marshalMessage(m)
		for _, w := range hooks {
			if !w.Wants(m.Event) {
				continue
			}
			stmt := `INSERT INTO notify_queue(id, webhook_id, event, message, next_at, created_at) VALUES(?,?,?,?,?,?)`
			args := []any{ulid.Make().String(), w.ID, m.Event, stored, now, now}
			if size >= d.maxQueue {
				stmt = `INSERT INTO notify_dead(id, webhook_id, event, message, attempts, last_status, last_error, created_at)
					VALUES(?,?,?,?,0,0,'` + queueFullError + `',?)`
				args = []any{args[0], w.ID, m.Event, stored, now}
			}
			if _, err := tx.ExecContext(ctx, stmt, args...); err != nil {
				return 0, fmt.Errorf("notify: enqueue: %w", err)
			}
			size++
			added++
		}
	}
	return added, tx.Commit()
}

// claim leases up to limit due rows to this dispatcher; a lease that outlives a crash expires,
// so another process (or the next start) picks the row up again.
func (d *Dispatcher) claim(ctx context.Context, limit int) ([]queued, error) {
	now := d.now()
	rows, err := d.db.QueryContext(ctx, `SELECT id, webhook_id, message, attempts, last_status, last_error, created_at
		FROM notify_queue WHERE next_at <= ? AND lease_until <= ? ORDER BY next_at, id LIMIT ?`, ms(now), ms(now), limit)
	if err != nil {
		return nil, fmt.Errorf("notify: claim: %w", err)
	}
	var candidates []queued
	for rows.Next() {
		var q queued
		var msg string
		var created int64
		if err := rows.Scan(&q.ID, &q.WebhookID, &msg, &q.Attempts, &q.LastStatus, &q.LastError, &created); err != nil {
			rows.Close()
			return nil, fmt.Errorf("notify: claim: %w", err)
		}
		q.CreatedAt = fromMS(created)
		if q.Message, err = unmarshalMessage(msg); err != nil {
			q.Message = Message{Event: "unreadable", Text: err.Error()}
		}
		candidates = append(candidates, q)
	}
	rows.Close()
	if len(candidates) == 0 {
		return nil, nil
	}
	return d.leaseRows(ctx, candidates, now)
}

// leaseRows takes the lease of each candidate still free, in one transaction (another process
// may have taken some since they were read).
func (d *Dispatcher) leaseRows(ctx context.Context, candidates []queued, now time.Time) ([]queued, error) {
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("notify: claim: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	claimed := candidates[:0]
	for _, q := range candidates {
		res, err := tx.ExecContext(ctx, `UPDATE notify_queue SET lease_until=? WHERE id=? AND lease_until<=?`,
			ms(now.Add(d.leaseFor)), q.ID, ms(now))
		if err != nil {
			return nil, fmt.Errorf("notify: claim: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 1 {
			claimed = append(claimed, q)
		}
	}
	return claimed, tx.Commit()
}

// nextDue is when the earliest unleased row becomes due (zero when the queue is empty).
func (d *Dispatcher) nextDue(ctx context.Context) time.Time {
	var next sql.NullInt64
	_ = d.db.QueryRowContext(ctx, `SELECT MIN(MAX(next_at, lease_until)) FROM notify_queue`).Scan(&next)
	if !next.Valid {
		return time.Time{}
	}
	return fromMS(next.Int64)
}

// progress records a failed attempt on the row and extends its lease over the coming wait.
func (d *Dispatcher) progress(ctx context.Context, q queued, a Attempt, wait time.Duration) error {
	now := d.now()
	return d.inTx(ctx, func(tx *sql.Tx) error {
		if err := recordAttempts(ctx, tx, q.ID, q.WebhookID, q.Message.Event, a); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE notify_queue SET attempts=?, last_status=?, last_error=?, next_at=?, lease_until=?
			WHERE id=?`, q.Attempts, q.LastStatus, q.LastError, ms(now.Add(wait)), ms(now.Add(wait+d.leaseFor)), q.ID)
		return err
	})
}

// inTx runs fn in one transaction, so one delivery step costs one commit.
func (d *Dispatcher) inTx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// release hands a row back (shutdown mid-wait) so the next start resumes it at once.
func (d *Dispatcher) release(ctx context.Context, id string) {
	_, _ = d.db.ExecContext(ctx, `UPDATE notify_queue SET lease_until=0 WHERE id=?`, id)
}

// settle ends a row: its last attempts recorded, then removed (delivered) or moved to the
// dead-letter table, all in one transaction.
func (d *Dispatcher) settle(ctx context.Context, q queued, dead bool, attempts ...Attempt) error {
	return d.inTx(ctx, func(tx *sql.Tx) error {
		if err := recordAttempts(ctx, tx, q.ID, q.WebhookID, q.Message.Event, attempts...); err != nil {
			return err
		}
		if dead {
			if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO notify_dead(id, webhook_id, event, message, attempts, last_status, last_error, created_at)
				VALUES(?,?,?,?,?,?,?,?)`, q.ID, q.WebhookID, q.Message.Event, marshalMessage(q.Message), q.Attempts,
				q.LastStatus, q.LastError, ms(q.CreatedAt)); err != nil {
				return err
			}
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM notify_queue WHERE id=?`, q.ID)
		return err
	})
}

// execer is what recordAttempts needs of a *sql.DB or *sql.Tx.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// recordAttempts keeps every attempt (status, error, duration) for the message's history.
func recordAttempts(ctx context.Context, db execer, msgID, webhookID, event string, attempts ...Attempt) error {
	for _, a := range attempts {
		if _, err := db.ExecContext(ctx, `INSERT INTO notify_attempts(message_id, webhook_id, event, attempt, status, error, duration_ms, at)
			VALUES(?,?,?,?,?,?,?,?)`, msgID, webhookID, event, a.N, a.Status, a.Error, a.Duration.Milliseconds(), ms(a.At)); err != nil {
			return fmt.Errorf("notify: record attempt: %w", err)
		}
	}
	return nil
}

// Attempts returns the recorded attempts of one message, oldest first.
func (d *Dispatcher) Attempts(ctx context.Context, msgID string) ([]Attempt, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT attempt, status, error, duration_ms, at FROM notify_attempts
		WHERE message_id=? ORDER BY id`, msgID)
	if err != nil {
		return nil, fmt.Errorf("notify: attempts: %w", err)
	}
	defer rows.Close()
	var out []Attempt
	for rows.Next() {
		var a Attempt
		var dur, at int64
		if err := rows.Scan(&a.N, &a.Status, &a.Error, &dur, &at); err != nil {
			return nil, err
		}
		a.Duration, a.At = time.Duration(dur)*time.Millisecond, fromMS(at)
		out = append(out, a)
	}
	return out, rows.Err()
}

// QueueLen is the number of messages waiting for delivery.
func (d *Dispatcher) QueueLen(ctx context.Context) (int, error) {
	var n int
	err := d.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM notify_queue`).Scan(&n)
	return n, err
}

// placeholders returns "?,?,?" for n arguments.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?,", n), ",")
}
