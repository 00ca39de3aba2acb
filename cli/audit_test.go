package cli

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hooktap/hooktap/capture"
)

// TestAuditGatewayRoutePasses audits hooktap's own gateway: it verifies, deduplicates, limits
// bodies and answers fast, so every required check passes and each request is a capture.
func TestAuditGatewayRoutePasses(t *testing.T) {
	env := newCraftEnv(t)
	url := env.gateway + "/webhooks/stripe"
	out, stderr, code := env.run(t, "", "audit", url, "--provider", "stripe", "--secret", "whsec_stripe_test", "--burst", "5")
	if code != 0 || !strings.Contains(out, "PASS:") {
		t.Fatalf("audit of a verifying route: exit %d\n%s\n%s", code, out, stderr)
	}
	if c := env.newest(t); c.Source != capture.SourceAudit || c.Route != "stripe" {
		t.Fatalf("newest capture: source %s route %s, want the gateway's capture marked audit", c.Source, c.Route)
	}
}

func TestAuditCarelessEndpointExitsOne(t *testing.T) {
	env := newCraftEnv(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
	}))
	defer srv.Close()
	out, stderr, code := env.run(t, "", "audit", srv.URL, "--provider", "github", "--secret", "s", "--burst", "3", "--json")
	var sc struct {
		Passed bool `json:"passed"`
		Checks []struct {
			ID     string `json:"id"`
			Status string `json:"status"`
		} `json:"checks"`
	}
	if code != 1 || json.Unmarshal([]byte(out), &sc) != nil || sc.Passed {
		t.Fatalf("careless endpoint: exit %d\n%s\n%s", code, out, stderr)
	}
	failed := map[string]bool{}
	for _, c := range sc.Checks {
		failed[c.ID] = c.Status == "fail"
	}
	if !failed["tampered"] || !failed["unsigned"] || !failed["wrong_secret"] || failed["signed"] {
		t.Errorf("checks: %+v", sc.Checks)
	}
}

func TestAuditUsage(t *testing.T) {
	env := newCraftEnv(t)
	for _, args := range [][]string{
		{"audit", "not-a-url", "--provider", "github", "--secret", "s"},
		{"audit", "http://127.0.0.1:1/", "--secret", "s"},
		{"audit", "http://127.0.0.1:1/", "--provider", "nope", "--secret", "s"},
		{"audit", "http://127.0.0.1:1/", "--provider", "github"},
	} {
		if _, stderr, code := env.run(t, "", args...); code != 2 || stderr == "" {
			t.Errorf("%v: exit %d, stderr %q; want 2 with a message", args, code, stderr)
		}
	}
}
