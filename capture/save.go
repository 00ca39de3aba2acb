package capture

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
)

const insertCaptureSQL = `INSERT INTO captures(id, received_at, source, peer, method, path, query, route,
	event, delivery_id, verified, status, latency_ns, truncated, replay_of, content_type, verification,
	rendered, response_body, headers, body, response_headers, body_seg, body_off, body_len, body_sum)
	VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

// Save records c, assigning c.ID (a lowercase ULID) when empty and c.ReceivedAt when zero. It
// returns once the row is committed, then subscribers see it as a Created event.
func (s *SQLite) Save(ctx context.Context, c *Capture) error {
	if c == nil {
		return errors.New("save capture: nil capture")
	}
	// Encode on the caller's goroutine: the single writer should only execute and commit.
	verification, err := json.Marshal(c.Verification)
	if err != nil {
		return fmt.Errorf("save capture: %w", err)
	}
	headers := encodeHeaders(c.Headers)
	c.BodySize = len(c.Body)
	op := &writeOp{created: c}
	if len(c.Body) > inlineBodyMax {
		op.fileBody = c.Body // the writer appends it to a segment before the batch's inserts
	}
	op.apply = func(ctx context.Context, tx *sql.Tx) error {
		return s.insert(ctx, tx, c, encoded{verification, headers, encodeHeaders(c.ResponseHeaders), op.bodyRef})
	}
	if err := s.enqueue(ctx, op); err != nil {
		return fmt.Errorf("save capture: %w", err)
	}
	return nil
}

// insert runs on the writer goroutine, so ids it assigns come out in commit order; ids share
// the process-wide generator with NewID, so they never go backwards in this process.
func (s *SQLite) insert(ctx context.Context, tx *sql.Tx, c *Capture, e encoded) error {
	if c.ReceivedAt.IsZero() {
		c.ReceivedAt = s.opts.now()
	}
	if c.ID == "" {
		c.ID = processIDs.next(c.ReceivedAt)
	}
	c.ID = strings.ToLower(c.ID) // Get matches lowercase prefixes
	body, seg, off, sum := any(nonNil(c.Body)), any(nil), any(nil), any(nil)
	if r := e.body; r != nil {
		body, seg, off, sum = nil, r.seg, r.off, int64(r.sum)
	}
	_, err := tx.StmtContext(ctx, s.insertStmt).ExecContext(ctx, c.ID, c.ReceivedAt.UnixNano(), string(c.Source),
		c.Peer, c.Method, c.Path, c.Query, c.Route, c.Event, c.DeliveryID,
		string(c.Verification.Result), c.Status, int64(c.Latency), c.Truncated, c.ReplayOf,
		c.ContentType, string(e.verification), c.Rendered, nonNil(c.ResponseBody),
		e.headers, body, e.responseHeaders, seg, off, len(c.Body), sum)
	if isConstraint(err) {
		return fmt.Errorf("capture id %q already exists: %w", c.ID, err)
	}
	for _, d := range c.Deliveries {
		if err == nil {
			err = insertDelivery(ctx, tx, c.ID, d)
		}
	}
	if err == nil {
		err = insertOutbox(ctx, tx, c)
	}
	return err
}

// encoded is what Save prepares on the caller's goroutine so the single writer only executes.
// The free-text index is written later (searchlag.go).
type encoded struct {
	verification, headers, responseHeaders []byte
	body                                   *bodyRef // where the writer put the body, nil when inline
}

// nonNil keeps an empty body an empty BLOB rather than NULL, so it reads back as []byte{}.
func nonNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}

// AddDelivery appends one delivery attempt to capture id without touching its body.
func (s *SQLite) AddDelivery(ctx context.Context, id string, d Delivery) error {
	op := &writeOp{apply: func(ctx context.Context, tx *sql.Tx) error {
		return insertDelivery(ctx, tx, id, d)
	}}
	if err := s.enqueue(ctx, op); err != nil {
		return fmt.Errorf("add delivery to %s: %w", id, err)
	}
	s.publishUpdated(ctx, id)
	return nil
}

func insertDelivery(ctx context.Context, tx *sql.Tx, id string, d Delivery) error {
	res, err := tx.ExecContext(ctx, `INSERT INTO deliveries(capture_id, target, status, error, duration_ns, attempt)
		SELECT id, ?, ?, ?, ?, ? FROM captures WHERE id = ?`,
		d.Target, d.Status, d.Error, int64(d.Duration), d.Attempt, id)
	return notFoundUnlessAffected(res, err)
}

// SetResult records the answer given for capture id when it was decided after saving.
func (s *SQLite) SetResult(ctx context.Context, id string, status int, responseBody []byte) error {
	op := &writeOp{apply: func(ctx context.Context, tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE captures SET status = ?, response_body = ? WHERE id = ?`,
			status, nonNil(responseBody), id)
		return notFoundUnlessAffected(res, err)
	}}
	if err := s.enqueue(ctx, op); err != nil {
		return fmt.Errorf("set result of %s: %w", id, err)
	}
	s.publishUpdated(ctx, id)
	return nil
}

func notFoundUnlessAffected(res sql.Result, err error) error {
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return ErrNotFound
	}
	return nil
}

// publishUpdated re-reads the capture on the caller's goroutine, keeping the writer free.
func (s *SQLite) publishUpdated(ctx context.Context, id string) {
	if !s.subs.Any() {
		return
	}
	if c, err := s.getExact(ctx, id, true); err == nil {
		s.subs.Publish(Event{Kind: Updated, Capture: c})
	}
}

// cloneCapture copies c so subscribers never share memory the caller may still change.
func cloneCapture(c *Capture) *Capture {
	cp := *c
	cp.Headers = slices.Clone(c.Headers)
	cp.Body = slices.Clone(c.Body)
	cp.ResponseBody = slices.Clone(c.ResponseBody)
	cp.ResponseHeaders = slices.Clone(c.ResponseHeaders)
	cp.Deliveries = slices.Clone(c.Deliveries)
	cp.Outbox = slices.Clone(c.Outbox)
	cp.Verification.Diagnosis = slices.Clone(c.Verification.Diagnosis)
	return &cp
}
