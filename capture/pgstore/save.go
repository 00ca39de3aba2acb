package pgstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/hooktap/hooktap/capture"
)

const insertCaptureSQL = `INSERT INTO captures(id, received_at, source, peer, method, path, query, route,
	event, delivery_id, verified, status, latency_ns, truncated, replay_of, content_type, verification,
	rendered, response_body, headers, response_headers, body)
	VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)`

const insertDeliverySQL = `INSERT INTO deliveries(capture_id, target, status, error, duration_ns, attempt)
	SELECT id, $2, $3, $4, $5, $6 FROM captures WHERE id = $1`

const insertOutboxSQL = `INSERT INTO outbox(capture_id, route, kind, target, backup, next_at, created_at)
	VALUES($1, $2, $3, $4, $5, $6, $7) RETURNING id`

// Save records c, assigning c.ID (a lowercase ULID) when empty and c.ReceivedAt when zero, with
// its deliveries and the outbox entries it owes in the same transaction. It returns once that
// transaction is committed; then this instance's subscribers see it as a Created event, and
// other instances' through NOTIFY.
func (s *Store) Save(ctx context.Context, c *capture.Capture) error {
	if c == nil {
		return errors.New("save capture: nil capture")
	}
	// Encode on the caller's goroutine: the writer should only send and commit.
	verification, err := json.Marshal(c.Verification)
	if err != nil {
		return fmt.Errorf("save capture: %w", err)
	}
	e := encoded{
		verification:    string(verification),
		headers:         capture.EncodeHeaders(c.Headers),
		responseHeaders: capture.EncodeHeaders(c.ResponseHeaders),
		search:          searchText(c),
	}
	c.BodySize = len(c.Body)
	op := &writeOp{created: c}
	op.queue = func(b *pgx.Batch) { s.queueInsert(b, op, c, e) }
	if err := s.enqueue(ctx, op); err != nil {
		return fmt.Errorf("save capture: %w", err)
	}
	return nil
}

// encoded is what Save prepares on the caller's goroutine.
type encoded struct {
	verification             string
	headers, responseHeaders []byte
	search                   string
}

// queueInsert runs on the writer goroutine, so ids it assigns come out in commit order within
// this instance; ids come from capture.NewID, shared with the gateway's early ids.
func (s *Store) queueInsert(b *pgx.Batch, op *writeOp, c *capture.Capture, e encoded) {
	if c.ReceivedAt.IsZero() {
		c.ReceivedAt = s.settings.Now()
	}
	if c.ID == "" {
		c.ID = capture.NewID(c.ReceivedAt)
	}
	c.ID = strings.ToLower(c.ID) // Get matches lowercase prefixes
	b.Queue(insertCaptureSQL, c.ID, c.ReceivedAt.UnixNano(), string(c.Source), c.Peer, c.Method,
		bin(c.Path), bin(c.Query), c.Route, bin(c.Event), bin(c.DeliveryID), string(c.Verification.Result),
		c.Status, int64(c.Latency), c.Truncated, bin(c.ReplayOf), bin(c.ContentType), e.verification,
		bin(c.Rendered), nonNil(c.ResponseBody), e.headers, e.responseHeaders, nonNil(c.Body))
	b.Queue(`INSERT INTO search_pending(id, search) VALUES($1, $2)`, c.ID, e.search)
	for _, d := range c.Deliveries {
		queueDelivery(b, op, c.ID, d)
	}
	for i := range c.Outbox {
		o := &c.Outbox[i]
		o.CaptureID, o.State, o.CreatedAt = c.ID, capture.OutboxPending, c.ReceivedAt
		if o.NextAt.IsZero() {
			o.NextAt = c.ReceivedAt
		}
		b.Queue(insertOutboxSQL, c.ID, o.Route, o.Kind, o.Target, o.Backup, o.NextAt.UnixNano(),
			c.ReceivedAt.UnixNano()).QueryRow(func(row pgx.Row) error { return row.Scan(&o.ID) })
	}
}

func queueDelivery(b *pgx.Batch, op *writeOp, id string, d capture.Delivery) {
	b.Queue(insertDeliverySQL, id, d.Target, d.Status, bin(d.Error), int64(d.Duration), d.Attempt).
		Exec(func(ct pgconn.CommandTag) error {
			if ct.RowsAffected() == 0 && op.err == nil {
				op.err = capture.ErrNotFound
			}
			return nil
		})
}

// bin passes a string as bytea: its bytes exactly, whatever they are.
func bin(s string) []byte { return nonNil([]byte(s)) }

// nonNil keeps an empty value an empty bytea rather than NULL.
func nonNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}

// AddDelivery appends one delivery attempt to capture id without touching its body.
func (s *Store) AddDelivery(ctx context.Context, id string, d capture.Delivery) error {
	op := &writeOp{updated: id}
	op.queue = func(b *pgx.Batch) { queueDelivery(b, op, id, d) }
	if err := s.enqueue(ctx, op); err != nil {
		return fmt.Errorf("add delivery to %s: %w", id, err)
	}
	s.publishUpdated(ctx, id)
	return nil
}

// SetResult records the answer given for capture id when it was decided after saving.
func (s *Store) SetResult(ctx context.Context, id string, status int, responseBody []byte) error {
	op := &writeOp{updated: id}
	op.queue = func(b *pgx.Batch) {
		b.Queue(`UPDATE captures SET status = $1, response_body = $2 WHERE id = $3`, status, nonNil(responseBody), id).
			Exec(func(ct pgconn.CommandTag) error {
				if ct.RowsAffected() == 0 {
					op.err = capture.ErrNotFound
				}
				return nil
			})
	}
	if err := s.enqueue(ctx, op); err != nil {
		return fmt.Errorf("set result of %s: %w", id, err)
	}
	s.publishUpdated(ctx, id)
	return nil
}

// publishUpdated re-reads the capture on the caller's goroutine, keeping the writer free.
func (s *Store) publishUpdated(ctx context.Context, id string) {
	if !s.subs.Any() {
		return
	}
	if c, err := s.getExact(ctx, id); err == nil {
		s.subs.Publish(capture.Event{Kind: capture.Updated, Capture: c})
	}
}
