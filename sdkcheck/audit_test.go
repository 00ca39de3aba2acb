package sdkcheck

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

// auditResult is what the test reads of `hooktap audit --json`.
type auditResult struct {
	exit   int
	passed bool
	status map[string]string
	raw    string
}

// startHandler runs handler.mjs and returns the URL it listens on.
func startHandler(t *testing.T, mode, provider, secret string, delay time.Duration) string {
	t.Helper()
	node := requireSDKs(t)
	cmd := exec.Command(node, "handler.mjs", mode, provider, secret, strconv.Itoa(int(delay.Milliseconds())))
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	line := make(chan string, 1)
	go func() {
		s := bufio.NewScanner(out)
		if s.Scan() {
			line <- s.Text()
		}
		close(line)
	}()
	select {
	case l := <-line:
		port, ok := strings.CutPrefix(l, "listening ")
		if !ok {
			t.Fatalf("handler.mjs said %q", l)
		}
		return fmt.Sprintf("http://127.0.0.1:%s/webhooks/%s", port, provider)
	case <-time.After(30 * time.Second):
		t.Fatal("handler.mjs did not start within 30s")
	}
	return ""
}

// runAudit runs the real `hooktap audit` against url.
func runAudit(t *testing.T, bin, url, provider, secret string, extra ...string) auditResult {
	t.Helper()
	args := append([]string{"audit", url, "--provider", provider, "--secret", secret, "--burst", "10", "--json"}, extra...)
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "XDG_CONFIG_HOME="+t.TempDir(), "XDG_DATA_HOME="+t.TempDir(), "NO_COLOR=1")
	out, err := cmd.Output()
	res := auditResult{status: map[string]string{}, raw: string(out)}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		res.exit = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("hooktap audit: %v", err)
	}
	var sc struct {
		Passed bool `json:"passed"`
		Checks []struct {
			ID     string `json:"id"`
			Status string `json:"status"`
		} `json:"checks"`
	}
	if err := json.Unmarshal(out, &sc); err != nil {
		t.Fatalf("hooktap audit --json printed %q: %v", out, err)
	}
	res.passed = sc.Passed
	for _, c := range sc.Checks {
		res.status[c.ID] = c.Status
	}
	return res
}

// TestAuditOfSDKHandlers audits endpoints built on the providers' official SDKs: a correct one
// passes every required check and exits 0; careless ones fail the checks their mistake breaks
// and exit 1; a slow one is flagged.
func TestAuditOfSDKHandlers(t *testing.T) {
	bin := buildHooktap(t)
	secrets := map[string]string{"stripe": "whsec_test_secret_for_sdkcheck", "github": "It's a Secret to Everybody", "standard": standardSecret}
	for _, p := range []string{"stripe", "github", "standard"} {
		t.Run("correct/"+p, func(t *testing.T) {
			r := runAudit(t, bin, startHandler(t, "correct", p, secrets[p], 0), p, secrets[p])
			if r.exit != 0 || !r.passed {
				t.Fatalf("a handler built on the %s SDK failed the audit (exit %d):\n%s", p, r.exit, r.raw)
			}
		})
	}
	t.Run("acceptall", func(t *testing.T) {
		r := runAudit(t, bin, startHandler(t, "acceptall", "stripe", secrets["stripe"], 0), "stripe", secrets["stripe"])
		if r.exit != 1 || r.passed {
			t.Fatalf("a handler that accepts everything: exit %d, want 1", r.exit)
		}
		for _, id := range []string{"tampered", "unsigned", "wrong_secret", "stale"} {
			if r.status[id] != "fail" {
				t.Errorf("%s = %s, want fail", id, r.status[id])
			}
		}
	})
	t.Run("parsedjson", func(t *testing.T) {
		r := runAudit(t, bin, startHandler(t, "parsedjson", "github", secrets["github"], 0), "github", secrets["github"])
		if r.exit != 1 || r.status["reserialised"] != "fail" || r.status["signed"] != "pass" {
			t.Fatalf("a handler verifying parsed JSON: exit %d, checks %v", r.exit, r.status)
		}
	})
	t.Run("slow", func(t *testing.T) {
		r := runAudit(t, bin, startHandler(t, "slow", "github", secrets["github"], 800*time.Millisecond), "github", secrets["github"], "--timeout", "1500ms")
		if r.status["speed"] != "warn" || r.status["signed"] != "pass" {
			t.Fatalf("a slow handler: checks %v, want speed warn", r.status)
		}
	})
}
