package gateway_test

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hooktap/hooktap/gateway"
	"github.com/hooktap/hooktap/signature"
)

// startSeed serves one of config/testdata/formats' example files, unchanged, with env vars.
func startSeed(t *testing.T, name string, env map[string]string, opts ...gateway.Option) *harness {
	t.Helper()
	path := filepath.Join("..", "config", "testdata", "formats", name)
	cfg, st := gateway.LoadTestEnv(t, path, t.TempDir(), func(k string) string { return env[k] })
	return startWith(t, cfg, st, opts...)
}

// pullRequest is a GitHub pull_request delivery with the fields the Hermes prompt reads.
const pullRequest = `{"action":"opened","number":42,"pull_request":{"title":"Add retries","user":{"login":"octocat"},` +
	`"html_url":"https://github.com/acme/widgets/pull/42","diff_url":"https://github.com/acme/widgets/pull/42.diff"},` +
	`"repository":{"full_name":"acme/widgets"}}`

func TestHermesGitHubPRRendersThePrompt(t *testing.T) {
	h := startSeed(t, "hermes/config.yaml", nil)
	body := []byte(pullRequest)
	status, answer, _ := h.post("/webhooks/github-pr", body, "Content-Type", "application/json",
		"X-GitHub-Event", "pull_request", "X-GitHub-Delivery", "d-1", "X-Hub-Signature-256", githubSig("github-webhook-secret", body))
	if status != http.StatusAccepted {
		t.Fatalf("status %d %s", status, answer)
	}
	c := h.latest()
	want := "Review this pull request:\nRepository: acme/widgets\nPR #42: Add retries\nAuthor: octocat\n" +
		"URL: https://github.com/acme/widgets/pull/42\nDiff URL: https://github.com/acme/widgets/pull/42.diff\nAction: opened\n"
	if c.Rendered != want {
		t.Errorf("rendered:\n%q\nwant\n%q", c.Rendered, want)
	}
	if len(c.Deliveries) != 1 || c.Deliveries[0].Target != "github_comment" ||
		c.Deliveries[0].Error != "not delivered by hooktap (pr_number=42, repo=acme/widgets)" {
		t.Errorf("deliveries = %+v", c.Deliveries)
	}
	status, _, _ = h.post("/webhooks/github-pr", body, "X-GitHub-Event", "pull_request", "X-Hub-Signature-256", githubSig("global-fallback-secret", body))
	if status != http.StatusUnauthorized {
		t.Errorf("signed with the wrong secret: %d", status)
	}
	status, answer, _ = h.post("/webhooks/github-pr", body, "X-GitHub-Event", "push", "X-Hub-Signature-256", githubSig("github-webhook-secret", body))
	if status != http.StatusOK || !strings.Contains(answer, "ignored") {
		t.Errorf("push to a pull_request route: %d %s", status, answer)
	}
}

func TestUndeliveredTargetIsLoggedOnceAndDeliverOnlyAnswers200(t *testing.T) {
	var log strings.Builder
	newTextLogger := func(w *strings.Builder) *slog.Logger { return slog.New(slog.NewTextHandler(w, nil)) }
	h := start(t, "gateway:\n  secret: s\n  routes:\n    tg:\n      deliver: telegram\n      deliver_only: true\n      prompt: 'hi {name}'\n",
		gateway.WithLogger(newTextLogger(&log)))
	for range 2 {
		body := []byte(`{"name":"ada"}`)
		status, answer, _ := h.post("/webhooks/tg", body, "X-Hub-Signature-256", githubSig("s", body))
		if status != http.StatusOK || !strings.Contains(answer, `"note":"telegram: not delivered by hooktap"`) {
			t.Fatalf("deliver_only to telegram: %d %s", status, answer)
		}
	}
	if c := h.latest(); c.Rendered != "hi ada" || c.Deliveries[0].Error != "not delivered by hooktap" {
		t.Errorf("capture rendered %q deliveries %+v", c.Rendered, c.Deliveries)
	}
	if n := strings.Count(log.String(), "not delivered by hooktap"); n != 1 {
		t.Errorf("logged %d times:\n%s", n, log.String())
	}
}

