package notify

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/oklog/ulid/v2"

	"github.com/hooktap/hooktap/mask"
)

// ErrReadOnly is returned when the API tries to change a webhook that comes from the config file.
var ErrReadOnly = errors.New("webhook comes from the config file; edit the file instead")

// Webhooks lists the config file's webhooks, then those created through the API (oldest first).
func (d *Dispatcher) Webhooks(ctx context.Context) ([]Webhook, error) {
	out := append([]Webhook(nil), d.static...)
	rows, err := d.db.QueryContext(ctx, `SELECT spec FROM notify_webhooks ORDER BY created_at, id`)
	if err != nil {
		return nil, fmt.Errorf("notify: list webhooks: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var spec string
		if err := rows.Scan(&spec); err != nil {
			return nil, fmt.Errorf("notify: list webhooks: %w", err)
		}
		var w Webhook
		if err := json.Unmarshal([]byte(spec), &w); err != nil {
			return nil, fmt.Errorf("notify: stored webhook: %w", err)
		}
		out = append(out, w.normalized())
	}
	return out, rows.Err()
}

// Webhook returns one webhook by id (ErrNotFound when there is none).
func (d *Dispatcher) Webhook(ctx context.Context, id string) (Webhook, error) {
	for _, w := range d.static {
		if w.ID == id {
			return w, nil
		}
	}
	var spec string
	err := d.db.QueryRowContext(ctx, `SELECT spec FROM notify_webhooks WHERE id=?`, id).Scan(&spec)
	if errors.Is(err, sql.ErrNoRows) {
		return Webhook{}, fmt.Errorf("webhook %q: %w", id, ErrNotFound)
	}
	if err != nil {
		return Webhook{}, fmt.Errorf("notify: webhook %q: %w", id, err)
	}
	var w Webhook
	if err := json.Unmarshal([]byte(spec), &w); err != nil {
		return Webhook{}, fmt.Errorf("notify: stored webhook %q: %w", id, err)
	}
	return w.normalized(), nil
}

// CreateWebhook validates and stores a new webhook under a generated id; warnings name unknown events.
func (d *Dispatcher) CreateWebhook(ctx context.Context, w Webhook) (Webhook, []string, error) {
	w.ID = "wh_" + strings.ToLower(ulid.Make().String())
	w.Source = SourceAPI
	w = w.normalized()
	warnings, err := w.Validate()
	if err != nil {
		return Webhook{}, nil, err
	}
	if _, err := d.db.ExecContext(ctx, `INSERT INTO notify_webhooks(id, spec, created_at) VALUES(?,?,?)`,
		w.ID, string(encode(w)), ms(d.now())); err != nil {
		return Webhook{}, nil, fmt.Errorf("notify: store webhook: %w", err)
	}
	return w, warnings, nil
}

// UpdateWebhook applies a partial update (only the fields present in patch change). A masked
// secret or header value sent back unchanged keeps the stored one.
func (d *Dispatcher) UpdateWebhook(ctx context.Context, id string, patch []byte) (Webhook, []string, error) {
	w, err := d.Webhook(ctx, id)
	if err != nil {
		return Webhook{}, nil, err
	}
	if w.Source == SourceConfig {
		return Webhook{}, nil, fmt.Errorf("webhook %q: %w", id, ErrReadOnly)
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(patch, &fields); err != nil {
		return Webhook{}, nil, fmt.Errorf("%w: %s", ErrInvalidWebhook, jsonProblem(err))
	}
	updated := w
	if _, ok := fields["headers"]; ok {
		updated.Headers = nil // a PUT with headers replaces them, so one can be removed
	}
	if err := json.Unmarshal(patch, &updated); err != nil {
		return Webhook{}, nil, fmt.Errorf("%w: %s", ErrInvalidWebhook, jsonProblem(err))
	}
	updated.ID, updated.Source = w.ID, SourceAPI
	keepMaskedSecrets(&updated, w)
	updated = updated.normalized()
	warnings, err := updated.Validate()
	if err != nil {
		return Webhook{}, nil, err
	}
	if _, err := d.db.ExecContext(ctx, `UPDATE notify_webhooks SET spec=? WHERE id=?`, string(encode(updated)), id); err != nil {
		return Webhook{}, nil, fmt.Errorf("notify: update webhook: %w", err)
	}
	return updated, warnings, nil
}

// keepMaskedSecrets undoes Masked where an update sends back what a read returned: a masked
// secret, header value or URL keeps the stored one.
func keepMaskedSecrets(updated *Webhook, old Webhook) {
	if mask.IsMasked(updated.Secret) {
		updated.Secret = old.Secret
	}
	if updated.URL == mask.URL(old.URL) {
		updated.URL = old.URL
	}
	for k, v := range updated.Headers {
		if mask.IsMasked(v) {
			updated.Headers[k] = old.Headers[k]
		}
	}
}

// DeleteWebhook removes an API-created webhook; its queued messages are dead-lettered when reached.
func (d *Dispatcher) DeleteWebhook(ctx context.Context, id string) error {
	w, err := d.Webhook(ctx, id)
	if err != nil {
		return err
	}
	if w.Source == SourceConfig {
		return fmt.Errorf("webhook %q: %w", id, ErrReadOnly)
	}
	_, err = d.db.ExecContext(ctx, `DELETE FROM notify_webhooks WHERE id=?`, id)
	return err
}

// TestWebhook sends the test message to one webhook now, even when it is disabled (so it can be
// checked before it is enabled).
func (d *Dispatcher) TestWebhook(ctx context.Context, id string) (Result, error) {
	w, err := d.Webhook(ctx, id)
	if err != nil {
		return Result{}, err
	}
	return d.SendNow(ctx, w, TestMessage(w.ID, d.now()))
}

// TestMessage is the message `test` sends.
func TestMessage(webhookID string, now time.Time) Message {
	return Build("test", map[string]any{
		"text":       "🧪 Test message from hooktap: webhook " + webhookID + " is configured correctly.",
		"webhook_id": webhookID,
	}, now)
}

// subscribers fans delivery results out to listeners (the TUI) without ever blocking delivery.
type subscribers struct {
	mu   sync.Mutex
	next int
	subs map[int]chan Result
}

// Subscribe returns a channel of delivery results and a function that ends the subscription.
// A slow reader misses results rather than slowing delivery.
func (d *Dispatcher) Subscribe() (<-chan Result, func()) {
	return d.subs.add()
}

func (s *subscribers) add() (<-chan Result, func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.subs == nil {
		s.subs = map[int]chan Result{}
	}
	id := s.next
	s.next++
	ch := make(chan Result, 64)
	s.subs[id] = ch
	return ch, func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if c, ok := s.subs[id]; ok {
			delete(s.subs, id)
			close(c)
		}
	}
}

func (s *subscribers) publish(r Result) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, ch := range s.subs {
		select {
		case ch <- r:
		default:
		}
	}
}

func (s *subscribers) closeAll() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for id, ch := range s.subs {
		delete(s.subs, id)
		close(ch)
	}
}

// jsonProblem turns a decoding error into a message naming the field when it can.
func jsonProblem(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Field != "" {
		return fmt.Sprintf("%s: expected %s, got %s", te.Field, te.Type, te.Value)
	}
	return "malformed JSON: " + err.Error()
}
