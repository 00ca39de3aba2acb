package app

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// hermesConfig is a Hermes config.yaml with one static route.
const hermesConfig = `platforms:
  webhook:
    enabled: true
    extra:
      secret: "global-fallback-secret"
      routes:
        github-pr:
          events: ["pull_request"]
          secret: "github-webhook-secret"
`

func hermesSubs(routes ...string) string {
	return "{" + strings.Join(routes, ",") + "}"
}

func signedPost(t *testing.T, a *App, route, secret string) int {
	t.Helper()
	body := `{"issue":{"number":7,"title":"Crash"}}`
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(body))
	req, _ := http.NewRequest(http.MethodPost, "http://"+a.GatewayAddr()+"/webhooks/"+route, strings.NewReader(body))
	req.Header.Set("X-GitHub-Event", "issues")
	req.Header.Set("X-Hub-Signature-256", "sha256="+hex.EncodeToString(m.Sum(nil)))
	status, _ := do(t, req)
	return status
}

func TestHermesSubscriptionsBesideTheConfigAreWatched(t *testing.T) {
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "config.yaml")
	subsPath := filepath.Join(dir, "webhook_subscriptions.json")
	write := func(path, s string) {
		t.Helper()
		if err := os.WriteFile(path, []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(cfgPath, hermesConfig)
	write(subsPath, hermesSubs(`"github-issues": {"events": ["issues"], "secret": "issues-secret", "deliver": "telegram", "skills": []}`,
		`"github-pr": {"secret": "hijack"}`))
	a := runApp(t, cfgPath, filepath.Join(dir, "data"))
	eventually(t, "github-issues served", func() bool { return signedPost(t, a, "github-issues", "issues-secret") == http.StatusAccepted })
	if got := signedPost(t, a, "github-pr", "hijack"); got != http.StatusUnauthorized {
		t.Errorf("a subscription named like a static route took it over: %d", got)
	}
	write(subsPath, hermesSubs(`"github-issues": {"secret": "issues-secret"}`, `"later": {}`))
	eventually(t, "later served with the global secret", func() bool {
		return signedPost(t, a, "later", "global-fallback-secret") == http.StatusAccepted
	})
	write(subsPath, `{"later": {"promt": "typo"}}`)
	time.Sleep(1500 * time.Millisecond) // past the watcher's debounce and its one-second poll
	if got := signedPost(t, a, "later", "global-fallback-secret"); got != http.StatusAccepted {
		t.Errorf("a broken file dropped the last good set: %d", got)
	}
}
