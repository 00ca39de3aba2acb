package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hooktap/hooktap/config"
)

// configRun runs `hooktap config …` with no user config or env secrets in the way.
func configRun(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	t.Setenv("HOOKTAP_CONFIG", "")
	t.Setenv("WEBHOOK_SECRET", "")
	var out, errb bytes.Buffer
	code := Main(context.Background(), append([]string{"config"}, args...), strings.NewReader(""), &out, &errb)
	return out.String(), errb.String(), code
}

func seedFile(parts ...string) string {
	return filepath.Join(append([]string{"..", "config", "testdata", "formats"}, parts...)...)
}

func TestConfigExplainJSON(t *testing.T) {
	out, stderr, code := configRun(t, "explain", seedFile("hermes", "config.yaml"), "--json")
	var x config.Explanation
	if code != 0 || json.Unmarshal([]byte(out), &x) != nil {
		t.Fatalf("exit %d\n%s%s", code, out, stderr)
	}
	if x.Format != config.FormatHermes || len(x.Routes) != 2 || x.Routes[0].Name != "github-pr" || x.Routes[0].Line != 8 ||
		x.Routes[0].Deliver != "github_comment" || x.Routes[0].NotDelivered != "not delivered by hooktap" {
		t.Errorf("routes = %+v", x.Routes)
	}
	if len(x.Dynamic) != 1 || x.Dynamic[0].Name != "github-issues" {
		t.Errorf("dynamic routes = %+v", x.Dynamic)
	}
	if strings.Contains(out, "github-webhook-secret") || strings.Contains(out, "global-fallback-secret") {
		t.Errorf("a secret is printed:\n%s", out)
	}
	found := false
	for _, n := range x.Notes {
		found = found || n.Line == 19 && n.Key == "platforms.webhook.extra.routes.github-pr.skills" && n.Kind == config.NoteIgnored
	}
	if !found {
		t.Errorf("skills is not listed as ignored: %+v", x.Notes)
	}
}

func TestConfigExplainText(t *testing.T) {
	out, _, code := configRun(t, "explain", seedFile("clawdbot", "outgoing.json"))
	for _, want := range []string{"read as Clawdbot webhooks", "slack-notify  (line 4)",
		"line 4    webhooks.outgoing.0.events: message_received, agent_response are not in hooktap's catalogue"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("exit %d, missing %q in\n%s", code, want, out)
		}
	}
	out, _, _ = configRun(t, "explain", seedFile("gozen", "headers.json"))
	if strings.Contains(out, "your-api-key") || !strings.Contains(out, "X-Webhook-Source: gozen") {
		t.Errorf("header values not masked by the one rule:\n%s", out)
	}
}

func TestConfigExplainErrors(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.yaml")
	os.WriteFile(path, []byte("platforms:\n  webhook:\n    extra:\n      routes:\n        a: {secret: s, skils: []}\n"), 0o600)
	_, stderr, code := configRun(t, "explain", path)
	if code != 2 || !strings.Contains(stderr, "config.yaml:5: platforms.webhook.extra.routes.a.skils: unknown key") {
		t.Errorf("exit %d: %s", code, stderr)
	}
	_, stderr, code = configRun(t, "explain", seedFile("gozen", "headers.json"), "--config-format", "hermes")
	if code != 2 || !strings.Contains(stderr, "headers.json:2: webhooks: expected a mapping of keys") {
		t.Errorf("forced format: exit %d: %s", code, stderr)
	}
}

func TestConfigConvertWritesLoadableYAML(t *testing.T) {
	t.Setenv("WEBHOOK_SECRET", "")
	dst := filepath.Join(t.TempDir(), "config.yaml")
	_, stderr, code := configRun(t, "convert", seedFile("greentic", "signatures.json"), "-o", dst)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	cfg, err := config.Load(config.Overrides{ConfigFile: dst}, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	r, ok := cfg.Route("events-webhook")
	if cfg.Format != config.FormatHooktap || !ok || len(r.Signatures) != 2 || cfg.Gateway.CatchAll != "events-webhook" {
		t.Errorf("converted: format %s route %+v", cfg.Format, r)
	}
	if info, err := os.Stat(dst); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("output mode: %v %v", info.Mode(), err)
	}
}
