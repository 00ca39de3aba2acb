package pgstore

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/hooktap/hooktap/capture"
)

// Free text follows capture.Filter.Match exactly: q is found, ignoring case as Go's
// strings.ToLower folds it, in the path, the query string, the header lines or the body, each
// made valid UTF-8 without NUL by capture.SearchFields. Folding happens in Go, where the rule
// lives, not in PostgreSQL's lower() (whose folding depends on the database's locale): each
// capture's fields are kept folded, and a query is a plain LIKE on them, which pg_trgm's index
// answers when the extension is there.
//
// Updating a trigram index costs several times the rest of a Save for a typical body, so the
// text is written with the capture into search_pending, and the indexer moves it to
// capture_search, which the index covers, in batches behind the writer. A query reads both, so
// a capture is found the moment it is committed.
//
// Fields are joined by a line break: a match spanning two fields would have to hold it, and the
// filter language refuses control characters in free text.

// searchText is the folded text c is searched by.
func searchText(c *capture.Capture) string {
	fields := capture.SearchFields(c.Path, c.Query, c.Headers, c.Body)
	return strings.ToLower(strings.Join(fields[:], "\n"))
}

// likePattern finds q anywhere, its LIKE wildcards taken literally.
func likePattern(q string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(strings.ToLower(q)) + "%"
}

// indexBatch bounds the captures one indexing statement moves.
const indexBatch = 500

// indexEvery is how often the indexer looks for pending text. Under load each look finds
// many captures, which it indexes together.
const indexEvery = 200 * time.Millisecond

// indexLoop indexes pending text until the store closes. Every instance runs one; SKIP LOCKED
// gives each a different batch.
func (s *Store) indexLoop() {
	defer close(s.indexExit)
	ticker := time.NewTicker(indexEvery)
	defer ticker.Stop()
	for {
		select {
		case <-s.closing:
			return
		case <-ticker.C:
		}
		if err := s.IndexPending(context.Background()); err != nil && !s.isClosing() {
			slog.Warn("capture search indexing failed", "store", s.location, "err", err)
		}
	}
}

// IndexPending moves every pending capture's text into the indexed table.
func (s *Store) IndexPending(ctx context.Context) error {
	for {
		ct, err := s.pool.Exec(ctx, `WITH moved AS (
				DELETE FROM search_pending WHERE id IN (
					SELECT id FROM search_pending ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
				RETURNING id, search)
			INSERT INTO capture_search(id, search) SELECT id, search FROM moved ON CONFLICT (id) DO NOTHING`, indexBatch)
		if err != nil {
			return fmt.Errorf("index capture text: %w", err)
		}
		if ct.RowsAffected() < indexBatch || s.isClosing() {
			return nil
		}
	}
}
