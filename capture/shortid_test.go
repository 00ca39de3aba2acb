package capture

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

// TestShortIDLookups: a part of an id, its start or its end, finds its capture in any case;
// the start is a range of the id index and the end a pass over that index alone, never the
// table's rows; a store that has the end index of schema version 6 loses it on upgrade.
func TestShortIDLookups(t *testing.T) {
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
	// Back to schema version 6, with the end index, as a store written by an older hooktap.
	s = reopenAt(t, s, path, 6)
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

	var endIndex int
	if err := s.DB().QueryRow(`SELECT COUNT(*) FROM sqlite_schema WHERE name = 'captures_id_end'`).Scan(&endIndex); err != nil || endIndex != 0 {
		t.Errorf("the end index is still there after the upgrade (%d, %v)", endIndex, err)
	}
	// Neither half of the lookup reads the table's rows.
	rows, err := s.DB().Query(`EXPLAIN QUERY PLAN SELECT id FROM (SELECT id FROM captures WHERE id >= ?1 AND id < ?2 ORDER BY id LIMIT ?5)
		UNION SELECT id FROM (SELECT id FROM captures WHERE substr(id, -?3) = ?4 LIMIT ?5)`, "xyz123", "xyz123\U0010FFFF", 6, "xyz123", 11)
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
	for _, step := range plan {
		if strings.HasPrefix(step, "SCAN captures") && !strings.Contains(step, "COVERING INDEX") ||
			strings.HasPrefix(step, "SEARCH captures") && !strings.Contains(step, "INDEX") {
			t.Errorf("a lookup step reads the table: %s (plan %q)", step, plan)
		}
	}
}
