package notify

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/oklog/ulid/v2"
)

// errGone is a dead letter's error when its webhook no longer exists.
const errGone = "webhook was deleted"

// process delivers one leased row: the attempt chain, then done, or the dead-letter table.
func (d *Dispatcher) process(ctx context.Context, q queued) {
	if ctx.Err() != nil { // shutting down: hand the row back untouched
		d.release(context.Background(), q.ID)
		return
	}
	w, err := d.Webhook(ctx, q.WebhookID)
	if errors.Is(err, ErrNotFound) {
		q.LastError = errGone
		d.finish(ctx, q, Result{MessageID: q.ID, WebhookID: q.WebhookID, Event: q.Message.Event, Dead: true, Error: errGone})
		return
	}
	if err != nil {
		d.release(context.Background(), q.ID)
		return
	}
	res := d.chain(ctx, w, q.Message, q.ID, q.Attempts, func(a Attempt, wait time.Duration) {
		q.Attempts, q.LastStatus, q.LastError = a.N, a.Status, a.Error
		if err := d.progress(ctx, q, a, wait); err != nil && ctx.Err() == nil {
			d.log.Warn("notify: record retry", "id", q.ID, "err", err)
		}
	})
	if ctx.Err() != nil && !res.Delivered && !res.Dead {
		if len(res.Attempts) > 0 {
			_ = recordAttempts(context.Background(), d.db, q.ID, q.WebhookID, q.Message.Event, res.Attempts[len(res.Attempts)-1])
		}
		d.release(context.Background(), q.ID)
		return
	}
	if len(res.Attempts) > 0 {
		q.Attempts = res.Attempts[len(res.Attempts)-1].N
	}
	q.LastStatus, q.LastError = res.Status, res.Error
	d.finish(ctx, q, res)
}

// finish removes a delivered row or buries a dead one, then tells subscribers.
func (d *Dispatcher) finish(ctx context.Context, q queued, res Result) {
	res.Dead = !res.Delivered
	var last []Attempt
	if len(res.Attempts) > 0 {
		last = res.Attempts[len(res.Attempts)-1:] // the earlier ones were recorded with each retry
	}
	if err := d.settle(context.WithoutCancel(ctx), q, res.Dead, last...); err != nil {
		d.log.Error("notify: finish delivery", "id", q.ID, "err", err)
	}
	if res.Dead {
		d.log.Warn("notify: dead-lettered", "id", q.ID, "webhook", q.WebhookID, "event", q.Message.Event,
			"status", res.Status, "error", res.Error)
	}
	d.subs.publish(res)
}

// SendNow delivers m to w synchronously with w's retry policy (deliver_only routes, CLI send and
// test). Nothing is queued or dead-lettered; every attempt is still recorded.
func (d *Dispatcher) SendNow(ctx context.Context, w Webhook, m Message) (Result, error) {
	w = w.normalized()
	if _, err := w.Validate(); err != nil {
		return Result{}, err
	}
	if m.Timestamp.IsZero() {
		m.Timestamp = d.now().UTC()
	}
	res := d.chain(ctx, w, m, ulid.Make().String(), 0, nil)
	d.keepAttempts(ctx, res)
	d.subs.publish(res)
	if !res.Delivered {
		return res, fmt.Errorf("deliver to %s: %s", w.ID, res.Error)
	}
	return res, nil
}

// chain runs attempts after the `done` already made until one succeeds, one is final, the policy
// is exhausted or ctx ends. onRetry runs before each wait (the queue records progress there).
func (d *Dispatcher) chain(ctx context.Context, w Webhook, m Message, msgID string, done int,
	onRetry func(Attempt, time.Duration)) Result {
	format := w.ResolvedFormat()
	body, warnings := FitBody(format, m)
	res := Result{MessageID: msgID, WebhookID: w.ID, Event: m.Event, Format: format, Warnings: warnings}
	for n := done + 1; ; n++ {
		o := d.attempt(ctx, w, msgID, body, n)
		res.Attempts = append(res.Attempts, o.attempt)
		res.Status, res.Error, res.Response = o.attempt.Status, o.attempt.Error, o.response
		if o.ok {
			res.Delivered, res.Error = true, ""
			return res
		}
		if !o.retryable || n >= w.Retry.MaxAttempts || ctx.Err() != nil {
			if o.retryable && n >= w.Retry.MaxAttempts && n > 1 {
				res.Error = fmt.Sprintf("%s (gave up after %d attempts)", res.Error, n)
			}
			return res
		}
		wait := backoff(w.Retry, n, o.retryAfter, d.jitter)
		if onRetry != nil {
			onRetry(o.attempt, wait)
		}
		if err := d.sleep(ctx, wait); err != nil {
			return res
		}
	}
}

// keepAttempts records the attempts of a delivery made outside the queue (send, test, DLQ retry).
func (d *Dispatcher) keepAttempts(ctx context.Context, res Result) {
	err := recordAttempts(context.WithoutCancel(ctx), d.db, res.MessageID, res.WebhookID, res.Event, res.Attempts...)
	if err != nil {
		d.log.Warn("notify: record attempts", "err", err)
	}
}
