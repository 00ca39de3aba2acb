package app

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hooktap/hooktap/config"
)

// secret is the gateway's global secret; every request here is signed GitHub-style with it.
const secret = "integration-secret"

// receiver stands in for Slack, Discord, a generic endpoint or a forward target: it records
// every body and header set and answers with status (200 when unset).
type receiver struct {
	srv    *httptest.Server
	status atomic.Int32
	mu     sync.Mutex
	bodies []string
	heads  []http.Header
}

func newReceiver(t *testing.T) *receiver {
	t.Helper()
	r := &receiver{}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		b, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.bodies = append(r.bodies, string(b))
		r.heads = append(r.heads, req.Header.Clone())
		r.mu.Unlock()
		if s := r.status.Load(); s != 0 {
			w.WriteHeader(int(s))
		}
	}))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *receiver) received() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.bodies...)
}

// running is one real app: gateway and admin on 127.0.0.1:0, store in a temp dir.
type running struct {
	t     *testing.T
	app   *App
	hooks *receiver // the notify webhook "ops" (generic format: its host is 127.0.0.1)
}

// startApp writes routesYAML (the body of gateway.routes) into a config with the ops webhook,
// builds the app with app.New and runs it until the test ends.
func startApp(t *testing.T, routesYAML string) *running { return startAppOn(t, routesYAML, "") }

// startAppOn is startApp with the capture store at store.
func startAppOn(t *testing.T, routesYAML, store string) *running {
	t.Helper()
	hooks := newReceiver(t)
	dir := t.TempDir()
	yaml := fmt.Sprintf(`gateway:
  secret: %q
  routes:
%s
notify:
  webhooks:
    - id: ops
      url: %q
      events: [signature_failed, failover, target_down, target_up, daily_summary]
      retry: {max_attempts: 1}
`, secret, routesYAML, hooks.srv.URL+"/ops")
	path := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	return &running{t: t, app: runAppOn(t, path, dir, store), hooks: hooks}
}

// runApp loads the config file at path (data in dir) as `hooktap serve` would, with every
// listener on 127.0.0.1:0, and runs the app until the test ends.
func runApp(t *testing.T, path, dir string) *App { return runAppOn(t, path, dir, "") }

// runAppOn is runApp with the capture store at store (--store; "" for the data dir's file).
func runAppOn(t *testing.T, path, dir, store string) *App {
	t.Helper()
	cfg, err := config.Load(config.Overrides{ConfigFile: path, DataDir: dir, Store: store, Addr: "127.0.0.1:0",
		AdminAddr: "127.0.0.1:0", Tunnel: "off"}, nil)
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	a, err := New(cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatalf("app.New: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Run: %v", err)
			}
		case <-time.After(15 * time.Second):
			t.Error("Run did not return within 15s of cancel")
		}
	})
	return a
}

// post sends body to /webhooks/{route} as a GitHub event, signed with sig (computed when empty).
func (r *running) post(route, event, body, sig string) (int, string) {
	r.t.Helper()
	if sig == "" {
		m := hmac.New(sha256.New, []byte(secret))
		m.Write([]byte(body))
		sig = "sha256=" + hex.EncodeToString(m.Sum(nil))
	}
	req, err := http.NewRequest(http.MethodPost, "http://"+r.app.GatewayAddr()+"/webhooks/"+route, strings.NewReader(body))
	if err != nil {
		r.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-GitHub-Event", event)
	req.Header.Set("X-Hub-Signature-256", sig)
	return do(r.t, req)
}

func do(t *testing.T, req *http.Request) (int, string) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// eventually polls cond every 20 ms for up to 10 s: notify queues and background deliveries are
// asynchronous by design, but never unbounded.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if cond() {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("%s: not within 10s", what)
}

// genericMsg is a generic-format notify body.
type genericMsg struct {
	Event     string         `json:"event"`
	Timestamp string         `json:"timestamp"`
	Data      map[string]any `json:"data"`
}

// events decodes every generic body the ops webhook received.
func (r *running) events() []genericMsg {
	var out []genericMsg
	for _, b := range r.hooks.received() {
		var m genericMsg
		if err := json.Unmarshal([]byte(b), &m); err != nil {
			r.t.Fatalf("ops received a body that is not generic JSON: %v: %s", err, b)
		}
		out = append(out, m)
	}
	return out
}

// waitEvent waits until ops received event with every field of want in its data.
func (r *running) waitEvent(event string, want map[string]any) genericMsg {
	r.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		for _, m := range r.events() {
			if m.Event == event && hasFields(m.Data, want) {
				if _, err := time.Parse(time.RFC3339, m.Timestamp); err != nil {
					r.t.Errorf("%s timestamp %q is not RFC 3339", event, m.Timestamp)
				}
				return m
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	r.t.Fatalf("ops webhook did not receive %s with %v within 10s; it received:\n%s",
		event, want, strings.Join(r.hooks.received(), "\n"))
	return genericMsg{}
}

func (r *running) countEvents(event string) int {
	n := 0
	for _, m := range r.events() {
		if m.Event == event {
			n++
		}
	}
	return n
}

func hasFields(data, want map[string]any) bool {
	for k, v := range want {
		if fmt.Sprint(data[k]) != fmt.Sprint(v) {
			return false
		}
	}
	return true
}

// captureID reads the capture id from a gateway answer ({"status":…,"id":…}).
func captureID(t *testing.T, answer string) string {
	t.Helper()
	var v struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal([]byte(answer), &v); err != nil || v.ID == "" {
		t.Fatalf("answer %q carries no capture id (%v)", answer, err)
	}
	return v.ID
}

func postJSON(t *testing.T, url, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader([]byte(body)))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	return do(t, req)
}
