// Package shortid is the one id form people see and type. Every surface shows an id by its last
// DisplayLen characters (the random end of a ULID, so captures of the same millisecond differ);
// every command and API that takes an id accepts the full id, a prefix of it, or its end, in
// any case, with a leading '#' allowed, and names the candidates when the input fits several.
package shortid

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// DisplayLen is how many characters of an id the TUI, the CLI tables and messages show.
const DisplayLen = 6

// maxCandidates bounds the ids an AmbiguousError lists.
const maxCandidates = 10

// ErrNotFound means no id fits the input.
var ErrNotFound = errors.New("no such id")

// AmbiguousError is an input that fits several ids; Candidates lists up to ten of them.
type AmbiguousError struct {
	// Prefix is the input as typed (a prefix or the end of an id).
	Prefix     string
	Candidates []string
}

// Error lists the candidates and says how to pick one.
func (e *AmbiguousError) Error() string {
	return fmt.Sprintf("id %q fits %d or more ids: %s — type more of its start or end, or the whole id",
		e.Prefix, len(e.Candidates), strings.Join(e.Candidates, ", "))
}

// Display is the short form of id shown on every surface.
func Display(id string) string {
	id = strings.ToLower(id)
	if len(id) <= DisplayLen {
		return id
	}
	return id[len(id)-DisplayLen:]
}

// Normalize trims the input, drops a leading '#', and lower-cases it; ok is false when what is
// left cannot be part of an id (letters, digits, '_' and '-' only).
func Normalize(input string) (string, bool) {
	s := strings.ToLower(strings.TrimPrefix(strings.TrimSpace(input), "#"))
	if s == "" || len(s) > 64 {
		return s, false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return s, false
		}
	}
	return s, true
}

// Resolve returns the one id in table.column that is input, starts with it or ends with it,
// ignoring case. Column values are compared lower-cased; the prefix walk uses the column's
// index when the stored ids are lower-case, and the end is found by one pass over that index.
// ResolveOrdered is the form for a large table.
func Resolve(ctx context.Context, db *sql.DB, table, column, input string) (string, error) {
	s, ok := Normalize(input)
	if !ok {
		return "", fmt.Errorf("%q: %w", input, ErrNotFound)
	}
	// The input holds no LIKE wildcard ('_' is escaped); LIKE folds ASCII case.
	like := strings.ReplaceAll(s, "_", `\_`)
	q := fmt.Sprintf(`SELECT %[1]s FROM %[2]s WHERE %[1]s LIKE ? ESCAPE '\' OR %[1]s LIKE ? ESCAPE '\'
		ORDER BY %[1]s LIMIT ?`, column, table)
	return collect(ctx, db, input, s, q, like+"%", "%"+like, maxCandidates+1)
}

// ResolveOrdered is Resolve for a large table whose ids are stored lower-case with an index on
// column: the start of an id is a range of that index, its end one pass over the index alone
// (never the table's rows), about 10 ms per 100 000 ids. An index on the ids' ends would make
// the end a range too, but its entries land at random places, and every insert and delete then
// wrote one more page: 10–13 µs of each capture's Save and half its WAL traffic, on the path
// every request takes, for a lookup people type.
func ResolveOrdered(ctx context.Context, db *sql.DB, table, column, input string) (string, error) {
	s, ok := Normalize(input)
	if !ok {
		return "", fmt.Errorf("%q: %w", input, ErrNotFound)
	}
	q := fmt.Sprintf(`SELECT %[1]s FROM (SELECT %[1]s FROM %[2]s WHERE %[1]s >= ?1 AND %[1]s < ?2 ORDER BY %[1]s LIMIT ?5)
		UNION SELECT %[1]s FROM (SELECT %[1]s FROM %[2]s WHERE substr(%[1]s, -?3) = ?4 LIMIT ?5)
		ORDER BY 1 LIMIT ?5`, column, table)
	return collect(ctx, db, input, s, q, s, s+top, len(s), s, maxCandidates+1)
}

// top is above every character an id holds, so [p, p+top) is every text that starts with p.
const top = "\U0010FFFF"

// collect runs q and turns the ids it returns into one id, ErrNotFound or an AmbiguousError.
func collect(ctx context.Context, db *sql.DB, input, s, q string, args ...any) (string, error) {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return "", fmt.Errorf("look up id %q: %w", input, err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return "", fmt.Errorf("look up id %q: %w", input, err)
		}
		if strings.EqualFold(id, s) {
			return id, nil // the whole id wins over ids it is a prefix of
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return "", fmt.Errorf("look up id %q: %w", input, err)
	}
	switch len(ids) {
	case 0:
		return "", fmt.Errorf("%q: %w", input, ErrNotFound)
	case 1:
		return ids[0], nil
	}
	return "", &AmbiguousError{Prefix: input, Candidates: ids[:min(len(ids), maxCandidates)]}
}
