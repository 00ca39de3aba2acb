package gateway

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/config"
)

// OpenTestEnv writes yaml to a temp dir, loads it as hooktap would (that dir is the data dir) and
// opens a real store there, closed when the test ends. Exported for the gateway_test package too.
func OpenTestEnv(t testing.TB, yaml string) (*config.Config, *capture.SQLite) {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	return LoadTestEnv(t, path, dir, nil)
}

// LoadTestEnv loads the config file at path with env (nil: none), data in dir, and opens a real
// store there, closed when the test ends.
func LoadTestEnv(t testing.TB, path, dir string, env func(string) string) (*config.Config, *capture.SQLite) {
	t.Helper()
	cfg, err := config.Load(config.Overrides{ConfigFile: path, DataDir: dir}, env)
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	st, err := capture.Open(filepath.Join(dir, "hooktap.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	return cfg, st
}

// RejectPerMinute is the per-source budget for rejected requests, for the abuse tests' bounds.
const RejectPerMinute = rejectPerMinute
