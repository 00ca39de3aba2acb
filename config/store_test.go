package config

import (
	"path/filepath"
	"strings"
	"testing"
)

// capture.store comes from the file, then HOOKTAP_STORE, then --store; StorePath follows a
// SQLite store and stays the local file (notify's) when the store is PostgreSQL.
func TestStorePrecedence(t *testing.T) {
	const pg = "postgres://hooktap:pw@db:5432/hooktap?sslmode=disable"
	tests := []struct {
		name      string
		file      string
		env       map[string]string
		ov        Overrides
		url, path string
		shared    bool
	}{
		{"default", "", nil, Overrides{DataDir: "/d"}, filepath.Join("/d", "hooktap.db"), filepath.Join("/d", "hooktap.db"), false},
		{"capture.path", "capture: {path: /p/x.db}\n", nil, Overrides{}, "/p/x.db", "/p/x.db", false},
		{"file store", "capture: {store: 'sqlite:/f/file.db'}\n", nil, Overrides{}, "sqlite:/f/file.db", "/f/file.db", false},
		{"env over file", "capture: {store: 'sqlite:/f/file.db'}\n", map[string]string{"HOOKTAP_STORE": "/e/env.db"}, Overrides{},
			"/e/env.db", "/e/env.db", false},
		{"flag over env", "capture: {store: 'sqlite:/f/file.db'}\n", map[string]string{"HOOKTAP_STORE": "/e/env.db"},
			Overrides{Store: pg, DataDir: "/d"}, pg, filepath.Join("/d", "hooktap.db"), true},
		{"postgres keeps capture.path local", "capture: {path: /p/x.db}\n", map[string]string{"HOOKTAP_STORE": pg}, Overrides{},
			pg, "/p/x.db", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := loadYAML(t, tc.file, tc.env, tc.ov)
			if err != nil {
				t.Fatal(err)
			}
			if got := c.StoreURL(); got != tc.url {
				t.Errorf("StoreURL = %q, want %q", got, tc.url)
			}
			if got := c.StorePath(); got != tc.path {
				t.Errorf("StorePath = %q, want %q", got, tc.path)
			}
			if got := c.SharedStore(); got != tc.shared {
				t.Errorf("SharedStore = %v, want %v", got, tc.shared)
			}
		})
	}
}

// A store URL hooktap cannot open is refused at load, naming the key and where it came from,
// without the password.
func TestStoreInvalid(t *testing.T) {
	tests := []struct {
		name, file string
		env        map[string]string
		ov         Overrides
		want       []string
	}{
		{"unknown scheme in file", "capture:\n  store: mysql://u:hunter2@db/x\n", nil, Overrides{},
			[]string{"config.yaml:2", "capture.store", `unsupported store scheme "mysql"`, "postgres://"}},
		{"typo in env", "", map[string]string{"HOOKTAP_STORE": "postgress://u:hunter2@db/x"}, Overrides{},
			[]string{"capture.store (from HOOKTAP_STORE)", `"postgress"`}},
		{"no slashes from flag", "", nil, Overrides{Store: "postgres:u:hunter2@db"},
			[]string{"capture.store (from --store)", "not a PostgreSQL URL"}},
		{"bad escape", "", nil, Overrides{Store: "postgres://u:hunter2%zz@db/x"},
			[]string{"capture.store (from --store)", "percent-encoded"}},
		{"sqlite without path", "", nil, Overrides{Store: "sqlite:"}, []string{"capture.store (from --store)", "names no file"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := loadYAML(t, tc.file, tc.env, tc.ov)
			if err == nil {
				t.Fatal("loaded")
			}
			msg := err.Error()
			for _, w := range tc.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q does not say %q", msg, w)
				}
			}
			if strings.Contains(msg, "hunter2") {
				t.Errorf("error %q shows the password", msg)
			}
		})
	}
}

func TestParseStore(t *testing.T) {
	tests := []struct {
		in     string
		kind   StoreKind
		target string
	}{
		{"/var/lib/hooktap/hooktap.db", StoreSQLite, "/var/lib/hooktap/hooktap.db"},
		{"hooktap.db", StoreSQLite, "hooktap.db"},
		{"sqlite:hooktap.db", StoreSQLite, "hooktap.db"},
		{"sqlite:/abs/h.db", StoreSQLite, "/abs/h.db"},
		{"sqlite:///abs/h.db", StoreSQLite, "/abs/h.db"},
		{"SQLite:rel/h.db", StoreSQLite, "rel/h.db"},
		{`C:\hooktap\h.db`, StoreSQLite, `C:\hooktap\h.db`},
		{"./odd:name.db", StoreSQLite, "./odd:name.db"},
		{"postgres://u:p@db:5432/x?sslmode=disable", StorePostgres, "postgres://u:p@db:5432/x?sslmode=disable"},
		{"postgresql://db/x", StorePostgres, "postgresql://db/x"},
		{"postgres:///x?host=/run/postgresql", StorePostgres, "postgres:///x?host=/run/postgresql"},
	}
	for _, tc := range tests {
		kind, target, err := ParseStore(tc.in)
		if err != nil || kind != tc.kind || target != tc.target {
			t.Errorf("ParseStore(%q) = %v, %q, %v; want %v, %q", tc.in, kind, target, err, tc.kind, tc.target)
		}
	}
	for _, bad := range []string{"", "  ", "redis://x", "http://x/y", "sqlite:", "sqlite://", "postgres:x"} {
		if _, _, err := ParseStore(bad); err == nil {
			t.Errorf("ParseStore(%q) accepted", bad)
		}
	}
}
