package e2e

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// screenWait bounds every wait for the screen to show something.
const screenWait = 10 * time.Second

// tmuxTUI is the real binary running with no subcommand (the inspector) in a detached tmux
// session on its own socket, so nothing of the user's tmux is touched.
type tmuxTUI struct {
	t        *testing.T
	socket   string
	exitFile string
	env      []string
}

// startTUI starts `hooktap` in a 120×40 tmux pane with config yaml and returns the session
// and the gateway address. It fails (never skips) without tmux when CI=true.
func startTUI(t *testing.T, yaml string) (*tmuxTUI, string) {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		requireInCI(t, "tmux is required for the TUI end-to-end test: apt-get install -y tmux")
	}
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.yaml")
	writeFile(t, cfg, yaml)
	gateway, admin := freeAddr(t), freeAddr(t)
	s := &tmuxTUI{t: t, socket: filepath.Join(dir, "tmux.sock"), exitFile: filepath.Join(dir, "exit-code"),
		env: append(cleanEnv(dir), "TERM=xterm-256color")}
	program := strings.Join(quoteAll(binary, "--data-dir", dir, "--config", cfg, "--addr", gateway,
		"--admin-addr", admin, "--tunnel", "off"), " ")
	// The exit code lands in a file the test polls; the pane then closes with the shell.
	shell := program + "; echo $? > " + shellQuote(s.exitFile)
	s.tmux("new-session", "-d", "-s", "hooktap", "-x", "120", "-y", "40", shell)
	t.Cleanup(func() { _ = s.command("kill-server").Run() })
	return s, gateway
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

func quoteAll(args ...string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = shellQuote(a)
	}
	return out
}

func (s *tmuxTUI) command(args ...string) *exec.Cmd {
	cmd := exec.Command("tmux", append([]string{"-f", "/dev/null", "-S", s.socket}, args...)...)
	cmd.Env = s.env
	return cmd
}

