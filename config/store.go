package config

import (
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
)

// StoreKind is the engine a store URL names.
type StoreKind int

// The engines a capture store can live in.
const (
	// StoreSQLite is the embedded default: one file.
	StoreSQLite StoreKind = iota + 1
	// StorePostgres is a PostgreSQL database shared by several instances (team mode).
	StorePostgres
)

// ParseStore reads a store URL (capture.store, --store, HOOKTAP_STORE): `sqlite:PATH` or a plain
// file path is SQLite and target is the path; `postgres://…` or `postgresql://…` is PostgreSQL
// and target is the URL unchanged. Any other scheme is refused, so a typo never becomes a file
// named after it. Errors never repeat a URL, which may hold a password.
func ParseStore(raw string) (kind StoreKind, target string, err error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return 0, "", errors.New("empty store URL: want sqlite:PATH, a file path, or postgres://…")
	}
	scheme, rest, hasScheme := strings.Cut(s, ":")
	switch {
	case hasScheme && strings.EqualFold(scheme, "sqlite"):
		// sqlite:///abs/path and sqlite://rel/path are read like sqlite:/abs/path and sqlite:rel/path.
		path := strings.TrimPrefix(rest, "//")
		if path == "" {
			return 0, "", fmt.Errorf("%q names no file: want sqlite:PATH", s)
		}
		return StoreSQLite, path, nil
	case hasScheme && (strings.EqualFold(scheme, "postgres") || strings.EqualFold(scheme, "postgresql")):
		if !strings.HasPrefix(rest, "//") {
			return 0, "", errors.New("not a PostgreSQL URL: want postgres://USER:PASSWORD@HOST:PORT/DATABASE")
		}
		if _, err := url.Parse(s); err != nil {
			return 0, "", errors.New("not a valid PostgreSQL URL (special characters in the password must be percent-encoded)")
		}
		return StorePostgres, s, nil
	case hasScheme && isScheme(scheme):
		return 0, "", fmt.Errorf("unsupported store scheme %q: want sqlite:PATH, a file path, or postgres://…", scheme)
	}
	return StoreSQLite, s, nil
}

// isScheme reports whether s looks like a URL scheme rather than a Windows drive letter (C:)
// or a file name with a colon in it.
func isScheme(s string) bool {
	if len(s) < 2 || !isLetter(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !isLetter(c) && !(c >= '0' && c <= '9') && c != '+' && c != '-' && c != '.' {
			return false
		}
	}
	return true
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// StoreURL is the capture store hooktap works with: capture.store (or --store, HOOKTAP_STORE)
// when set, else the SQLite file StorePath names.
func (c *Config) StoreURL() string {
	if c.Capture.Store != "" {
		return c.Capture.Store
	}
	return c.StorePath()
}

// StorePath is the local SQLite file: the store itself when it is SQLite (capture.store as
// sqlite:PATH or a path, else capture.path, else DataDir/hooktap.db). notify keeps its tables
// there, also when the capture store is PostgreSQL, so it names capture.path or
// DataDir/hooktap.db then.
func (c *Config) StorePath() string {
	if kind, path, err := ParseStore(c.Capture.Store); err == nil && kind == StoreSQLite {
		return path
	}
	if c.Capture.Path != "" {
		return c.Capture.Path
	}
	return filepath.Join(c.DataDir, "hooktap.db")
}

// SharedStore reports whether the capture store is a server several instances share.
func (c *Config) SharedStore() bool {
	kind, _, err := ParseStore(c.Capture.Store)
	return err == nil && kind == StorePostgres
}
