package storage

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/internal/pgtest"
)

func TestOpenSQLite(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct{ url, path string }{
		{filepath.Join(dir, "plain", "a.db"), filepath.Join(dir, "plain", "a.db")},
		{"sqlite:" + filepath.Join(dir, "scheme", "b.db"), filepath.Join(dir, "scheme", "b.db")},
	} {
		st, err := Open(context.Background(), tc.url)
		if err != nil {
			t.Fatalf("Open(%q): %v", tc.url, err)
		}
		if _, ok := st.(*capture.SQLite); !ok || st.Location() != tc.path {
			t.Errorf("Open(%q) = %T at %q, want SQLite at %q", tc.url, st, st.Location(), tc.path)
		}
		c := &capture.Capture{Method: "POST", Path: "/x", Body: []byte("hi")}
		if err := st.Save(context.Background(), c); err != nil {
			t.Fatal(err)
		}
		st.Close()
		again, err := OpenExisting(context.Background(), tc.url)
		if err != nil {
			t.Fatalf("OpenExisting(%q): %v", tc.url, err)
		}
		if got, err := again.Get(context.Background(), c.ID); err != nil || string(got.Body) != "hi" {
			t.Errorf("reopened store: %v, %v", got, err)
		}
		again.Close()
	}
}

func TestOpenExistingMissing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "none.db")
	st, err := OpenExisting(context.Background(), "sqlite:"+path)
	if !errors.Is(err, capture.ErrNoStore) || st != nil {
		t.Fatalf("OpenExisting of a missing file = %v, %v; want ErrNoStore and no store", st, err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("OpenExisting created %s", path)
	}
}

func TestOpenBadURL(t *testing.T) {
	for _, u := range []string{"", "mysql://root:hunter2@db/x", "postgres:root:hunter2@db"} {
		st, err := Open(context.Background(), u)
		if err == nil || st != nil {
			t.Fatalf("Open(%q) = %v, %v; want an error", u, st, err)
		}
		if !strings.Contains(err.Error(), "capture store") || strings.Contains(err.Error(), "hunter2") {
			t.Errorf("Open(%q): %v; want an error naming the store, without the password", u, err)
		}
	}
}

// A postgres:// URL opens the PostgreSQL store; its Location never shows the password.
func TestOpenPostgres(t *testing.T) {
	u := pgtest.URL(t)
	st, err := Open(context.Background(), pgtest.WithPassword(t, u, "s3cr3t-pw"))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer st.Close()
	if _, ok := st.(*capture.SQLite); ok {
		t.Fatal("a postgres:// URL opened SQLite")
	}
	if loc := st.Location(); strings.Contains(loc, "s3cr3t-pw") || !strings.Contains(loc, "postgres") {
		t.Errorf("Location %q: want the URL without its password", loc)
	}
	if err := st.Ping(context.Background()); err != nil {
		t.Fatal(err)
	}
	// postgresql:// is the same store; OpenExisting opens it too.
	other, err := OpenExisting(context.Background(), "postgresql"+strings.TrimPrefix(u, "postgres"))
	if err != nil {
		t.Fatalf("OpenExisting(postgresql://…): %v", err)
	}
	defer other.Close()
	c := &capture.Capture{Method: "POST", Path: "/shared", Body: []byte("one store")}
	if err := st.Save(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	if got, err := other.Get(context.Background(), c.ID); err != nil || string(got.Body) != "one store" {
		t.Errorf("the other handle reads %v, %v", got, err)
	}
}
