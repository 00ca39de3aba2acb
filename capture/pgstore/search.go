package pgstore

import (
	"strings"

	"github.com/hooktap/hooktap/capture"
)

// Free text follows capture.Filter.Match exactly: q is found, ignoring case as Go's
// strings.ToLower folds it, in the path, the query string, the header lines or the body, each
// made valid UTF-8 without NUL by capture.SearchFields. Folding happens in Go, where the rule
// lives, not in PostgreSQL's lower() (whose folding depends on the database's locale): each
// capture keeps its fields folded in the search column, and a query is a plain LIKE on it,
// which pg_trgm's index answers when the extension is there.
//
// Fields are joined by a line break: a match spanning two fields would have to hold it, and the
// filter language refuses control characters in free text.

// searchText is what the search column holds for c.
func searchText(c *capture.Capture) string {
	fields := capture.SearchFields(c.Path, c.Query, c.Headers, c.Body)
	return strings.ToLower(strings.Join(fields[:], "\n"))
}

// likePattern finds q anywhere, its LIKE wildcards taken literally.
func likePattern(q string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(strings.ToLower(q)) + "%"
}
