package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hooktap/hooktap/admin"
	"github.com/hooktap/hooktap/app"
	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/config"
	"github.com/hooktap/hooktap/gateway"
)

// craftEnv is a data dir, a config file naming signed routes, and the real gateway serving
// them on 127.0.0.1 — what `hooktap send` and `hooktap replay` talk to.
type craftEnv struct {
	dir, configFile string
	store           *capture.SQLite
	gateway         string // the gateway's base URL
}

// serveAdminFor runs the admin API beside gw and records both in runtime.json, as a running
// hooktap does, so commands find the instance (replays go through its gateway).
func serveAdminFor(t *testing.T, ctx context.Context, cfg *config.Config, st *capture.SQLite, gw *gateway.Server, gatewayAddr string) chan struct{} {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := admin.New(admin.Deps{Config: cfg, Store: st, GatewayAddr: gatewayAddr, GatewayReplay: gw.Replay})
	done := make(chan struct{})
	go func() { _ = srv.Serve(ctx, ln); close(done) }()
	rt, _ := json.Marshal(app.Runtime{PID: os.Getpid(), Gateway: gatewayAddr, Admin: ln.Addr().String(), StartedAt: time.Now()})
	if err := os.WriteFile(filepath.Join(cfg.DataDir, "runtime.json"), rt, 0o600); err != nil {
		t.Fatal(err)
	}
	return done
}

