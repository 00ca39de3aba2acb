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
// ResolveIndexed is the form for a large table.
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

// EndLen is how many of an id's last characters EndExpr holds. An index built on EndExpr is
// part of a store's schema: this never changes.
const EndLen = 8

// EndExpr is an SQL expression for the last EndLen characters of column, reversed, so that ids
// ending with some text are a range of an index on it. SQLite has no reverse(); built from
// substr, the expression is one any SQLite client can evaluate when it writes the table.
func EndExpr(column string) string {
	parts := make([]string, EndLen)
	for i := range parts {
		parts[i] = fmt.Sprintf("substr(%s, -%d, 1)", column, i+1)
	}
	return "(" + strings.Join(parts, " || ") + ")"
}

// top is above every character an id holds, so [p, p+top) is every text that starts with p.
const top = "\U0010FFFF"

// ResolveIndexed is Resolve for a table whose ids are stored lower-case, with an index on column
// and one on EndExpr(column): the start and the end are each a range of an index, so a lookup
// reads a few entries however many ids there are (a pass over the id index took 0.5–1.8 s at
// 1 M captures).
func ResolveIndexed(ctx context.Context, db *sql.DB, table, column, input string) (string, error) {
	s, ok := Normalize(input)
	if !ok {
		return "", fmt.Errorf("%q: %w", input, ErrNotFound)
	}
	end := reverse(s)
	endCond := fmt.Sprintf("%s >= ?3 AND %s < ?4", EndExpr(column), EndExpr(column))
	endLo, endHi := any(end), any(end+top)
	if len(end) > EndLen {
		// The index holds EndLen characters: probe them, then compare the whole end.
		endCond = fmt.Sprintf("%s = ?3 AND substr(%s, -?4) = ?5", EndExpr(column), column)
		endLo, endHi = end[:EndLen], len(s)
	}
	q := fmt.Sprintf(`SELECT %[1]s FROM (SELECT %[1]s FROM %[2]s WHERE %[1]s >= ?1 AND %[1]s < ?2 ORDER BY %[1]s LIMIT ?6)
		UNION SELECT %[1]s FROM (SELECT %[1]s FROM %[2]s WHERE %[3]s LIMIT ?6)
		ORDER BY 1 LIMIT ?6`, column, table, endCond)
	return collect(ctx, db, input, s, q, s, s+top, endLo, endHi, s, maxCandidates+1)
}

func reverse(s string) string {
	b := []byte(s) // Normalize leaves ASCII only
	for i, j := 0, len(b)-1; i < j; i, j = i+1, j-1 {
		b[i], b[j] = b[j], b[i]
	}
	return string(b)
}

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
