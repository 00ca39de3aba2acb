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
	examples, _ := filepath.Glob(filepath.Join("testdata", "formats", "*", "*"))
	for _, path := range examples {
		if b, err := os.ReadFile(path); err == nil {
			f.Add(string(b))
		}
	}
	for _, s := range []string{"platforms: {webhook: {extra: {routes: {a: {deliver_extra: {x: [1]}}}}}}",
		"webhooks: {handlers: [{path: /, action: forward}], incoming: {}}", "events-webhook: {signatures: {a: 1}}",
		"webhooks: [{url: 1}]", "webhooks: {routes: null}", "platforms: {webhook: null}"} {
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

func FuzzHermesSubscriptions(f *testing.F) {
	if b, err := os.ReadFile(filepath.Join("testdata", "formats", "hermes", HermesSubscriptionsFile)); err == nil {
		f.Add(string(b))
	}
	for _, s := range []string{"{}", "[]", `{"a": null}`, `{"a": {"enabled": false}}`, `{"": {"secret": "s"}}`, `{"a b": {}}`} {
		f.Add(s)
	}
	c := Default()
	f.Fuzz(func(t *testing.T, content string) {
		routes, skipped, err := c.HermesSubscriptions([]byte(content), "webhook_subscriptions.json")
		if err != nil && len(routes) > 0 {
			t.Fatal("routes returned with a file error")
		}
		for _, r := range routes {
			if len(r.Secret.nonEmpty()) == 0 {
				t.Fatalf("route %q without a secret served (skipped: %v)", r.Name, skipped)
			}
		}
	})
}
