package pgstore

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

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

// searchText is the folded text c is searched by: the fields lower-cased as strings.ToLower
// does, joined by line breaks.
func searchText(c *capture.Capture) string {
	fields := capture.SearchFields(c.Path, c.Query, c.Headers, c.Body)
	size := len(fields) - 1
	for _, f := range fields {
		size += len(f)
	}
	b := make([]byte, 0, size)
	for i, f := range fields {
		if i > 0 {
			b = append(b, '\n')
		}
		b = appendLower(b, f)
	}
	return string(b)
}

// appendLower appends strings.ToLower(s) to b in one pass: a JSON body with a single accented
// letter sent strings.ToLower down its rune-by-rune path for the whole body, a tenth of the
// gateway's CPU per capture. s is valid UTF-8 (capture.SearchFields guarantees it).
func appendLower(b []byte, s string) []byte {
	for i := 0; i < len(s); {
		// Copy the run that needs no change (most of a JSON body) in one go.
		j := i
		for j < len(s) && s[j] < utf8.RuneSelf && (s[j] < 'A' || s[j] > 'Z') {
			j++
		}
		b = append(b, s[i:j]...)
		if i = j; i == len(s) {
			break
		}
		if c := s[i]; c < utf8.RuneSelf {
			b = append(b, c+'a'-'A')
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		b = utf8.AppendRune(b, unicode.ToLower(r))
		i += n
	}
	return b
}

// likePattern finds q anywhere, its LIKE wildcards taken literally.
func likePattern(q string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(strings.ToLower(q)) + "%"
}

// indexBatch bounds the captures one indexing statement moves: at about a millisecond of
// trigram work per capture, a batch holds the CPU for a tenth of a second.
const indexBatch = 100

// indexBacklog is the pending text the indexer lets build up while captures are arriving;
// past it, it indexes during load too, so a search's direct walk stays short.
const indexBacklog = 5000

// indexEvery is how often the indexer looks for pending text.
const indexEvery = 200 * time.Millisecond

// indexLoop indexes pending text until the store closes: when this instance's writer was idle
// for a tick, or once the backlog passes indexBacklog. Updating the trigram index costs more
// CPU than the rest of a Save, so under load it waits, rather than slow ingestion. Every
// instance runs one; SKIP LOCKED gives each a different batch.
func (s *Store) indexLoop() {
	defer close(s.indexExit)
	ticker := time.NewTicker(indexEvery)
	defer ticker.Stop()
	last := s.stats.commits.Load()
	for {
		select {
		case <-s.closing:
			return
		case <-ticker.C:
		}
		now := s.stats.commits.Load()
		idle := now == last
		last = now
		if err := s.indexQuietly(context.Background(), idle); err != nil && !s.isClosing() {
			slog.Warn("capture search indexing failed", "store", s.location, "err", err)
		}
	}
}

// indexQuietly indexes batch after batch while the writer stays idle or the backlog is large.
func (s *Store) indexQuietly(ctx context.Context, idle bool) error {
	for !s.isClosing() {
		before := s.stats.commits.Load()
		if !idle {
			var backlog int
			if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM (SELECT 1 FROM search_pending LIMIT $1) AS p`,
				indexBacklog).Scan(&backlog); err != nil {
				return fmt.Errorf("index capture text: %w", err)
			}
			if backlog < indexBacklog {
				return nil
			}
		}
		n, err := s.indexBatch(ctx)
		if err != nil || n < indexBatch {
			return err
		}
		idle = idle && s.stats.commits.Load() == before
	}
	return nil
}

// IndexPending moves every pending capture's text into the indexed table now.
func (s *Store) IndexPending(ctx context.Context) error {
	for {
		n, err := s.indexBatch(ctx)
		if err != nil || n < indexBatch {
			return err
		}
	}
}

func (s *Store) indexBatch(ctx context.Context) (int64, error) {
	ct, err := s.pool.Exec(ctx, `WITH moved AS (
			DELETE FROM search_pending WHERE id IN (
				SELECT id FROM search_pending ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
			RETURNING id, search)
		INSERT INTO capture_search(id, search) SELECT id, search FROM moved ON CONFLICT (id) DO NOTHING`, indexBatch)
	if err != nil {
		return 0, fmt.Errorf("index capture text: %w", err)
	}
	return ct.RowsAffected(), nil
}
