package notify

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/hooktap/hooktap/internal/shortid"
)

// DeadLetters lists the dead-letter table, newest first.
func (d *Dispatcher) DeadLetters(ctx context.Context) ([]DeadLetter, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT id, webhook_id, event, message, attempts, last_status, last_error, created_at
		FROM notify_dead ORDER BY created_at DESC, id DESC`)
	if err != nil {
		return nil, fmt.Errorf("notify: list dead letters: %w", err)
	}
	defer rows.Close()
	out := []DeadLetter{}
	for rows.Next() {
		dl, err := scanDead(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, dl)
	}
	return out, rows.Err()
}

type scanner interface{ Scan(...any) error }

func scanDead(row scanner) (DeadLetter, error) {
	var dl DeadLetter
	var msg string
	var created int64
	if err := row.Scan(&dl.ID, &dl.WebhookID, &dl.Event, &msg, &dl.Attempts, &dl.LastStatus, &dl.LastError, &created); err != nil {
		return DeadLetter{}, err
	}
	dl.CreatedAt = fromMS(created)
	m, err := unmarshalMessage(msg)
	if err != nil {
		return DeadLetter{}, fmt.Errorf("dead letter %s: %w", dl.ID, err)
	}
	dl.Message = m
	return dl, nil
}

// DeadLetter returns one dead letter by its id, or the start or end of it in any case (the
// short form lists show); ErrNotFound when there is none, a *shortid.AmbiguousError when
// several fit.
func (d *Dispatcher) DeadLetter(ctx context.Context, idOrPart string) (DeadLetter, error) {
	id, err := shortid.Resolve(ctx, d.db, "notify_dead", "id", idOrPart)
	if errors.Is(err, shortid.ErrNotFound) {
		return DeadLetter{}, fmt.Errorf("dead letter %q: %w", idOrPart, ErrNotFound)
	}
	if err != nil {
		return DeadLetter{}, err
	}
	row := d.db.QueryRowContext(ctx, `SELECT id, webhook_id, event, message, attempts, last_status, last_error, created_at
		FROM notify_dead WHERE id=?`, id)
	dl, err := scanDead(row)
	if errors.Is(err, sql.ErrNoRows) {
		return DeadLetter{}, fmt.Errorf("dead letter %q: %w", id, ErrNotFound)
	}
	return dl, err
}

// RetryDeadLetter delivers a dead letter again now, with its webhook's retry policy. Delivered,
// it leaves the table; failed, its attempts and last answer are updated. A letter whose webhook
// was deleted stays, and the error says so.
func (d *Dispatcher) RetryDeadLetter(ctx context.Context, idOrPart string) (Result, error) {
	dl, err := d.DeadLetter(ctx, idOrPart)
	if err != nil {
		return Result{}, err
	}
	id := dl.ID
	w, err := d.Webhook(ctx, dl.WebhookID)
	if errors.Is(err, ErrNotFound) {
		return Result{}, fmt.Errorf("dead letter %s: webhook %q was deleted; recreate it or purge the letter", id, dl.WebhookID)
	}
	if err != nil {
		return Result{}, err
	}
	res := d.chain(ctx, w, dl.Message, dl.ID, dl.Attempts, nil)
	d.keepAttempts(ctx, res)
	d.subs.publish(res)
	if res.Delivered {
		_, err = d.db.ExecContext(context.WithoutCancel(ctx), `DELETE FROM notify_dead WHERE id=?`, id)
		return res, err
	}
	res.Dead = true
	last := dl.Attempts + len(res.Attempts)
	if _, err := d.db.ExecContext(context.WithoutCancel(ctx), `UPDATE notify_dead SET attempts=?, last_status=?, last_error=? WHERE id=?`,
		last, res.Status, res.Error, id); err != nil {
		return res, fmt.Errorf("notify: update dead letter: %w", err)
	}
	return res, fmt.Errorf("dead letter %s: still failing: %s", id, res.Error)
}

// PurgeDeadLetters deletes the given dead letters (ids in any form DeadLetter takes), or all of
// them when no id is given. An id that fits none or several deletes nothing.
func (d *Dispatcher) PurgeDeadLetters(ctx context.Context, ids ...string) (int64, error) {
	query, args := `DELETE FROM notify_dead`, []any{}
	if len(ids) > 0 {
		query += ` WHERE id IN (` + placeholders(len(ids)) + `)`
		for _, in := range ids {
			dl, err := d.DeadLetter(ctx, in)
			if err != nil {
				return 0, err
			}
			args = append(args, dl.ID)
		}
	}
	res, err := d.db.ExecContext(ctx, query, args...)
	if err != nil {
		return 0, fmt.Errorf("notify: purge dead letters: %w", err)
	}
	return res.RowsAffected()
}
