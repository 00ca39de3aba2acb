package app

import (
	"context"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/internal/pgtest"
)

// On SQLite, notify keeps its tables in the capture store itself: one file, as always.
func TestSQLiteStoreIsNotifyStore(t *testing.T) {
	r := startApp(t, "    gh:\n      verify: github\n")
	if capture.Store(r.app.local) != r.app.Store {
		t.Fatalf("notify's store %v is not the capture store %v", r.app.local.Location(), r.app.Store.Location())
	}
	if want := filepath.Join(r.app.Config.DataDir, "hooktap.db"); r.app.Store.Location() != want {
		t.Errorf("store at %s, want %s", r.app.Store.Location(), want)
	}
}

// With a PostgreSQL store, captures go to PostgreSQL and notify keeps working from the data
// dir's SQLite file, which holds no capture.
func TestPostgresStoreNotifyStaysLocal(t *testing.T) {
	pg := pgtest.WithPassword(t, pgtest.URL(t), "app-s3cret")
	r := startAppOn(t, "    gh:\n      verify: github\n", pg)
	if _, ok := r.app.Store.(*capture.SQLite); ok {
		t.Fatal("a postgres:// store opened SQLite")
	}
	if loc := r.app.Store.Location(); strings.Contains(loc, "app-s3cret") {
		t.Errorf("Location %q shows the password", loc)
	}
	if want := filepath.Join(r.app.Config.DataDir, "hooktap.db"); r.app.local.Location() != want {
		t.Errorf("notify's file %s, want %s", r.app.local.Location(), want)
	}
	if status, answer := r.post("gh", "push", `{"ref":"main"}`, ""); status != http.StatusAccepted {
		t.Fatalf("answer %d %s", status, answer)
	}
	status, _ := r.post("gh", "push", `{"ref":"main"}`, "sha256="+strings.Repeat("0", 64))
	if status != http.StatusUnauthorized {
		t.Fatalf("bad signature answered %d", status)
	}
	r.waitEvent("signature_failed", map[string]any{"route": "gh"})
	ctx := context.Background()
	if n, err := r.app.Store.Count(ctx, capture.Filter{Route: "gh"}); err != nil || n != 2 {
		t.Errorf("PostgreSQL holds %d captures of gh, %v; want 2", n, err)
	}
	if n, err := r.app.local.Count(ctx, capture.Filter{}); err != nil || n != 0 {
		t.Errorf("the local file holds %d captures, %v; want none", n, err)
	}
}
