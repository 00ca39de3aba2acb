package capture

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hooktap/hooktap/signature"
)

// testClock is a settable clock so tests need no sleeps.
type testClock struct{ t time.Time }

func (c *testClock) now() time.Time { return c.t }

func openTest(t testing.TB, opts ...Option) *SQLite {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "sub", "hooktap.db"), opts...)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// fullCapture sets every field, with a binary body and invalid UTF-8 in a header.
func fullCapture() *Capture {
	return &Capture{
		ReceivedAt: time.Date(2026, 11, 22, 10, 31, 7, 123456789, time.UTC),
		Source:     SourceTunnel, Peer: "203.0.113.9:51234", Method: "POST",
		Path: "/webhooks/github-pr", Query: "a=1&a=2&b", Route: "github-pr", Event: "pull_request",
		DeliveryID: "72d3162e-cc78-11e3-81ab-4c9367dc0958",
		Headers: []Header{
			{"Host", "a1b2.ngrok.app"}, {"X-Dup", "one"}, {"Content-Type", "application/octet-stream"},
			{"X-Dup", "two"}, {"X-Odd", "caf\xe9\xff"}, {"X-Empty", ""}, {"x-dup", "three"},
		},
		ContentType: "application/octet-stream",
		Body:        []byte{0, 1, 2, 0xff, 0xfe, 'a', 0, '\n', 0x80, 0xc3, 0x28},
		Truncated:   true,
		Verification: signature.Outcome{
			Scheme: "github", Result: signature.Failed, Reason: signature.ReasonMismatch,
			Detail: "sha256 differs", MatchedSecret: "github-pr#2", Expected: "sha256=5f0e", Received: "sha256=91ab",
			Diagnosis: []signature.Finding{{Code: "reserialised", Message: "pretty-printed JSON"}},
		},
		Status: 401, ResponseBody: []byte(`{"error":"bad signature"}`),
		ResponseHeaders: []Header{{"Content-Length", "25"}, {"Content-Type", "application/json"}}, Latency: 1234567 * time.Nanosecond,
		Deliveries: []Delivery{{Target: "forward", Status: 202, Duration: 3 * time.Millisecond, Attempt: 1},
			{Target: "slack", Error: "timeout", Duration: time.Second, Attempt: 2}},
		ReplayOf: "01jd0000000000000000000000",
		Rendered: "PR #42 opened",
	}
}

// seed saves n simple captures one second apart, oldest first, and returns their ids.
func seed(t testing.TB, s *SQLite, n int, start time.Time, mod func(i int, c *Capture)) []string {
	t.Helper()
	ids := make([]string, n)
	for i := range n {
		c := &Capture{ReceivedAt: start.Add(time.Duration(i) * time.Second), Method: "POST",
			Path: fmt.Sprintf("/hook/%d", i), Route: "r", Source: SourceLocal, Body: []byte(`{"n":1}`)}
		if mod != nil {
			mod(i, c)
		}
		if err := s.Save(context.Background(), c); err != nil {
			t.Fatalf("Save %d: %v", i, err)
		}
		ids[i] = c.ID
	}
	return ids
}

// analyzedStore is a store of 50 captures with statistics, so plans hold as they would on a
// store that SQLite has analysed.
func analyzedStore(t *testing.T) *SQLite {
	t.Helper()
	s := openTest(t)
	seed(t, s, 50, fullCapture().ReceivedAt, nil)
	if _, err := s.DB().Exec(`ANALYZE`); err != nil {
		t.Fatal(err)
	}
	return s
}

// queryPlan returns the details of EXPLAIN QUERY PLAN for q, joined with "; ".
func queryPlan(t *testing.T, s *SQLite, q string, args ...any) string {
	t.Helper()
	rows, err := s.DB().Query(`EXPLAIN QUERY PLAN `+q, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return strings.Join(plan, "; ")
}

// downgradeSQL takes a store's capture schema back to version, as a store written by an older
// hooktap, for tests that migrate it again. Bodies already in segment files read as empty.
func downgradeSQL(version int) string {
	undo := map[int]string{
		9: `DROP TRIGGER captures_search_forget; DROP TABLE search_deleted;
			CREATE TRIGGER captures_fts_delete AFTER DELETE ON captures BEGIN
				DELETE FROM captures_fts WHERE rowid = old.rowid;
			END;
			CREATE TRIGGER captures_search_pending_delete AFTER DELETE ON captures BEGIN
				DELETE FROM search_pending WHERE capture_rowid = old.rowid;
			END;
			CREATE TRIGGER captures_search_partial_delete AFTER DELETE ON captures BEGIN
				DELETE FROM search_partial WHERE capture_rowid = old.rowid;
			END;`,
		8: `CREATE INDEX captures_id_end ON captures` + idEndExpr + `;`,
		7: `DROP INDEX captures_body_seg; ALTER TABLE captures DROP COLUMN body_seg;
			ALTER TABLE captures DROP COLUMN body_off; ALTER TABLE captures DROP COLUMN body_len;
			ALTER TABLE captures DROP COLUMN body_sum;`,
		6: `DROP INDEX captures_id_end;`,
		5: `DROP TRIGGER captures_search_partial_delete; DROP TABLE search_partial;`,
		4: `DROP TRIGGER captures_search_pending; DROP TRIGGER captures_search_pending_delete; DROP TABLE search_pending;`,
	}
	var b strings.Builder
	for v := len(captureSchema); v > version; v-- {
		b.WriteString(undo[v])
	}
	fmt.Fprintf(&b, "UPDATE schema_versions SET version = %d WHERE component = 'capture';", version)
	return b.String()
}

// reopenAt takes the store at path back to capture schema version (downgradeSQL), closes s and
// opens the file again, so the migrations after version run as for a store an older hooktap
// wrote.
func reopenAt(t *testing.T, s *SQLite, path string, version int) *SQLite {
	t.Helper()
	if _, err := s.DB().Exec(downgradeSQL(version)); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// requireNewestSchema fails unless the store's capture schema is the newest this code knows.
func requireNewestSchema(t *testing.T, s *SQLite) {
	t.Helper()
	var v int
	if err := s.DB().QueryRow(`SELECT version FROM schema_versions WHERE component = 'capture'`).Scan(&v); err != nil || v != len(captureSchema) {
		t.Fatalf("capture schema version %d, %v; want %d", v, err, len(captureSchema))
	}
}
