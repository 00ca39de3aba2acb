package capture

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

const componentCapture = "capture"

// schemaVersionsDDL is shared with every component that keeps tables in this file (notify).
const schemaVersionsDDL = `CREATE TABLE IF NOT EXISTS schema_versions(component TEXT PRIMARY KEY, version INTEGER NOT NULL)`

// captureSchema lists the capture component's migrations; index i moves version i to i+1.
// Append only: a released step is never edited. Columns are ordered small-to-large so list
// queries that skip the body never read its overflow pages.
//
// Indexes are few on purpose: each one is written by every insert, and the insert is on the
// gateway's hot path. The id index pages newest-first; route is the filter every view uses;
// received_at serves retention. Other filters walk the id index newest-first and stop at the
// page limit.
var captureSchema = []migration{
	{sql: `CREATE TABLE captures(
		id            TEXT NOT NULL UNIQUE,
		received_at   INTEGER NOT NULL,
		source        TEXT NOT NULL DEFAULT '',
		peer          TEXT NOT NULL DEFAULT '',
		method        TEXT NOT NULL DEFAULT '',
		path          TEXT NOT NULL DEFAULT '',
		query         TEXT NOT NULL DEFAULT '',
		route         TEXT NOT NULL DEFAULT '',
		event         TEXT NOT NULL DEFAULT '',
		delivery_id   TEXT NOT NULL DEFAULT '',
		verified      TEXT NOT NULL DEFAULT '',
		status        INTEGER NOT NULL DEFAULT 0,
		latency_ns    INTEGER NOT NULL DEFAULT 0,
		truncated     INTEGER NOT NULL DEFAULT 0,
		replay_of     TEXT NOT NULL DEFAULT '',
		content_type  TEXT NOT NULL DEFAULT '',
		verification  TEXT NOT NULL DEFAULT '{}',
		rendered      TEXT NOT NULL DEFAULT '',
		response_body BLOB,
		headers       BLOB,
		body          BLOB
	);
	CREATE INDEX captures_route ON captures(route, id);
	CREATE INDEX captures_received ON captures(received_at);
	CREATE TABLE deliveries(
		seq         INTEGER PRIMARY KEY,
		capture_id  TEXT NOT NULL REFERENCES captures(id) ON DELETE CASCADE,
		target      TEXT NOT NULL,
		status      INTEGER NOT NULL,
		error       TEXT NOT NULL,
		duration_ns INTEGER NOT NULL,
		attempt     INTEGER NOT NULL
	);
	CREATE INDEX deliveries_capture ON deliveries(capture_id, seq);`},
	// Version 2: the free-text index (see search.go). Contentless: it holds trigrams, not a
	// second copy of the text; contentless_delete lets retention's deletes remove their rows.
	{sql: `CREATE VIRTUAL TABLE captures_fts USING fts5(path, query, headers, body,
		content='', contentless_delete=1, tokenize='trigram');
	CREATE TRIGGER captures_fts_delete AFTER DELETE ON captures BEGIN
		DELETE FROM captures_fts WHERE rowid = old.rowid;
	END;`, fill: fillSearchIndex},
	// Version 3: the headers of the gateway's answer, encoded like the request's.
	{sql: `ALTER TABLE captures ADD COLUMN response_headers BLOB`},
	// Version 4: the free-text index is written behind the captures (searchlag.go). A capture
	// waits in search_pending, written by the insert's own trigger, until it is indexed; every
	// capture an older store holds is indexed already.
	{sql: `CREATE TABLE search_pending(capture_rowid INTEGER PRIMARY KEY);
	CREATE TRIGGER captures_search_pending AFTER INSERT ON captures BEGIN
		INSERT INTO search_pending(capture_rowid) VALUES (new.rowid);
	END;
	CREATE TRIGGER captures_search_pending_delete AFTER DELETE ON captures BEGIN
		DELETE FROM search_pending WHERE capture_rowid = old.rowid;
	END;`},
	// Version 5: captures the index holds only in part (a long or binary body, searchindex.go);
	// search matches them directly. Every capture an older store indexed is indexed whole.
	{sql: `CREATE TABLE search_partial(capture_rowid INTEGER PRIMARY KEY);
	CREATE TRIGGER captures_search_partial_delete AFTER DELETE ON captures BEGIN
		DELETE FROM search_partial WHERE capture_rowid = old.rowid;
	END;`},
	// Version 6: ids by their end (the short form every surface shows) as a range of an index;
	// version 8 drops it again.
	{sql: `CREATE INDEX captures_id_end ON captures` + idEndExpr + `;`},
	// Version 7: a body longer than inlineBodyMax lives in a segment file beside the database
	// (bodyfile.go); the row holds its segment, offset, length and CRC-32C, and body is NULL.
	// Rows written before keep their body inline and read as before; retention removes them
	// in their turn. The index answers "does any capture still point into this segment?".
	{sql: `ALTER TABLE captures ADD COLUMN body_seg INTEGER;
	ALTER TABLE captures ADD COLUMN body_off INTEGER;
	ALTER TABLE captures ADD COLUMN body_len INTEGER;
	ALTER TABLE captures ADD COLUMN body_sum INTEGER;
	CREATE INDEX captures_body_seg ON captures(body_seg) WHERE body_seg IS NOT NULL;`},
	// Version 8: the index of version 6 goes. Its entries land at random places, so each insert
	// and each delete wrote one more page: 10–13 µs of every Save and half its WAL traffic. An
	// id's end is found by a pass over the id index instead (internal/shortid).
	{sql: `DROP INDEX IF EXISTS captures_id_end;`},
	// Version 9: deleting a capture no longer deletes from the free-text index in the same
	// statement. FTS5 deletes from a contentless index cost 0.25–1 ms of CPU per row (tombstones
	// and their merges), so retention past max_count held the writer for 0.1–0.5 s per chunk
	// once the idle indexer had run. A deleted capture that the index holds is noted in
	// search_deleted instead, and the indexer removes it from the index while the store is idle,
	// before indexing anything (searchlag.go); search ignores what the index still holds for it.
	{sql: `CREATE TABLE search_deleted(capture_rowid INTEGER PRIMARY KEY);
	DROP TRIGGER captures_fts_delete;
	DROP TRIGGER captures_search_pending_delete;
	DROP TRIGGER captures_search_partial_delete;
	CREATE TRIGGER captures_search_forget AFTER DELETE ON captures BEGIN
		INSERT OR IGNORE INTO search_deleted(capture_rowid)
			SELECT old.rowid WHERE NOT EXISTS (SELECT 1 FROM search_pending WHERE capture_rowid = old.rowid);
		DELETE FROM search_pending WHERE capture_rowid = old.rowid;
		DELETE FROM search_partial WHERE capture_rowid = old.rowid;
	END;`},
}

