package capture

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hooktap/hooktap/internal/shortid"
)

// TestShortIDIsAnIndexRange: a part of an id, its start or its end, is looked up in a range of
// an index, never by a pass over the id index (0.5–1.8 s at 1 M captures); the index comes to a
// store written before it by the migration.
func TestShortIDIsAnIndexRange(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hooktap.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	ids := []string{"01aaaaaaaaaaaaaaaaaaxyz123", "01aaaaaaaaaaaaaaaaabqqz123", "01bbbbbbbbbbbbbbbbbbcd_e-f", "01cc"}
	for _, id := range ids {
		c := benchCapture()
		c.ID = id
		if err := s.Save(context.Background(), c); err != nil {
			t.Fatal(err)
		}
	}
	// Back to the schema before the end index, as a store written by an older hooktap.
	if _, err := s.DB().Exec(undoBodyFilesSQL + `DROP INDEX captures_id_end; UPDATE schema_versions SET version = 5 WHERE component = 'capture'`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()

	for in, want := range map[string]string{
		"XYZ123": ids[0], "#qz123": ids[1], "z123": "", "cd_e-f": ids[2], "D_E-F": ids[2], "01bb": ids[2],
		"01aaaaaaaaaaaaaaaaaaxyz12": ids[0], "aaaaaaaaaaaxyz123": ids[0], "01cc": ids[3], "cc": ids[3], "1cc": ids[3],
		ids[1]: ids[1], "01a": "", "nothing": "-", "aaaaaaaaaaaaaaaaaaaaaaxyz123": "-",
	} {
		c, err := s.Get(ctx, in)
		var amb *AmbiguousError
		switch want {
		case "":
			if !errors.As(err, &amb) || len(amb.Candidates) != 2 {
				t.Errorf("Get(%q) = %v, want two candidates", in, err)
			}
		case "-":
			if !errors.Is(err, ErrNotFound) {
				t.Errorf("Get(%q) = %v, want not found", in, err)
			}
		default:
			if err != nil || c.ID != want {
				t.Errorf("Get(%q) = %v, %v; want %s", in, c, err, want)
			}
		}
	}

	// Both halves of the lookup are index ranges.
	for _, in := range []string{"xyz123", "aaaaaaaaaaxyz123"} {
		end := []byte(in)
		for i, j := 0, len(end)-1; i < j; i, j = i+1, j-1 {
			end[i], end[j] = end[j], end[i]
		}
		var cond string
		args := []any{in, in + "\U0010FFFF"}
		if len(in) > shortid.EndLen {
			cond = shortid.EndExpr("id") + ` = ? AND substr(id, -?) = ?`
			args = append(args, string(end[:shortid.EndLen]), len(in), in)
		} else {
			cond = shortid.EndExpr("id") + ` >= ? AND ` + shortid.EndExpr("id") + ` < ?`
			args = append(args, string(end), string(end)+"\U0010FFFF")
		}
		rows, err := s.DB().Query(`EXPLAIN QUERY PLAN SELECT id FROM (SELECT id FROM captures WHERE id >= ? AND id < ? LIMIT 11)
			UNION SELECT id FROM (SELECT id FROM captures WHERE `+cond+` LIMIT 11)`, args...)
		if err != nil {
			t.Fatal(err)
		}
		var plan []string
		for rows.Next() {
			var a, b, c int
			var d string
			if err := rows.Scan(&a, &b, &c, &d); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, d)
		}
		rows.Close()
		p := strings.Join(plan, "; ")
		if strings.Contains(p, "SCAN captures") || !strings.Contains(p, "captures_id_end") {
			t.Errorf("plan for %q: %s", in, p)
		}
	}
}
