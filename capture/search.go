package capture

import (
	"bytes"
	"context"
	"database/sql/driver"
	"strings"
	"unicode/utf8"

	"modernc.org/sqlite"
)

// Free text is found in four fields of a capture, each searched on its own so a match never
// spans two of them: the path, the query string, the header lines ("Name: Value", one per
// line) and the body. Bytes that are not UTF-8 (a binary body) and NUL read as line breaks,
// which no query can hold, so text between them is still found but never across them. The
// search folds case (Unicode), so "É" finds "é".
//
// The SQL path and Match use searchFields and fieldsMatch, so what List finds and what the
// live list shows cannot drift apart. Queries of three characters or more are answered from
// the captures_fts trigram index; shorter ones walk the table through hooktap_search, the same
// Go function registered in SQLite.

// textPlan is how a query finds free text: from the index, or by walking the captures newest
// first through hooktap_search.
type textPlan int

const (
	planIndex textPlan = iota
	planWalk
)

// commonText is the number of index hits from which a page is found faster by walking: text
// in thousands of captures is in the first few hundred of the walk, while the index would have
// to evaluate the phrase in every one of them before the first page is known.
const commonText = 2000

func indexedIfLongEnough(q string) textPlan {
	if utf8.RuneCountInString(q) >= minIndexedQuery {
		return planIndex
	}
	return planWalk
}

// textPlan picks the plan for a page of List: the index unless the text is too short for it
// or common enough that the walk reaches a page sooner. The probe stops at commonText hits,
// so it costs little either way.
func (s *SQLite) textPlan(ctx context.Context, q string) textPlan {
	if q == "" || indexedIfLongEnough(q) == planWalk {
		return planWalk
	}
	var hits int
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM captures_fts WHERE captures_fts MATCH ? LIMIT ?)`,
		ftsPhrase(q), commonText).Scan(&hits)
	if err == nil && hits >= commonText {
		return planWalk
	}
	return planIndex
}

// searchFieldCount is the number of searched fields (and of captures_fts columns).
const searchFieldCount = 4

// minIndexedQuery is the shortest text the trigram index can answer.
const minIndexedQuery = 3

// searchFields are the texts free text is found in, in captures_fts column order.
func searchFields(path, query string, headers []Header, body []byte) [searchFieldCount]string {
	return [searchFieldCount]string{searchable(path), searchable(query), headerText(headers), bodyText(body)}
}

func headerText(hs []Header) string {
	var b strings.Builder
	for i, h := range hs {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(h.Name)
		b.WriteString(": ")
		b.WriteString(h.Value)
	}
	return searchable(b.String())
}

func bodyText(body []byte) string {
	if utf8.Valid(body) && bytes.IndexByte(body, 0) < 0 {
		return string(body)
	}
	return searchable(string(body))
}

// searchable turns invalid UTF-8 and NUL into line breaks.
func searchable(s string) string {
	if utf8.ValidString(s) && strings.IndexByte(s, 0) < 0 {
		return s
	}
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\n"), "\x00", "\n")
}

// fieldsMatch reports whether q is in one of the fields, ignoring case.
func fieldsMatch(fields [searchFieldCount]string, q string) bool {
	lq := strings.ToLower(q)
	for _, f := range fields {
		if hasFolded(f, lq) {
			return true
		}
	}
	return false
}

// hasFolded is strings.Contains(strings.ToLower(s), lq), without the copy when s is ASCII.
func hasFolded(s, lq string) bool {
	if len(s) < len(lq) && isASCII(lq) {
		return false
	}
	if !isASCII(s) {
		return strings.Contains(strings.ToLower(s), lq)
	}
	if !isASCII(lq) {
		return false // an ASCII text folds to ASCII only
	}
	n := len(lq)
	for i := 0; i+n <= len(s); i++ {
		if asciiEqualFold(s[i:i+n], lq) {
			return true
		}
	}
	return false
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// asciiEqualFold compares s with the lower-case lq.
func asciiEqualFold(s, lq string) bool {
	for i := 0; i < len(lq); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lq[i] {
			return false
		}
	}
	return true
}

func textMatches(path, query string, headers []Header, body []byte, q string) bool {
	return fieldsMatch(searchFields(path, query, headers, body), q)
}

// ftsPhrase quotes q as one FTS5 phrase: with the trigram tokenizer that is a substring search.
func ftsPhrase(q string) string { return `"` + strings.ReplaceAll(q, `"`, `""`) + `"` }

// searchCall is Match's text rule inside SQLite, with the body directory and the query as its
// two parameters: hooktap_search(path, query, headers, body, body_seg, body_off, body_len,
// body_sum, bodyDir, q). A body kept in a segment file (bodyfile.go) is read from there.
const searchCall = "hooktap_search(path, query, headers, body, body_seg, body_off, body_len, body_sum, ?, ?)"

func init() {
	sqlite.MustRegisterDeterministicScalarFunction("hooktap_search", 10, sqlSearch)
}

func sqlSearch(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
	hs, err := decodeHeaders(asBytes(args[2]))
	if err != nil {
		hs = nil // a malformed header blob is not searched; the rest of the row still is
	}
	body := asBytes(args[3])
	if seg, ok := args[4].(int64); ok {
		off, _ := args[5].(int64)
		n, _ := args[6].(int64)
		sum, _ := args[7].(int64)
		body, err = bodyReaders.read(segmentName(asString(args[8]), seg), bodyRef{seg: seg, off: off, n: n, sum: uint32(sum)})
		if err != nil {
			body = nil // a lost body is not searched, like a malformed header blob
		}
	}
	if textMatches(asString(args[0]), asString(args[1]), hs, body, asString(args[9])) {
		return int64(1), nil
	}
	return int64(0), nil
}

func asString(v driver.Value) string {
	switch v := v.(type) {
	case string:
		return v
	case []byte:
		return string(v)
	}
	return ""
}

func asBytes(v driver.Value) []byte {
	switch v := v.(type) {
	case []byte:
		return v
	case string:
		return []byte(v)
	}
	return nil
}