func newCraftEnv(t *testing.T) *craftEnv {
	t.Helper()
	dir := t.TempDir()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	cfgFile := filepath.Join(dir, "config.yaml")
	yaml := fmt.Sprintf(`gateway:
  port: %d
  routes:
    github-pr:
      secret: gh-secret
      verify: github
    stripe:
      secret: whsec_stripe_test
      verify: stripe
`, port)
	if err := os.WriteFile(cfgFile, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(config.Overrides{ConfigFile: cfgFile, DataDir: dir}, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	st, err := capture.Open(cfg.StorePath())
	if err != nil {
		t.Fatal(err)
	}
	gw, err := gateway.New(cfg, st)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { _ = gw.Serve(ctx, ln); close(done) }()
	adminDone := serveAdminFor(t, ctx, cfg, st, gw, ln.Addr().String())
	t.Cleanup(func() { cancel(); <-done; <-adminDone; st.Close() })
	return &craftEnv{dir: dir, configFile: cfgFile, store: st, gateway: fmt.Sprintf("http://127.0.0.1:%d", port)}
}

// run executes hooktap ARGS against the env's config and data dir.
func (c *craftEnv) run(t *testing.T, stdin string, args ...string) (string, string, int) {
	t.Helper()
	t.Setenv("HOOKTAP_CONFIG", "")
	t.Setenv("NO_COLOR", "1")
	var out, errb bytes.Buffer
	full := append(append([]string{}, args...), "--config", c.configFile, "--data-dir", c.dir)
	code := Main(context.Background(), full, strings.NewReader(stdin), &out, &errb)
	return out.String(), errb.String(), code
}

func (c *craftEnv) newest(t *testing.T) *capture.Capture {
	t.Helper()
	page, err := c.store.List(context.Background(), capture.Filter{Limit: 1, WithBody: true})
	if err != nil || len(page.Captures) == 0 {
		t.Fatalf("no capture: %v", err)
	}
	return page.Captures[0]
}

func TestSendList(t *testing.T) {
	env := newCraftEnv(t)
	out, _, code := env.run(t, "", "send", "--list", "--json")
	var ps []struct {
		Name   string   `json:"name"`
		Events []string `json:"events"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &ps) != nil || len(ps) < 7 {
		t.Fatalf("send --list --json: exit %d\n%s", code, out)
	}
	if out, stderr, code := env.run(t, "", "send", "standard", "generic", "--print"); code != 0 || !strings.Contains(out, "webhook-signature: v1,") {
		t.Fatalf("standard with the test secret: exit %d %s%s", code, out, stderr)
	}
	out, _, _ = env.run(t, "", "send", "--list")
	for _, want := range []string{"github", "orders/create", "budget.exceeded", "x-costkatana-signature", "twilio", "endpoint.url_validation"} {
		if !strings.Contains(out, want) {
			t.Errorf("--list lacks %s", want)
		}
	}
	for _, internal := range []string{"seed", "timestamped", "fixture"} {
		if strings.Contains(out, internal) {
			t.Errorf("--list speaks of %q, which means nothing to a user:\n%s", internal, out)
		}
	}
}

func TestSendToGatewayAndNegativeVariants(t *testing.T) {
	env := newCraftEnv(t)
	tests := []struct {
		name   string
		args   []string
		status int
		want   string
	}{
		{"signed", []string{"send", "github", "pull_request", "--route", "github-pr", "--set", "pull_request.title=Hello"}, 202, "202"},
		{"duplicate", []string{"send", "github", "push", "--route", "github-pr", "--duplicate"}, 200, `"status":"duplicate"`},
		{"tamper", []string{"send", "github", "push", "--route", "github-pr", "--tamper"}, 401, "mismatch"},
		{"stale", []string{"send", "stripe", "payment_intent.succeeded", "--route", "stripe", "--stale", "10m"}, 401, "timestamp_out_of_tolerance"},
		{"oversize", []string{"send", "github", "push", "--route", "github-pr", "--oversize"}, 413, "413"},
		{"default route by provider name", []string{"send", "stripe", "checkout.session.completed"}, 202, "202"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, stderr, code := env.run(t, "", tc.args...)
			if code != 0 || !strings.Contains(out, tc.want) {
				t.Fatalf("exit %d\nstdout %s\nstderr %s", code, out, stderr)
			}
			if c := env.newest(t); c.Status != tc.status || c.Source != capture.SourceCraft {
				t.Fatalf("newest capture: status %d source %s", c.Status, c.Source)
			}
		})
	}
	if c := env.newest(t); c.Route != "stripe" || c.Verification.Result != "verified" {
		t.Fatalf("crafted stripe event not verified by the gateway: %+v", c.Verification)
	}
	out, _, code := env.run(t, "", "send", "github", "push", "--route", "github-pr", "--burst", "3")
	if code != 0 || !strings.Contains(out, "burst of 3: 3 × 202") {
		t.Fatalf("burst: exit %d\n%s", code, out)
	}
}

func TestSendBadInput(t *testing.T) {
	env := newCraftEnv(t)
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	refused := "http://" + ln.Addr().String() + "/hook"
	ln.Close()
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"unknown provider", []string{"send", "mailchimp", "subscribe"}, 2, "valid providers: github"},
		{"unknown event", []string{"send", "github", "gollum"}, 2, "valid events: ping, push"},
		{"unknown route", []string{"send", "github", "push", "--route", "nope"}, 2, "routes: github-pr, stripe"},
		{"no target", []string{"send", "gitlab", "push"}, 2, "--route NAME"},
		{"both targets", []string{"send", "github", "push", "--route", "github-pr", "--to", refused}, 2, "pick one"},
		{"bad set", []string{"send", "github", "push", "--route", "github-pr", "--set", "ref.x=1"}, 1, "ref is a string"},
		{"refused", []string{"send", "github", "push", "--to", refused}, 1, "refused"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, stderr, code := env.run(t, "", tc.args...)
			if code != tc.code || !strings.Contains(stderr, tc.want) {
				t.Fatalf("exit %d (want %d), stderr %q (want %q)", code, tc.code, stderr, tc.want)
			}
		})
	}
	if c := env.newest(t); len(c.Deliveries) != 1 || c.Deliveries[0].Error == "" || c.Source != capture.SourceCraft {
		t.Fatalf("refused attempt not captured: %+v", c)
	}
}

func TestReplayCommand(t *testing.T) {
	env := newCraftEnv(t)
	if _, stderr, code := env.run(t, "", "send", "github", "push", "--route", "github-pr"); code != 0 {
		t.Fatalf("send: %s", stderr)
	}
	orig := env.newest(t)
	out, stderr, code := env.run(t, "", "replay", orig.ID[:10], "--resign", "--json")
	var res []struct {
		ReplayOf string              `json:"replay_of"`
		Capture  capture.CaptureJSON `json:"capture"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &res) != nil || len(res) != 1 || res[0].Capture.ReplayOf != orig.ID || res[0].Capture.Status/100 != 2 {
		t.Fatalf("replay --json: exit %d\n%s\n%s", code, out, stderr)
	}
	// A plain replay keeps the delivery id, and is delivered again all the same: the running
	// hooktap's gateway runs it as a replay, which idempotency does not apply to.
	out, stderr, code = env.run(t, "", "replay", "#"+strings.ToUpper(capture.ShortID(orig.ID)))
	if code != 0 || strings.Contains(out, "duplicate") || env.newest(t).ReplayOf != orig.ID || env.newest(t).Source != capture.SourceReplay {
		t.Fatalf("plain replay by the TUI's short id: exit %d\n%s\n%s", code, out, stderr)
	}

	editor := filepath.Join(env.dir, "ed.sh")
	os.WriteFile(editor, []byte("#!/bin/sh\nprintf 'not json at all' > \"$1\"\n"), 0o700)
	t.Setenv("EDITOR", editor)
	out, stderr, code = env.run(t, "", "replay", orig.ID, "--edit")
	if code != 0 || !strings.Contains(stderr, "not valid JSON") || string(env.newest(t).Body) != "not json at all" {
		t.Fatalf("replay --edit: exit %d\n%s\n%s", code, out, stderr)
	}
	t.Setenv("EDITOR", "")
	t.Setenv("PATH", "")
	_, stderr, code = env.run(t, "", "replay", orig.ID, "--edit")
	if code != 1 || !strings.Contains(stderr, "$EDITOR is not set; using vi") {
		t.Fatalf("replay --edit without $EDITOR: exit %d %s", code, stderr)
	}

	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"replay", "01zzzzzzzz"}, 1, "no capture with id"},
		{[]string{"replay"}, 2, "give capture ids"},
		{[]string{"replay", orig.ID, "--resign", "--keep-signature"}, 2, "pick one"},
		{[]string{"replay", "--route", "nope"}, 1, "no captures match"},
	} {
		_, stderr, code := env.run(t, "", tc.args...)
		if code != tc.code || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, stderr %q", tc.args, code, stderr)
		}
	}
	out, stderr, code = env.run(t, "", "replay", "--route", "github-pr", "--concurrency", "2", "--resign")
	if code != 0 || strings.Count(out, "replayed") < 4 {
		t.Fatalf("filter replay: exit %d\n%s\n%s", code, out, stderr)
	}
}