func (s *tmuxTUI) tmux(args ...string) string {
	s.t.Helper()
	out, err := s.command(args...).CombinedOutput()
	if err != nil {
		s.t.Fatalf("tmux %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// screen is what the pane shows now, as plain text.
func (s *tmuxTUI) screen() string {
	out, err := s.command("capture-pane", "-p", "-t", "hooktap").CombinedOutput()
	if err != nil {
		return ""
	}
	return string(out)
}

// keys sends key names as tmux spells them ("Enter", "Escape", "q").
func (s *tmuxTUI) keys(keys ...string) {
	s.t.Helper()
	s.tmux(append([]string{"send-keys", "-t", "hooktap"}, keys...)...)
}

// waitFor polls the screen until ok accepts it, and fails with the last screen after screenWait.
func (s *tmuxTUI) waitFor(what string, ok func(screen string) bool) string {
	s.t.Helper()
	deadline := time.Now().Add(screenWait)
	for {
		screen := s.screen()
		if ok(screen) {
			return screen
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("the screen never showed %s; it shows:\n%s", what, screen)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (s *tmuxTUI) waitForText(texts ...string) string {
	s.t.Helper()
	return s.waitFor(fmt.Sprintf("%q", texts), func(screen string) bool {
		for _, text := range texts {
			if !strings.Contains(screen, text) {
				return false
			}
		}
		return true
	})
}

// waitExit waits for the program to end and returns its exit code.
func (s *tmuxTUI) waitExit() string {
	s.t.Helper()
	deadline := time.Now().Add(screenWait)
	for {
		if b, err := os.ReadFile(s.exitFile); err == nil && strings.HasSuffix(string(b), "\n") {
			return strings.TrimSpace(string(b))
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("hooktap did not exit; the screen shows:\n%s", s.screen())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

var rowRE = regexp.MustCompile(`(?m)^│\d\d:\d\d:\d\d POST +\S+ +\S+ +([✓✗–]) +(\d{3})`)

// rows lists the verdict and status of every capture row on screen, newest first.
func rows(screen string) []string {
	var out []string
	for _, m := range rowRE.FindAllStringSubmatch(screen, -1) {
		out = append(out, m[1]+" "+m[2])
	}
	return out
}

func hasRows(want ...string) func(string) bool {
	return func(screen string) bool { return strings.Join(rows(screen), ",") == strings.Join(want, ",") }
}

// TestTUIShowsCapturesLive drives the inspector as a user would: an empty list that says what
// to do, a good and a bad request appearing live, the doctor on the bad one, help, a replay,
// and a clean quit.
func TestTUIShowsCapturesLive(t *testing.T) {
	s, gateway := startTUI(t, "gateway:\n  routes:\n    github:\n      verify: github\n      secret: \"github-secret\"\n")
	s.waitForText("hooktap", "gateway "+gateway, "1 route", "No captures yet")

	p := &proc{gateway: gateway}
	body := []byte(`{"action":"opened","number":1}`)
	h := signed(t, p, "github", body, time.Now())
	h.Set("X-GitHub-Event", "push")
	if status, answer := p.post(t, "/webhooks/github", body, h); status != 202 {
		t.Fatalf("signed request: %d %s", status, answer)
	}
	s.waitFor("the verified row", hasRows("✓ 202"))
	// A newline added on the way (a proxy, a heredoc): the signature no longer matches, and the
	// doctor can say why.
	if status, answer := p.post(t, "/webhooks/github", append(body, '\n'), h); status != 401 {
		t.Fatalf("badly signed request: %d %s", status, answer)
	}
	s.waitFor("the failed row above the verified one", hasRows("✗ 401", "✓ 202"))

	s.keys("g") // the newest capture: the bad one
	s.keys("Enter")
	// Zoomed, the detail fills the screen: the list pane is gone. Each key waits for the state
	// the previous one leads to, so none lands early.
	s.waitFor("the bad capture's reason and the doctor, full screen", func(screen string) bool {
		return !strings.Contains(screen, "Captures 1/2") && strings.Contains(screen, "signature mismatch (mismatch)") &&
			strings.Contains(screen, "doctor:") && strings.Contains(screen, "trailing_newline")
	})
	s.keys("Escape")
	s.waitForText("Captures 1/2")

	s.keys("?")
	s.waitForText("replay", "re-sign", "edit", "curl", "export", "diff", "filter", "craft", "preview",
		"routes", "help", "quit", "newest", "oldest")
	s.keys("?")
	s.waitFor("the short help again", func(screen string) bool { return !strings.Contains(screen, "oldest") })

	s.keys("r")
	s.waitFor("a third row from the replay", hasRows("✗ 401", "✗ 401", "✓ 202"))
	s.waitForText("Captures 1/3", "replay of #")

	s.keys("q")
	if code := s.waitExit(); code != "0" {
		t.Fatalf("hooktap exited %s after q, want 0", code)
	}
}

// TestTUINotifyPreviewAndSend opens the notify page, checks the Slack preview of budget_warning
// shows the catalogue's text, and sends it to a configured webhook after the confirmation: the
// receiver gets exactly the body the page showed.
func TestTUINotifyPreviewAndSend(t *testing.T) {
	var mu sync.Mutex
	var bodies []string
	rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		bodies = append(bodies, string(b))
		mu.Unlock()
	}))
	defer rcv.Close()
	received := func() []string { mu.Lock(); defer mu.Unlock(); return append([]string(nil), bodies...) }

	s, _ := startTUI(t, "notify:\n  webhooks:\n    - id: ops\n      url: "+rcv.URL+"/hook\n      format: slack\n      events: [budget_warning]\n")
	s.waitForText("No captures yet")
	s.keys("p")
	const seed = "⚠️ Budget Warning: daily budget at 85.0% ($8.50 / $10.00)"
	s.waitForText("[notify]", "Preview · budget_warning · slack", seed, "ops (slack)")

	s.keys("Tab", "j", "j", "j") // the targets: slack, discord, generic, then the ops webhook
	s.waitForText("Preview · budget_warning · ops (slack)")
	s.keys("C-s")
	s.waitForText("Send budget_warning to webhook ops")
	if got := received(); len(got) != 0 {
		t.Fatalf("sent before the confirmation: %q", got)
	}
	s.keys("y")
	s.waitForText("budget_warning → ops: delivered, 200 after 1 attempt")
	want := `{"text":"` + seed + `","blocks":[{"type":"section","text":{"type":"mrkdwn","text":"` + seed + `"}}]}`
	if got := received(); len(got) != 1 || got[0] != want {
		t.Fatalf("the webhook received %q, want exactly %s", got, want)
	}

	s.keys("Escape")
	s.waitForText("[inspector]")
	s.keys("q")
	if code := s.waitExit(); code != "0" {
		t.Fatalf("hooktap exited %s after q, want 0", code)
	}
}

// TestTUICraftsAndReplays crafts a signed Stripe event on the craft page and sends it to the
// running gateway (it arrives verified), then makes a re-signed replay and an edit-and-replay of
// it from the inspector: each one is a new capture.
func TestTUICraftsAndReplays(t *testing.T) {
	s, _ := startTUI(t, "gateway:\n  routes:\n    github:\n      secret: \"github-secret\"\n"+
		"    stripe:\n      verify: stripe\n      secret: \"whsec_tui_test\"\n")
	s.waitForText("No captures yet")

	s.keys("n")
	s.waitForText("[craft]", "github ping")
	s.keys("j", "j") // github, gitlab, stripe
	s.waitForText("stripe payment_intent.succeeded · stripe")
	s.keys("Tab", "Tab", "j") // to the target list: route github, route stripe
	s.waitForText("to route stripe")
	s.keys("Enter")
	s.waitForText("1×202")

	s.keys("Escape")
	s.waitForText("[inspector]")
	s.waitFor("the crafted Stripe event, verified", hasRows("✓ 202"))

	s.keys("R")
	s.waitForText("Captures 1/2")
	s.keys("g", "e")
	s.waitForText("ctrl+s")
	s.keys("C-s")
	s.waitForText("Captures 1/3")

	s.keys("q")
	if code := s.waitExit(); code != "0" {
		t.Fatalf("hooktap exited %s after q, want 0", code)
	}
}
