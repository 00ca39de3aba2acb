package pgstore

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/hooktap/hooktap/capture"
)

// Components keep their own schema version, as in the SQLite store, so each evolves its tables
// without renumbering the others' steps.
const (
	componentCapture   = "capture"
	componentOutbox    = "outbox"
	componentRoutePins = "routepins"
)

// migration is one schema step; index i of a component's list moves version i to i+1. Append
// only: a released step is never edited. run, when set, replaces sql for steps that decide
// something at migration time.
type migration struct {
	sql string
	run func(ctx context.Context, tx pgx.Tx) error
}

// captureSchema mirrors the SQLite captures and deliveries tables. Times are Unix nanoseconds
// (bigint) so they round-trip exactly. Text that comes off the wire (path, query string,
// header-derived fields, rendered template output, error texts) is bytea: PostgreSQL's text
// refuses NUL and invalid UTF-8, which a capture must keep byte-exact. Ids use the "C"
// collation so they order byte-wise, as in SQLite, which cursor paging relies on.
//
// A capture's searched text (see search.go) waits in search_pending, written with the capture,
// until the indexer moves it to capture_search, the table the trigram index covers: the index's
// cost stays off the gateway's path.
var captureSchema = []migration{
	{sql: `CREATE TABLE captures(
		id               text COLLATE "C" PRIMARY KEY,
		received_at      bigint NOT NULL,
		source           text NOT NULL DEFAULT '',
		peer             text NOT NULL DEFAULT '',
		method           text NOT NULL DEFAULT '',
		path             bytea NOT NULL DEFAULT '',
		query            bytea NOT NULL DEFAULT '',
		route            text NOT NULL DEFAULT '',
		event            bytea NOT NULL DEFAULT '',
		delivery_id      bytea NOT NULL DEFAULT '',
		verified         text NOT NULL DEFAULT '',
		status           integer NOT NULL DEFAULT 0,
		latency_ns       bigint NOT NULL DEFAULT 0,
		truncated        boolean NOT NULL DEFAULT false,
		replay_of        bytea NOT NULL DEFAULT '',
		content_type     bytea NOT NULL DEFAULT '',
		verification     text NOT NULL DEFAULT '{}',
		rendered         bytea NOT NULL DEFAULT '',
		response_body    bytea NOT NULL DEFAULT '',
		headers          bytea NOT NULL DEFAULT '',
		response_headers bytea NOT NULL DEFAULT '',
		body             bytea NOT NULL DEFAULT ''
	);
	CREATE INDEX captures_route ON captures(route, id);
	CREATE INDEX captures_received ON captures(received_at);
	CREATE INDEX captures_id_reversed ON captures((reverse(id)) COLLATE "C");
	CREATE TABLE deliveries(
		seq         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
		capture_id  text COLLATE "C" NOT NULL REFERENCES captures(id) ON DELETE CASCADE,
		target      text NOT NULL,
		status      integer NOT NULL,
		error       bytea NOT NULL,
		duration_ns bigint NOT NULL,
		attempt     integer NOT NULL
	);
	CREATE INDEX deliveries_capture ON deliveries(capture_id, seq);
	CREATE TABLE search_pending(
		id     text COLLATE "C" PRIMARY KEY REFERENCES captures(id) ON DELETE CASCADE,
		search text NOT NULL
	);
	CREATE TABLE capture_search(
		id     text COLLATE "C" PRIMARY KEY REFERENCES captures(id) ON DELETE CASCADE,
		search text NOT NULL
	);`},
	{run: trigramIndex},
	{run: lz4Compression},
}

var outboxSchema = []migration{
	{sql: `CREATE TABLE outbox(
		id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
		capture_id  text COLLATE "C" NOT NULL REFERENCES captures(id) ON DELETE CASCADE,
		route       text NOT NULL,
		kind        text NOT NULL,
		target      text NOT NULL,
		backup      text NOT NULL DEFAULT '',
		state       text NOT NULL DEFAULT 'pending',
		attempts    integer NOT NULL DEFAULT 0,
		next_at     bigint NOT NULL,
		lease_owner text NOT NULL DEFAULT '',
		lease_until bigint NOT NULL DEFAULT 0,
		last_status integer NOT NULL DEFAULT 0,
		last_error  bytea NOT NULL DEFAULT '',
		created_at  bigint NOT NULL
	);
	CREATE INDEX outbox_due ON outbox(state, next_at);
	CREATE INDEX outbox_capture ON outbox(capture_id);
	CREATE INDEX outbox_owner ON outbox(lease_owner) WHERE lease_owner <> '';`},
}

