// Package pgtest gives tests a PostgreSQL schema of their own on the server named by
// HOOKTAP_TEST_POSTGRES, so parallel packages never see each other's tables.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"
)

// Env names the variable holding the test server's URL.
const Env = "HOOKTAP_TEST_POSTGRES"

// URL returns the test server's URL with a fresh schema as its search_path, dropped when t
// ends; t is skipped when no server is configured.
func URL(t testing.TB) string {
	t.Helper()
	base := os.Getenv(Env)
	if base == "" {
		t.Skip(Env + " is not set: no PostgreSQL to test against")
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "hooktap_test_" + hex.EncodeToString(b)
	schema := pgx.Identifier{name}.Sanitize()
	exec(t, base, `CREATE SCHEMA `+schema)
	t.Cleanup(func() { exec(t, base, `DROP SCHEMA `+schema+` CASCADE`) })
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("%s: %v", Env, err)
	}
	q := u.Query()
	q.Set("search_path", name)
	u.RawQuery = q.Encode()
	return u.String()
}

// WithPassword returns raw with its password set; a trust-authenticated test server ignores
// it, so tests can check that no surface ever shows it.
func WithPassword(t testing.TB, raw, password string) string {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.UserPassword(u.User.Username(), password)
	return u.String()
}

func exec(t testing.TB, base, sql string) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatalf("connect to %s: %v", Env, err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, sql); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}
