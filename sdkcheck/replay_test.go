package sdkcheck

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestResignedReplaysAcceptedBySDK captures a crafted delivery on each route of a real
// `hooktap serve`, replays it with `hooktap replay ID --resign --to URL`, and asks the
// provider's official SDK to verify what arrived with the route's secret: the path a developer
// takes to send a captured payload to their own handler with a fresh signature. The captures are
// signed ten minutes in the past, so for every scheme with a timestamp only a real re-signing
// passes the SDK's tolerance.
func TestResignedReplaysAcceptedBySDK(t *testing.T) {
	bin := buildHooktap(t)
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(cfg, []byte(replayConfig()), 0o600); err != nil {
		t.Fatal(err)
	}
	hooktap := func(args ...string) *exec.Cmd {
		cmd := exec.Command(bin, append([]string{"--config", cfg, "--data-dir", dir}, args...)...)
		cmd.Env = append(os.Environ(), "XDG_CONFIG_HOME="+dir, "XDG_DATA_HOME="+dir, "NO_COLOR=1")
		return cmd
	}
	startServe(t, hooktap("serve", "--addr", "127.0.0.1:0", "--admin-addr", "127.0.0.1:0", "--tunnel", "off"))
	rec := newRecorder(t)
	var cases []sdkCase
	for _, c := range resignCases {
		id := craftedCapture(t, hooktap, c)
		got := rec.replay(t, hooktap, id)
		cases = append(cases, sdkCase{Mode: "verify", Scheme: c.sdk, Secret: c.secret, Body: got.body,
			URL: got.url, Headers: flatten(got.header)})
	}
	results := runSDK(t, cases)
	for i, c := range resignCases {
		t.Run(c.provider+"/"+c.event, func(t *testing.T) {
			if !results[i].OK {
				t.Errorf("the %s SDK rejected a re-signed replay of %s %s: %s (headers %v)",
					c.sdk, c.provider, c.event, results[i].Error, cases[i].Headers)
			}
		})
	}
}

// resignCases are the craft cases a route can re-sign and the SDK can check in one batch at the
// end: not discord (a route holds only the public key), twilio (the signed URL is the route's,
// not the replay target's) or paddle (its SDK allows 5 s between signing and verifying).
var resignCases = func() []craftCase {
	var out []craftCase
	for _, c := range craftCases {
		switch c.provider {
		case "discord", "twilio", "paddle":
		default:
			out = append(out, c)
		}
	}
	return out
}()

// routeName is the route the replay test gives each craft case's provider.
func routeName(c craftCase) string { return "r-" + c.provider }

// replayConfig has one route per provider in craftCases, with that case's secret.
func replayConfig() string {
	var b strings.Builder
	b.WriteString("gateway:\n  routes:\n")
	seen := map[string]bool{}
	for _, c := range resignCases {
		if seen[c.provider] {
			continue
		}
		seen[c.provider] = true
		fmt.Fprintf(&b, "    %s:\n      verify: %s\n      secret: %q\n", routeName(c), c.provider, c.secret)
	}
	return b.String()
}

// craftedCapture sends c's event, signed ten minutes ago, to its route on the running gateway
// and returns the capture id.
func craftedCapture(t *testing.T, hooktap func(...string) *exec.Cmd, c craftCase) string {
	t.Helper()
	out, err := hooktap("send", c.provider, c.event, "--route", routeName(c), "--stale", "10m", "--json").Output()
	if err != nil {
		t.Fatalf("hooktap send %s %s: %v\n%s", c.provider, c.event, err, out)
	}
	var captured struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(out, &captured); err != nil || captured.ID == "" {
		t.Fatalf("hooktap send --json printed %q (%v), want the capture", out, err)
	}
	return captured.ID
}

// replay runs hooktap replay ID --resign --to the recorder and returns what arrived.
func (r *recorder) replay(t *testing.T, hooktap func(...string) *exec.Cmd, id string) delivery {
	t.Helper()
	r.mu.Lock()
	r.last = nil
	r.mu.Unlock()
	if out, err := hooktap("replay", id, "--resign", "--to", r.srv.URL+"/hooks").CombinedOutput(); err != nil {
		t.Fatalf("hooktap replay %s --resign: %v\n%s", id, err, out)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.last == nil {
		t.Fatalf("hooktap replay %s sent nothing", id)
	}
	return *r.last
}

var startedRE = regexp.MustCompile(`msg="hooktap started" gateway=`)

// startServe starts cmd (hooktap serve), waits for its start-up line and stops it when the test
// ends.
func startServe(t *testing.T, cmd *exec.Cmd) {
	t.Helper()
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		_ = cmd.Wait()
	})
	started := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(stderr)
		signalled := false
		for sc.Scan() { // read to the end so serve never blocks on a full pipe
			if !signalled && startedRE.MatchString(sc.Text()) {
				close(started)
				signalled = true
			}
		}
	}()
	select {
	case <-started:
	case <-time.After(20 * time.Second):
		t.Fatal("hooktap serve did not start within 20s")
	}
}