// idEndExpr is the last eight characters of id, reversed, built from substr (SQLite has no
// reverse()): the key of version 6's index, which version 8 drops.
const idEndExpr = `(substr(id, -1, 1) || substr(id, -2, 1) || substr(id, -3, 1) || substr(id, -4, 1) ||
	substr(id, -5, 1) || substr(id, -6, 1) || substr(id, -7, 1) || substr(id, -8, 1))`

// migration is one schema step: SQL, then (when set) Go code for what SQL cannot do, such as
// filling an index from the encoded header blobs. Both run in the migration's transaction.
type migration struct {
	sql  string
	fill func(context.Context, *sql.Tx) error
}

// Migrate brings component's tables to len(steps), running the missing steps in one
// transaction. It returns ErrNewerSchema, changing nothing, when the file is already past them.
//
// The steps run on the writer's connection, queued like any write. Run on another connection,
// a schema change left the writer's connection with an outdated schema, and SQLite could then
// fail to prepare a delete that fires the captures' triggers ("no such table: captures"): a
// first start logged it when notify created its tables while retention made its first pass.
func (s *SQLite) Migrate(component string, steps []string) error {
	ms := plainSteps(steps)
	return s.enqueue(context.Background(), &writeOp{solo: func(ctx context.Context, conn *sql.Conn) error {
		return migrateOn(ctx, conn, component, ms)
	}})
}

func plainSteps(steps []string) []migration {
	ms := make([]migration, len(steps))
	for i, st := range steps {
		ms[i] = migration{sql: st}
	}
	return ms
}

func migrateOn(ctx context.Context, conn *sql.Conn, component string, steps []migration) error {
	if _, err := conn.ExecContext(ctx, schemaVersionsDDL); err != nil {
		return fmt.Errorf("migrate %s: %w", component, classify(err))
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migrate %s: %w", component, classify(err))
	}
	defer tx.Rollback()
	var version int
	err = tx.QueryRowContext(ctx, `SELECT version FROM schema_versions WHERE component = ?`, component).Scan(&version)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("migrate %s: %w", component, err)
	}
	if version > len(steps) {
		return fmt.Errorf("%s schema is version %d, this hooktap knows %d: %w", component, version, len(steps), ErrNewerSchema)
	}
	if version == len(steps) {
		return nil
	}
	for i := version; i < len(steps); i++ {
		if err := steps[i].run(ctx, tx); err != nil {
			return fmt.Errorf("migrate %s to version %d: %w", component, i+1, err)
		}
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO schema_versions(component, version) VALUES(?, ?)
		ON CONFLICT(component) DO UPDATE SET version = excluded.version`, component, len(steps))
	if err != nil {
		return fmt.Errorf("migrate %s: %w", component, err)
	}
	return tx.Commit()
}

func (m migration) run(ctx context.Context, tx *sql.Tx) error {
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return err
	}
	if m.fill != nil {
		return m.fill(ctx, tx)
	}
	return nil
}
