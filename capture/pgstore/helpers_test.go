package pgstore

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/signature"
)

// testURL returns the URL of a fresh schema on the test server (HOOKTAP_TEST_POSTGRES), dropped
// when t ends; the test is skipped when no server is configured.
func testURL(t testing.TB) string {
	t.Helper()
	base := os.Getenv("HOOKTAP_TEST_POSTGRES")
	if base == "" {
		t.Skip("HOOKTAP_TEST_POSTGRES is not set: no PostgreSQL to test against")
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "hooktap_test_" + hex.EncodeToString(b)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatalf("connect to HOOKTAP_TEST_POSTGRES: %v", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `CREATE SCHEMA `+pgx.Identifier{schema}.Sanitize()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		conn, err := pgx.Connect(ctx, base)
		if err != nil {
			t.Errorf("drop test schema: %v", err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, `DROP SCHEMA `+pgx.Identifier{schema}.Sanitize()+` CASCADE`); err != nil {
			t.Errorf("drop test schema: %v", err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	q.Set("application_name", schema) // lets a test find its own connections
	u.RawQuery = q.Encode()
	return u.String()
}

// openTest opens a store on a fresh schema, closed when t ends.
func openTest(t testing.TB, opts ...capture.Option) (*Store, string) {
	t.Helper()
	u := testURL(t)
	return openURL(t, u, opts...), u
}

func openURL(t testing.TB, u string, opts ...capture.Option) *Store {
	t.Helper()
	s, err := Open(context.Background(), u, opts...)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// fullCapture sets every field, with bytes PostgreSQL's text would refuse: NUL and invalid
// UTF-8 in the path, a header, the body and an error text.
func fullCapture() *capture.Capture {
	return &capture.Capture{
		ReceivedAt: time.Date(2026, 11, 22, 10, 31, 7, 123456789, time.UTC),
		Source:     capture.SourceTunnel, Peer: "203.0.113.9:51234", Method: "POST",
		Path: "/webhooks/github-pr/\xff\x00x", Query: "a=1&a=2&b", Route: "github-pr", Event: "pull_request\x00",
		DeliveryID: "72d3162e-cc78-11e3-81ab-4c9367dc0958",
		Headers: []capture.Header{
			{Name: "Host", Value: "a1b2.ngrok.app"}, {Name: "X-Dup", Value: "one"},
			{Name: "Content-Type", Value: "application/octet-stream"}, {Name: "X-Dup", Value: "two"},
			{Name: "X-Odd", Value: "caf\xe9\xff"}, {Name: "X-Empty", Value: ""}, {Name: "x-dup", Value: "three"},
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
		ResponseHeaders: []capture.Header{{Name: "Content-Length", Value: "25"}, {Name: "Content-Type", Value: "application/json"}},
		Latency:         1234567 * time.Nanosecond,
		Deliveries: []capture.Delivery{{Target: "forward", Status: 202, Duration: 3 * time.Millisecond, Attempt: 1},
			{Target: "slack", Error: "timeout \x00\xfe", Duration: time.Second, Attempt: 2}},
		ReplayOf: "01jd0000000000000000000000",
		Rendered: "PR #42 opened",
	}
}