var routePinsSchema = []migration{
	{sql: `CREATE TABLE route_pins(
		route      text PRIMARY KEY,
		scheme     text NOT NULL,
		capture_id text NOT NULL,
		pinned_at  bigint NOT NULL
	);`},
}

// trigramIndex indexes capture_search with pg_trgm when the extension is installed or can
// be (a superuser, or a trusted extension on PostgreSQL 13+), so free text of three characters
// or more is answered from the index; without it the same LIKE walks the captures newest first.
func trigramIndex(ctx context.Context, tx pgx.Tx) error {
	if _, err := tx.Exec(ctx, `SAVEPOINT trgm`); err != nil {
		return err
	}
	var ext string
	// The extension is database-wide: stores in other schemas may be migrating at once.
	_, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended('hooktap pg_trgm', 0))`)
	if err == nil {
		_, err = tx.Exec(ctx, `CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public`)
	}
	if err == nil {
		err = tx.QueryRow(ctx, `SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
			WHERE e.extname = 'pg_trgm'`).Scan(&ext)
	}
	if err != nil {
		_, rerr := tx.Exec(ctx, `ROLLBACK TO SAVEPOINT trgm`)
		return rerr
	}
	opclass := pgx.Identifier{ext, "gin_trgm_ops"}.Sanitize()
	_, err = tx.Exec(ctx, `CREATE INDEX capture_search_trgm ON capture_search USING gin (search `+opclass+`)`)
	return err
}

// lz4Compression compresses bodies and search text with lz4 where the server has it
// (PostgreSQL 14 and later, built with lz4): inserting a 7.6 KB JSON body took a third of the
// time pglz takes, for about 40% more space.
func lz4Compression(ctx context.Context, tx pgx.Tx) error {
	if _, err := tx.Exec(ctx, `SAVEPOINT lz4`); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `ALTER TABLE captures ALTER COLUMN body SET COMPRESSION lz4,
			ALTER COLUMN response_body SET COMPRESSION lz4;
		ALTER TABLE search_pending ALTER COLUMN search SET COMPRESSION lz4;
		ALTER TABLE capture_search ALTER COLUMN search SET COMPRESSION lz4`)
	if err != nil {
		_, err = tx.Exec(ctx, `ROLLBACK TO SAVEPOINT lz4`)
	}
	return err
}

// migrateAll brings every component to its newest schema and returns the schema the tables
// live in. Instances starting together serialise on an advisory lock held for the migration's
// transaction, so exactly one runs each step.
func (s *Store) migrateAll(ctx context.Context) (string, error) {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return "", err
	}
	defer tx.Rollback(ctx)
	var schema string
	if err := tx.QueryRow(ctx, `SELECT current_schema()`).Scan(&schema); err != nil {
		return "", fmt.Errorf("migrate: %w", err)
	}
	if schema == "" {
		return "", errors.New("migrate: the search_path names no schema that exists; create it or set search_path in the URL")
	}
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended('hooktap migrate ' || current_schema(), 0))`); err != nil {
		return "", fmt.Errorf("migrate: %w", err)
	}
	if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_versions(component text PRIMARY KEY, version integer NOT NULL)`); err != nil {
		return "", fmt.Errorf("migrate: %w", err)
	}
	for _, c := range []struct {
		name  string
		steps []migration
	}{{componentCapture, captureSchema}, {componentOutbox, outboxSchema}, {componentRoutePins, routePinsSchema}} {
		if err := migrate(ctx, tx, c.name, c.steps); err != nil {
			return "", err
		}
	}
	return schema, tx.Commit(ctx)
}

func migrate(ctx context.Context, tx pgx.Tx, component string, steps []migration) error {
	var version int
	err := tx.QueryRow(ctx, `SELECT version FROM schema_versions WHERE component = $1`, component).Scan(&version)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("migrate %s: %w", component, err)
	}
	if version > len(steps) {
		return fmt.Errorf("%s schema is version %d, this hooktap knows %d: %w", component, version, len(steps), capture.ErrNewerSchema)
	}
	for i := version; i < len(steps); i++ {
		var err error
		if steps[i].run != nil {
			err = steps[i].run(ctx, tx)
		} else {
			_, err = tx.Exec(ctx, steps[i].sql)
		}
		if err != nil {
			return fmt.Errorf("migrate %s to version %d: %w", component, i+1, err)
		}
	}
	if version == len(steps) {
		return nil
	}
	_, err = tx.Exec(ctx, `INSERT INTO schema_versions(component, version) VALUES($1, $2)
		ON CONFLICT(component) DO UPDATE SET version = excluded.version`, component, len(steps))
	if err != nil {
		return fmt.Errorf("migrate %s: %w", component, err)
	}
	return nil
}
