package capture

import (
	"context"
	"database/sql"
	"fmt"
)

// insertSearchSQL indexes one capture's searched fields under its rowid. The store never runs
// VACUUM, which is what could renumber the implicit rowids the index is keyed on.
const insertSearchSQL = `INSERT INTO captures_fts(rowid, path, query, headers, body) VALUES(?, ?, ?, ?, ?)`

func insertSearchRow(ctx context.Context, stmt *sql.Stmt, rowid int64, fields [searchFieldCount]string) error {
	_, err := stmt.ExecContext(ctx, rowid, fields[0], fields[1], fields[2], fields[3])
	return err
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
}

func fillSearchBatch(ctx context.Context, tx *sql.Tx, stmt *sql.Stmt, after int64) (int, int64, error) {
	rows, err := tx.QueryContext(ctx, `SELECT rowid, path, query, headers, body FROM captures
		WHERE rowid > ? ORDER BY rowid LIMIT ?`, after, fillBatch)
	if err != nil {
		return 0, 0, err
	}
	batch, err := scanSearchRows(rows)
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

// scanSearchRows reads (rowid, path, query, headers, body) rows into the fields the index holds.
func scanSearchRows(rows *sql.Rows) ([]searchRow, error) {
	defer rows.Close()
	var batch []searchRow
	for rows.Next() {
		var r searchRow
		var path, query string
		var headers, body []byte
		if err := rows.Scan(&r.rowid, &path, &query, &headers, &body); err != nil {
			return nil, err
		}
		hs, _ := decodeHeaders(headers) // a malformed blob is not searched, as in hooktap_search
		r.fields = searchFields(path, query, hs, body)
		batch = append(batch, r)
	}
	return batch, rows.Err()
}