func TestClawdbotSharedSecretHeader(t *testing.T) {
	h := startSeed(t, "clawdbot/incoming.json", nil)
	body := []byte(`{"message": "Hello from external service"}`)
	status, answer, _ := h.post("/webhook/my-hook", body, "X-Webhook-Secret", "your-webhook-secret", "Content-Type", "application/json")
	if status != http.StatusAccepted {
		t.Fatalf("right secret: %d %s", status, answer)
	}
	if c := h.latest(); c.Route != "incoming" || c.Path != "/webhook/my-hook" || c.Verification.Scheme != "header" {
		t.Errorf("capture route %q path %q scheme %q", c.Route, c.Path, c.Verification.Scheme)
	}
	status, _, _ = h.post("/webhook/my-hook", body, "X-Webhook-Secret", "wrong-secret")
	if status != http.StatusUnauthorized {
		t.Errorf("wrong secret: %d", status)
	}
	status, _, _ = h.post("/webhook/other-hook", body)
	if status != http.StatusUnauthorized {
		t.Errorf("no secret header: %d", status)
	}
}

func TestClawdbotHandlers(t *testing.T) {
	target := &recorder{}
	ts := httptest.NewServer(target)
	t.Cleanup(ts.Close)
	srv := ts.URL
	cfg := `{"webhooks": {"incoming": {"secret": "s", "allowedIPs": ["127.0.0.1"]}, "handlers": [
	  {"id": "fwd", "path": "/fwd", "action": "forward", "target": {"url": "` + srv + `"}},
	  {"id": "github", "path": "/github", "action": "run_agent", "agentId": "devops",
	   "template": "New GitHub event: {{event.action}} on {{event.repository.name}}"}]}}`
	h := startSeed(t, writeSeed(t, "clawdbot.json", cfg), nil)
	body := []byte(`{"action":"opened","repository":{"name":"widgets"}}`)
	if status, answer, _ := h.post("/webhook/github", body, "X-Webhook-Secret", "s"); status != http.StatusAccepted {
		t.Fatalf("handler: %d %s", status, answer)
	}
	c := h.latest()
	if c.Route != "github" || c.Rendered != "New GitHub event: opened on widgets" || c.Deliveries[0].Error != "not run by hooktap (agentId=devops)" {
		t.Errorf("run_agent capture: route %q rendered %q deliveries %+v", c.Route, c.Rendered, c.Deliveries)
	}
	if status, answer, _ := h.post("/webhook/fwd", body, "X-Webhook-Secret", "s"); status != http.StatusAccepted {
		t.Fatalf("forward: %d %s", status, answer)
	}
	eventually(t, func() bool { got, _ := target.received(); return len(got) == 1 && string(got[0]) == string(body) })
}

func TestGreenticPerProviderSignatures(t *testing.T) {
	h := startSeed(t, "greentic/signatures.json", nil)
	stripeSig := func(b []byte) string {
		sig, err := signature.Sign("stripe", signature.SignInput{Body: b, Secret: "whsec_xxx"})
		if err != nil {
			t.Fatal(err)
		}
		return sig.Get("Stripe-Signature")
	}
	tests := []struct {
		name, header string
		sign         func([]byte) string
		want         int
		scheme       string
	}{
		{"github", "X-Hub-Signature-256", func(b []byte) string { return githubSig("your-github-secret", b) }, http.StatusAccepted, "github"},
		{"stripe", "Stripe-Signature", stripeSig, http.StatusAccepted, "stripe"},
		{"github header, stripe secret", "X-Hub-Signature-256", func(b []byte) string { return githubSig("whsec_xxx", b) }, http.StatusUnauthorized, "github"},
		{"no signature", "X-Other", func([]byte) string { return "x" }, http.StatusUnauthorized, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := []byte(`{"id":"` + tt.name + `","type":"order.created","data":{"order":"A-1"}}`)
			status, answer, _ := h.post("/events/webhook/demo/order.created", b, tt.header, tt.sign(b), "Content-Type", "application/json")
			c := h.latest()
			if status != tt.want || c.Verification.Scheme != tt.scheme || c.Event != "order.created" || c.Route != "events-webhook" {
				t.Errorf("status %d (%s) scheme %q event %q route %q", status, answer, c.Verification.Scheme, c.Event, c.Route)
			}
		})
	}
}

// writeSeed writes a config file for startSeed and returns its name relative to the formats dir.
func writeSeed(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	abs, _ := filepath.Abs(path)
	base, _ := filepath.Abs(filepath.Join("..", "config", "testdata", "formats"))
	rel, err := filepath.Rel(base, abs)
	if err != nil {
		t.Fatal(err)
	}
	return rel
}
