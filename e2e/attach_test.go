package e2e

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Issue 16: a running hooktap's captures, replays and deliveries from another terminal, through
// its admin API (here on loopback; on a server, through ssh -L).

// arrivals is a forward target that hands over each body it receives.
func arrivals(t *testing.T) (*httptest.Server, chan string) {
	t.Helper()
	got := make(chan string, 16)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- string(b)
	}))
	t.Cleanup(srv.Close)
	return srv, got
}

func arrived(t *testing.T, got chan string, want string) {
	t.Helper()
	select {
	case b := <-got:
		if b != want {
			t.Fatalf("the target received %q, want %q", b, want)
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("the target never received %q", want)
	}
}

func TestRemoteCapturesReplayAndDeliveries(t *testing.T) {
	target, got := arrivals(t)
	p := serve(t, fmt.Sprintf(`
admin:
  token: team-token
gateway:
  routes:
    fwd:
      secret: INSECURE_NO_AUTH
      deliver: forward
      deliver_extra: { url: "%s/hook" }
`, target.URL))
	bodies := []string{`{"n":1,"team":"a"}`, `{"n":2,"team":"b"}`}
	for _, b := range bodies {
		if status, answer := p.post(t, "/webhooks/fwd", []byte(b), nil); status != 202 {
			t.Fatalf("post: %d %s", status, answer)
		}
		arrived(t, got, b)
	}
	// Another machine: its own (empty) data dir, only the admin URL and the token.
	elsewhere := t.TempDir()
	remote := "http://" + p.admin

	out, stderr, code := run(t, elsewhere, "captures", "list", "--remote", remote)
	if code == 0 || !contains(stderr, "token") {
		t.Fatalf("list without the token: exit %d\n%s\n%s", code, out, stderr)
	}

	out, stderr, code = run(t, elsewhere, "captures", "list", "--remote", remote, "--token", "team-token", "--json")
	var list struct {
		Captures []captureJSON `json:"captures"`
	}
	if err := json.Unmarshal([]byte(out), &list); err != nil || code != 0 || len(list.Captures) != 2 {
		t.Fatalf("captures list --remote: exit %d %v\n%s\n%s", code, err, out, stderr)
	}
	first := list.Captures[1] // newest first
	if first.Route != "fwd" || first.Status != 202 {
		t.Errorf("listed %+v", first)
	}

	out, stderr, code = run(t, elsewhere, "captures", "show", first.ID[len(first.ID)-6:], "--remote", remote, "--token", "team-token", "--raw")
	if code != 0 || out != bodies[0] {
		t.Fatalf("captures show --remote --raw: exit %d %q\n%s", code, out, stderr)
	}

	// The replay goes through the server's gateway: verified and delivered again, not a duplicate.
	out, stderr, code = run(t, elsewhere, "replay", first.ID, "--remote", remote, "--token", "team-token", "--json")
	var replays []replayed
	if err := json.Unmarshal([]byte(out), &replays); err != nil || code != 0 || len(replays) != 1 {
		t.Fatalf("replay --remote: exit %d %v\n%s\n%s", code, err, out, stderr)
	}
	if r := replays[0].Capture; r.ReplayOf != first.ID || r.Source != "replay" || r.Status/100 != 2 || !contains(r.ResponseBody, "delivered") {
		t.Errorf("replay's capture: %+v", r)
	}
	arrived(t, got, bodies[0])

	out, stderr, code = run(t, elsewhere, "deliveries", "list", "--remote", remote, "--token", "team-token", "--json")
	if code != 0 || strings.TrimSpace(out) != "[]" {
		t.Errorf("deliveries list --remote after every delivery succeeded: exit %d\n%s\n%s", code, out, stderr)
	}
	out, stderr, code = run(t, elsewhere, "captures", "list", "--remote", remote, "--token", "team-token", "--source", "replay")
	if code != 0 || !contains(out, "fwd") || strings.Count(out, "\n") < 2 {
		t.Errorf("the replay is not listed remotely: exit %d\n%s\n%s", code, out, stderr)
	}
}

// startAttach runs `hooktap attach URL --token T` from its own data dir in a 120×40 tmux pane.
func startAttach(t *testing.T, url, token string) *tmuxTUI {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		requireInCI(t, "tmux is required for the TUI end-to-end test: apt-get install -y tmux")
	}
	dir := t.TempDir()
	s := &tmuxTUI{t: t, socket: filepath.Join(dir, "tmux.sock"), exitFile: filepath.Join(dir, "exit-code"),
		env: append(cleanEnv(dir), "TERM=xterm-256color", "HOOKTAP_ADMIN_TOKEN="+token)}
	program := strings.Join(quoteAll(binary, "attach", url, "--data-dir", dir), " ")
	s.tmux("new-session", "-d", "-s", "hooktap", "-x", "120", "-y", "40", program+"; echo $? > "+shellQuote(s.exitFile))
	t.Cleanup(func() { _ = s.command("kill-server").Run() })
	return s
}

// TestAttachShowsTheServersCapturesLive is the team's view: `hooktap serve` runs (on a server);
// another terminal attaches to its admin API, sees a delivery that arrives afterwards with its
// verdict and the doctor's finding, replays it through the server's gateway, and quits.
func TestAttachShowsTheServersCapturesLive(t *testing.T) {
	p := serve(t, "admin:\n  token: team-token\ngateway:\n  routes:\n    github:\n      verify: github\n      secret: \"github-secret\"\n")
	s := startAttach(t, "http://"+p.admin, "team-token")
	s.waitForText("attached http://"+p.admin, "No captures yet")

	body := []byte(`{"action":"opened","number":1}`)
	h := signed(t, p, "github", body, time.Now())
	h.Set("X-GitHub-Event", "push")
	if status, answer := p.post(t, "/webhooks/github", append(body, '\n'), h); status != 401 {
		t.Fatalf("badly signed request: %d %s", status, answer)
	}
	s.waitFor("the failed row, live", hasRows("✗ 401"))
	s.keys("Enter")
	// Zoomed, the list pane is gone; waiting for that keeps Escape from landing early (and from
	// joining the next key as alt+r).
	s.waitFor("the capture's reason and the doctor, full screen", func(screen string) bool {
		return !strings.Contains(screen, "Captures 1/1") && strings.Contains(screen, "signature mismatch (mismatch)") &&
			strings.Contains(screen, "doctor:") && strings.Contains(screen, "trailing_newline")
	})
	s.keys("Escape")
	s.waitForText("Captures 1/1")

	s.keys("r")
	s.waitFor("a second row from the server's replay", hasRows("✗ 401", "✗ 401"))
	s.waitForText("Captures 1/2", "replay of #")

	s.keys("n")
	s.waitForText("Craft — not available while attached")
	s.keys("1")
	s.keys("q")
	if code := s.waitExit(); code != "0" {
		t.Fatalf("hooktap attach exited %s after q, want 0", code)
	}
}
