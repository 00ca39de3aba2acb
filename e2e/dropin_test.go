package e2e

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/signature"
)

// serveSeed copies example files of another system, unchanged, into a fresh directory and runs
// `hooktap serve --config` on the first one (only the listeners move to free loopback ports).
func serveSeed(t *testing.T, files ...string) *proc {
	t.Helper()
	dir := t.TempDir()
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join("..", "config", "testdata", "formats", f))
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(dir, filepath.Base(f)), string(b))
	}
	cmd := exec.Command(binary, "serve", "--config", filepath.Join(dir, filepath.Base(files[0])), "--data-dir", filepath.Join(dir, "data"),
		"--addr", "127.0.0.1:0", "--admin-addr", "127.0.0.1:0", "--tunnel", "off")
	cmd.Env = cleanEnv(dir)
	return launch(t, cmd, filepath.Join(dir, "data"))
}

// newestCapture reads the capture with id (the newest when id is "") from the binary's store.
func newestCapture(t *testing.T, p *proc, id string) *capture.Capture {
	t.Helper()
	st, err := capture.OpenExisting(filepath.Join(p.dataDir, "hooktap.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if id == "" {
		page, err := st.List(context.Background(), capture.Filter{Limit: 1})
		if err != nil || len(page.Captures) == 0 {
			t.Fatalf("no capture: %v", err)
		}
		id = page.Captures[0].ID
	}
	c, err := st.Get(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func hubSig(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

func TestHermesConfigUnchanged(t *testing.T) {
	p := serveSeed(t, "hermes/config.yaml", "hermes/webhook_subscriptions.json")
	body := []byte(`{"action":"opened","number":7,"pull_request":{"title":"Fix","user":{"login":"ada"},"html_url":"u","diff_url":"d"},"repository":{"full_name":"acme/w"}}`)
	h := http.Header{"X-Github-Event": {"pull_request"}, "X-Github-Delivery": {"e2e-1"}, "X-Hub-Signature-256": {hubSig("github-webhook-secret", body)}}
	status, answer := p.post(t, "/webhooks/github-pr", body, h)
	var accepted struct{ ID string }
	if status != http.StatusAccepted || json.Unmarshal([]byte(answer), &accepted) != nil {
		t.Fatalf("github-pr: %d %s\n%s", status, answer, p.output())
	}
	if status, answer := p.post(t, "/webhooks/github-pr", body, h); status != http.StatusOK || !contains(answer, "duplicate") {
		t.Errorf("the same X-GitHub-Delivery again: %d %s", status, answer)
	}
	c := newestCapture(t, p, accepted.ID)
	if !strings.HasPrefix(c.Rendered, "Review this pull request:\nRepository: acme/w\nPR #7: Fix\nAuthor: ada\n") ||
		len(c.Deliveries) != 1 || c.Deliveries[0].Error != "not delivered by hooktap (pr_number=7, repo=acme/w)" {
		t.Errorf("rendered %q deliveries %+v", c.Rendered, c.Deliveries)
	}
	issue := []byte(`{"issue":{"number":3,"title":"Crash","user":{"login":"bob"},"body":"boom"}}`)
	h = http.Header{"X-Github-Event": {"issues"}, "X-Hub-Signature-256": {hubSig("issues-secret", issue)}}
	if status, answer := p.post(t, "/webhooks/github-issues", issue, h); status != http.StatusAccepted {
		t.Errorf("dynamic route from webhook_subscriptions.json: %d %s", status, answer)
	}
	for _, target := range []string{"deliver=github_comment", "deliver=telegram"} {
		if n := strings.Count(p.output(), target); n < 1 {
			t.Errorf("%s not logged as not delivered:\n%s", target, p.output())
		}
	}
	if n := strings.Count(p.output(), "route=deploy-notify deliver=telegram"); n != 1 {
		t.Errorf("deploy-notify's note logged %d times", n)
	}
}

func TestHermesLimitsUnchanged(t *testing.T) {
	p := serveSeed(t, "hermes/body-limit.yaml")
	big := bytes.Repeat([]byte("a"), 1536<<10)
	if status, answer := p.post(t, "/webhooks/inspect", big, nil); status != http.StatusOK {
		t.Errorf("1.5 MiB under max_body_bytes 2097152: %d %s", status, answer)
	}
	if status, _ := p.post(t, "/webhooks/inspect", append(big, big...), nil); status != http.StatusRequestEntityTooLarge {
		t.Errorf("3 MiB: %d", status)
	}
	p = serveSeed(t, "hermes/rate-limit.yaml")
	for i := range 61 {
		status, _ := p.post(t, "/webhooks/inspect", []byte(`{}`), nil)
		if want := map[bool]int{true: 429, false: 200}[i == 60]; status != want {
			t.Fatalf("request %d of 61 at rate_limit 60: %d", i+1, status)
		}
	}
}

func TestClawdbotIncomingUnchanged(t *testing.T) {
	p := serveSeed(t, "clawdbot/incoming.json")
	body := []byte(`{"message": "Hello from external service"}`)
	ok := http.Header{"X-Webhook-Secret": {"your-webhook-secret"}, "Content-Type": {"application/json"}}
	if status, answer := p.post(t, "/webhook/my-hook", body, ok); status != http.StatusAccepted {
		t.Fatalf("the seed's curl: %d %s\n%s", status, answer, p.output())
	}
	if status, _ := p.post(t, "/webhook/my-hook", body, http.Header{"X-Webhook-Secret": {"guess"}}); status != http.StatusUnauthorized {
		t.Errorf("wrong secret: %d", status)
	}
}

func TestGreenticUnchanged(t *testing.T) {
	p := serveSeed(t, "greentic/signatures.json")
	body := []byte(`{"id":"o-1","type":"order.created"}`)
	gh := http.Header{"X-Hub-Signature-256": {hubSig("your-github-secret", body)}}
	if status, answer := p.post(t, "/events/webhook/demo/order.created", body, gh); status != http.StatusAccepted {
		t.Fatalf("GitHub-signed: %d %s\n%s", status, answer, p.output())
	}
	sig, err := signature.Sign("stripe", signature.SignInput{Body: []byte(`{"id":"o-2"}`), Secret: "whsec_xxx"})
	if err != nil {
		t.Fatal(err)
	}
	if status, answer := p.post(t, "/events/webhook/demo/order.created", []byte(`{"id":"o-2"}`), sig); status != http.StatusAccepted {
		t.Errorf("Stripe-signed: %d %s", status, answer)
	}
	c := newestCapture(t, p, "")
	if c.Event != "order.created" || c.Verification.Scheme != "stripe" {
		t.Errorf("event %q scheme %q", c.Event, c.Verification.Scheme)
	}
	cfg := filepath.Join(filepath.Dir(p.dataDir), "signatures.json")
	if again := replayOne(t, p, cfg, c.ID, "--resign"); again.Verification.Scheme != "stripe" || again.Verification.Result != "verified" {
		t.Errorf("replay --resign signs with the Stripe rule's secret: %+v", again.Verification)
	}
	if status, _ := p.post(t, "/events/webhook/demo/order.created", body, nil); status != http.StatusUnauthorized {
		t.Errorf("unsigned: %d", status)
	}
	p = serveSeed(t, "greentic/answers.json")
	if status, answer := p.post(t, "/events/webhook/demo/test", []byte(`{"message": "Hello from webhook"}`), nil); status != http.StatusAccepted {
		t.Errorf("the seed's curl without signatures configured: %d %s", status, answer)
	}
}

func TestGozenWebhooksFileAsConfig(t *testing.T) {
	dir := t.TempDir()
	out, stderr, code := run(t, dir, "config", "explain", "--json", filepath.Join("..", "config", "testdata", "formats", "gozen", "conditional.json"))
	var x struct {
		Webhooks []struct {
			URL    string   `json:"url"`
			Events []string `json:"events"`
		} `json:"notify_webhooks"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &x) != nil || len(x.Webhooks) != 3 || strings.Join(x.Webhooks[2].Events, ",") != "failover,provider_up" {
		t.Fatalf("exit %d\n%s%s", code, out, stderr)
	}
	out, _, code = run(t, dir, "config", "explain", filepath.Join("..", "config", "testdata", "formats", "hermes", "config.yaml"))
	if code != 0 || !contains(out, "line 19   platforms.webhook.extra.routes.github-pr.skills") {
		t.Errorf("config explain: exit %d\n%s", code, out)
	}
}
