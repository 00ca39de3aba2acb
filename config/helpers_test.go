package config

import (
	"os"
	"path/filepath"
	"testing"
)

// testEnv builds an env lookup from a map, with HOME and the XDG dirs inside a temporary dir so a
// developer's own config never leaks into a test.
func testEnv(t *testing.T, vars map[string]string) func(string) string {
	t.Helper()
	home := t.TempDir()
	return func(k string) string {
		if v, ok := vars[k]; ok {
			return v
		}
		if k == "HOME" {
			return home
		}
		return ""
	}
}

// writeAt writes content at an exact path, creating its directories.
func writeAt(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// writeFile writes content to name inside a fresh temporary directory and returns its path.
func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	writeAt(t, path, content)
	return path
}

// loadYAML loads content as config.yaml with the given env and flags.
func loadYAML(t *testing.T, content string, env map[string]string, ov Overrides) (*Config, error) {
	t.Helper()
	ov.ConfigFile = writeFile(t, "config.yaml", content)
	return Load(ov, testEnv(t, env))
}

// mustLoad loads content and fails the test on any error.
func mustLoad(t *testing.T, content string) *Config {
	t.Helper()
	c, err := loadYAML(t, content, nil, Overrides{})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return c
}
