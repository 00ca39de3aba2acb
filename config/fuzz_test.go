package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func FuzzLoad(f *testing.F) {
	seeds := []string{everyKey, "", "{}", "gateway: 5", "gateway:\n  routes:\n    a: {secret: [1, 2]}\n",
		"{\"gateway\": {\"routes\": {\"a\": {\"secret\": \"s\"}}}}", "a: &x [*x]", "gateway:\n  port: [1\n",
		"---\n---\n", "gateway: {idempotency_ttl: 9999999999999w}", "notify: {webhooks: [null, 1, {}]}",
		"gateway: {routes: {a: null, b: [], c: {deliver_extra: null}}}", "gateway: {routes: {? [a] : {}}}"}
	for _, s := range seeds {
		f.Add(s)
	}
	dir := f.TempDir()
	env := func(k string) string {
		if k == "HOME" {
			return dir
		}
		return ""
	}
	f.Fuzz(func(t *testing.T, content string) {
		path := filepath.Join(dir, "config.yaml")
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		c, err := Load(Overrides{ConfigFile: path}, env)
		if err == nil && len(c.Gateway.Routes) == 0 {
			t.Fatal("a loaded config has no routes")
		}
		if err != nil && strings.TrimSpace(err.Error()) == "" {
			t.Fatal("empty error message")
		}
	})
}

func TestExtraDocument(t *testing.T) {
	_, err := loadYAML(t, "gateway: {port: 1}\n---\nlog: {}\n", nil, Overrides{})
	if err == nil || !strings.Contains(err.Error(), "config.yaml:2: a config file holds one YAML document") {
		t.Fatalf("error %v", err)
	}
	_, err = loadYAML(t, "gateway:\n  port: [1\n", nil, Overrides{})
	t.Log(err)
	if err == nil || !strings.HasPrefix(err.Error(), "config.yaml:") || !strings.Contains(err.Error(), "invalid YAML") {
		t.Fatalf("syntax error %v", err)
	}
}
