package capture

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"unicode/utf8"
)

// insertSearchSQL indexes one capture's searched fields under its rowid. The store never runs
// VACUUM, which is what could renumber the implicit rowids the index is keyed on.
const insertSearchSQL = `INSERT INTO captures_fts(rowid, path, query, headers, body) VALUES(?, ?, ?, ?, ?)`

func insertSearchRow(ctx context.Context, stmt *sql.Stmt, rowid int64, fields [searchFieldCount]string) error {
	_, err := stmt.ExecContext(ctx, rowid, fields[0], fields[1], fields[2], fields[3])
	return err
}

// What one capture adds to the index is bounded, because one FTS5 insert cannot be interrupted:
// a 1 MiB body of random bytes held the writer for 2.75 s, and Close for 5 s. Trigrams of text
// cost about 0.15 ms per KiB; trigrams of binary bytes (nearly all distinct) twenty times that,
// 3.5 ms per KiB (BENCHMARKS.md). So the index holds the path, query and header lines up to
// indexedMetaMax together and the first indexedBodyMax of a text body; a body that is not UTF-8
// text (or holds NUL) is not indexed at all. A capture cut this way is listed in search_partial,
// and search matches those captures directly, as it does pending ones, so what the index lacks
// is still found.
const (
	indexedMetaMax = 16 << 10
	indexedBodyMax = 16 << 10
)

// indexedFields are the fields as the index holds them; whole is false when they are not all
// of the capture's text.
func indexedFields(path, query string, headers []Header, body []byte) (fields [searchFieldCount]string, whole bool) {
	whole = true
	budget := indexedMetaMax
	for i, f := range [...]string{searchable(path), searchable(query), headerText(headers)} {
		cut := cutText(f, budget)
		if len(cut) < len(f) {
			whole = false
		}
		fields[i] = cut
		budget -= len(cut)
	}
	if len(body) > 0 && (!utf8.Valid(body) || bytes.IndexByte(body, 0) >= 0) {
		return fields, false
	}
	if len(body) > indexedBodyMax {
		whole = false
	}
	fields[3] = cutText(string(body[:min(len(body), indexedBodyMax+utf8.UTFMax)]), indexedBodyMax)
	return fields, whole
}

// cutText is the longest prefix of the UTF-8 text s that holds at most n bytes and whole runes.
func cutText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// fillBatch bounds the rows one step of fillSearchIndex holds in memory.
const fillBatch = 256

// fillSearchIndex indexes the captures a store held before it had the index.
func fillSearchIndex(ctx context.Context, tx *sql.Tx) error {
	stmt, err := tx.PrepareContext(ctx, insertSearchSQL)
	if err != nil {
		return err
	}
	defer stmt.Close()
	var last int64 = -1 << 63
	for {
		n, next, err := fillSearchBatch(ctx, tx, stmt, last)
		if err != nil {
			return fmt.Errorf("index captures for search: %w", err)
		}
		if n < fillBatch {
			return nil
		}
		last = next
	}
}

type searchRow struct {
	rowid  int64
	fields [searchFieldCount]string
	whole  bool // fields hold all of the capture's searched text
}

func fillSearchBatch(ctx context.Context, tx *sql.Tx, stmt *sql.Stmt, after int64) (int, int64, error) {
	rows, err := tx.QueryContext(ctx, `SELECT rowid, path, query, headers, body FROM captures
		WHERE rowid > ? ORDER BY rowid LIMIT ?`, after, fillBatch)
	if err != nil {
		return 0, 0, err
	}
	batch, err := scanSearchRows(rows, false, nil)
	if err != nil {
		return 0, 0, err
	}
	for _, r := range batch {
		if err := insertSearchRow(ctx, stmt, r.rowid, r.fields); err != nil {
			return 0, 0, err
		}
	}
	if len(batch) == 0 {
		return 0, after, nil
	}
	return len(batch), batch[len(batch)-1].rowid, nil
}

// scanSearchRows reads (rowid, path, query, headers, body) rows into the fields the index holds,
// cut to indexedFields' bounds when bounded. Only the version 2 migration indexes whole
// captures: it runs before search_partial exists, and before bodies left the rows, so it
// passes no bodyFiles; otherwise each row also carries (body_seg, body_off, body_len, body_sum).
func scanSearchRows(rows *sql.Rows, bounded bool, bodies *bodyFiles) ([]searchRow, error) {
	defer rows.Close()
	var batch []searchRow
	for rows.Next() {
		var r searchRow
		var path, query string
		var headers, body []byte
		var ref storedRef
		var n sql.NullInt64
		dest := []any{&r.rowid, &path, &query, &headers, &body}
		if bodies != nil {
			dest = append(dest, &ref.seg, &ref.off, &n, &ref.sum)
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		if at, ok := ref.ref(int(n.Int64)); ok {
			var err error
			if body, err = bodies.read(at); err != nil {
				body = nil // a lost body is not indexed; its capture is still found by the rest
			}
		}
		hs, _ := decodeHeaders(headers) // a malformed blob is not searched, as in hooktap_search
		if bounded {
			r.fields, r.whole = indexedFields(path, query, hs, body)
		} else {
			r.fields, r.whole = searchFields(path, query, hs, body), true
		}
		batch = append(batch, r)
	}
	return batch, rows.Err()
}
