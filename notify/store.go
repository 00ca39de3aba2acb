package notify

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// schemaVersion is the newest notify migration; migrations[i] moves the schema to version i+1.
const schemaVersion = 1

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

// migrate brings the notify tables to schemaVersion, recording it under component "notify".
func migrate(ctx context.Context, db *sql.DB) error {
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_versions(
		component TEXT PRIMARY KEY, version INTEGER NOT NULL)`); err != nil {
		return fmt.Errorf("notify: create schema_versions: %w", err)
	}
	var current int
	err := db.QueryRowContext(ctx, `SELECT version FROM schema_versions WHERE component='notify'`).Scan(&current)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("notify: read schema version: %w", err)
	}
	if current > schemaVersion {
		return fmt.Errorf("notify: store schema version %d is newer than this hooktap (%d); upgrade hooktap", current, schemaVersion)
	}
	for v := current; v < schemaVersion; v++ {
		if err := applyMigration(ctx, db, v+1, migrations[v]); err != nil {
			return err
		}
	}
	return nil
}

func applyMigration(ctx context.Context, db *sql.DB, version int, stmt string) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("notify: migrate to %d: %w", version, err)
	}
	defer func() { _ = tx.Rollback() }()
	if _, err := tx.ExecContext(ctx, stmt); err != nil {
		return fmt.Errorf("notify: migrate to %d: %w", version, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_versions(component, version) VALUES('notify', ?)
		ON CONFLICT(component) DO UPDATE SET version=excluded.version`, version); err != nil {
		return fmt.Errorf("notify: record version %d: %w", version, err)
	}
	return tx.Commit()
}

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
