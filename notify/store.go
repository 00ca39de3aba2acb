package notify

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// migrations are notify's schema steps, run by the capture store's migrator under component
// "notify" (migrations[i] moves version i to i+1). Append only: a released step is never edited.
var migrations = []string{
	`CREATE TABLE IF NOT EXISTS notify_webhooks (
		id TEXT PRIMARY KEY, spec TEXT NOT NULL, created_at INTEGER NOT NULL);
	CREATE TABLE IF NOT EXISTS notify_queue (
		id TEXT PRIMARY KEY, webhook_id TEXT NOT NULL, event TEXT NOT NULL, message TEXT NOT NULL,
		attempts INTEGER NOT NULL DEFAULT 0, next_at INTEGER NOT NULL, lease_until INTEGER NOT NULL DEFAULT 0,
		last_status INTEGER NOT NULL DEFAULT 0, last_error TEXT NOT NULL DEFAULT '', created_at INTEGER NOT NULL);
	CREATE INDEX IF NOT EXISTS notify_queue_due ON notify_queue(next_at);
	CREATE TABLE IF NOT EXISTS notify_dead (
		id TEXT PRIMARY KEY, webhook_id TEXT NOT NULL, event TEXT NOT NULL, message TEXT NOT NULL,
		attempts INTEGER NOT NULL, last_status INTEGER NOT NULL, last_error TEXT NOT NULL, created_at INTEGER NOT NULL);
	CREATE TABLE IF NOT EXISTS notify_attempts (
		id INTEGER PRIMARY KEY AUTOINCREMENT, message_id TEXT NOT NULL, webhook_id TEXT NOT NULL,
		event TEXT NOT NULL, attempt INTEGER NOT NULL, status INTEGER NOT NULL, error TEXT NOT NULL,
		duration_ms INTEGER NOT NULL, at INTEGER NOT NULL);
	CREATE INDEX IF NOT EXISTS notify_attempts_message ON notify_attempts(message_id);`,
}

// ErrNotFound is returned for an unknown webhook or dead letter id.
var ErrNotFound = errors.New("not found")

// storedMessage is a Message as persisted; numbers keep their literal form (json.Number).
type storedMessage struct {
	Event     string          `json:"event"`
	Timestamp time.Time       `json:"timestamp"`
	Text      string          `json:"text"`
	Data      json.RawMessage `json:"data"`
}

func marshalMessage(m Message) string {
	data := genericBody(Message{Event: m.Event, Data: m.Data})
	var wrapper struct {
		Data json.RawMessage `json:"data"`
	}
	_ = json.Unmarshal(data, &wrapper)
	return string(encode(storedMessage{Event: m.Event, Timestamp: m.Timestamp, Text: m.Text, Data: wrapper.Data}))
}

func unmarshalMessage(s string) (Message, error) {
	var sm storedMessage
	if err := json.Unmarshal([]byte(s), &sm); err != nil {
		return Message{}, fmt.Errorf("stored message: %w", err)
	}
	m := Message{Event: sm.Event, Timestamp: sm.Timestamp, Text: sm.Text, Data: map[string]any{}}
	if len(sm.Data) > 0 {
		dec := json.NewDecoder(bytes.NewReader(sm.Data))
		dec.UseNumber()
		if err := dec.Decode(&m.Data); err != nil {
			return Message{}, fmt.Errorf("stored message data: %w", err)
		}
	}
	return m, nil
}

// queued is one (message, webhook) pair waiting for delivery.
type queued struct {
	ID         string
	WebhookID  string
	Message    Message
	Attempts   int
	LastStatus int
	LastError  string
	CreatedAt  time.Time
}

// DeadLetter is a message that exhausted its attempts or met a non-retryable answer.
type DeadLetter struct {
	ID         string    `json:"id"`
	WebhookID  string    `json:"webhook_id"`
	Event      string    `json:"event"`
	Attempts   int       `json:"attempts"`
	LastStatus int       `json:"last_status"`
	LastError  string    `json:"last_error"`
	CreatedAt  time.Time `json:"created_at"`
	Message    Message   `json:"-"`
}

func ms(t time.Time) int64 { return t.UnixMilli() }

func fromMS(v int64) time.Time { return time.UnixMilli(v).UTC() }
