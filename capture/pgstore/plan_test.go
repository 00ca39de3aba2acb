package pgstore

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hooktap/hooktap/capture"
)

// Lookups and newest-first pages walk an index: no scan of the table, no sort, so they cost the
// same at a thousand captures or a million.
func TestQueryPlansUseIndexes(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	if _, err := s.pool.Exec(ctx, `INSERT INTO captures(id, received_at, route, method, status)
		SELECT '01j' || lpad(to_hex(g), 23, '0'), g, 'route-' || (g % 5), 'POST', (ARRAY[200, 202, 401])[g % 3 + 1]
		FROM generate_series(1, 20000) AS g`); err != nil {
		t.Fatal(err)
	}
	if _, err := s.pool.Exec(ctx, `INSERT INTO capture_search(id, search)
		SELECT id, 'text ' || received_at || CASE WHEN received_at % 5000 = 7 THEN ' needle' ELSE '' END FROM captures`); err != nil {
		t.Fatal(err)
	}
	if _, err := s.pool.Exec(ctx, `ANALYZE`); err != nil {
		t.Fatal(err)
	}
	explain := func(q string, args ...any) string {
		t.Helper()
		rows, err := s.pool.Query(ctx, `EXPLAIN `+q, args...)
		if err != nil {
			t.Fatal(err)
		}
		var lines []string
		for rows.Next() {
			var l string
			if err := rows.Scan(&l); err != nil {
				t.Fatal(err)
			}
			lines = append(lines, strings.TrimSpace(l))
		}
		return strings.Join(lines, "; ")
	}
	p, rev := "01j00000000000000000004e2", reverse("4e21")
	plans := map[string]string{
		"resolve": explain(`SELECT id FROM captures WHERE id >= $1 AND id < $2 ORDER BY id LIMIT 11`, p, upper(p)),
		"resolve end": explain(`SELECT id FROM captures WHERE reverse(id) >= $1 AND reverse(id) < $2 ORDER BY reverse(id) LIMIT 11`,
			rev, upper(rev)),
	}
	for name, f := range map[string]capture.Filter{
		"newest": {}, "before": {Before: "01j0000000000000000000ff"}, "route": {Route: "route-2", Before: "01j00000000000000000002"},
		"since": {Since: time.Now()}, "status": {Status: 202}, "oldest": {Oldest: true},
	} {
		where, args := whereSQL(f)
		order := " ORDER BY id DESC"
		if f.Oldest {
			order = " ORDER BY id"
		}
		plans["list "+name] = explain(`SELECT id FROM captures`+where+order+` LIMIT 51`, args...)
	}
	where, args := whereSQL(capture.Filter{Q: "needle"})
	if plan := explain(`SELECT id FROM captures`+where+` ORDER BY id DESC LIMIT 51`, args...); !strings.Contains(plan, "capture_search_trgm") {
		t.Errorf("rare text is not found through the trigram index: %s", plan)
	}
	for name, plan := range plans {
		t.Logf("%s: %s", name, plan)
		if strings.Contains(plan, "Seq Scan") || strings.Contains(plan, "Sort") {
			t.Errorf("%s scans the table or sorts: %s", name, plan)
		}
	}
}
