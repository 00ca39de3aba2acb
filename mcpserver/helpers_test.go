package mcpserver_test

import (
	"bytes"
	"context"
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
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/hooktap/hooktap/app"
	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/config"
	"github.com/hooktap/hooktap/mcpserver"
	"github.com/hooktap/hooktap/signature"
)

// The routes' secrets: none of them may appear in any tool result.
const (
	stripeSecret = "whsec_mcpStripeSecret0123456789"
	githubSecret = "gh-mcp-secret-0123456789"
	tokenSecret  = "tok-mcp-secret-0123456789abcdef"
	adminToken   = "admin-mcp-token-0123456789"
)

const routesYAML = `gateway:
  routes:
    stripe:
      verify: stripe
      secret: %q
    github:
      verify: github
      secret: %q
    tok:
      verify: header
      signature_header: X-Api-Token
      secret: %q
    fwd:
      secret: INSECURE_NO_AUTH
      deliver: forward
      deliver_extra: { url: "http://127.0.0.1:1/never-answers?token=fwd-url-token-0123456789" }
admin:
  token: %q
`

// gateway is one real running hooktap (app.New + Run) with a data dir of its own.
type gateway struct {
	t   testing.TB
	app *app.App
	cfg *config.Config
}

func startGateway(t testing.TB) *gateway {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "config.yaml")
	yaml := fmt.Sprintf(routesYAML, stripeSecret, githubSecret, tokenSecret, adminToken)
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(config.Overrides{ConfigFile: path, DataDir: dir, Addr: "127.0.0.1:0",
		AdminAddr: "127.0.0.1:0", Tunnel: "off"}, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	a, err := app.New(cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			t.Error("the app did not stop within 15s")
		}
	})
	return &gateway{t: t, app: a, cfg: cfg}
}

func (g *gateway) url(path string) string { return "http://" + g.app.GatewayAddr() + path }

// post sends body with headers h to path on the gateway and returns the status.
func (g *gateway) post(path string, body []byte, h http.Header) int {
	g.t.Helper()
	req, err := http.NewRequest(http.MethodPost, g.url(path), bytes.NewReader(body))
	if err != nil {
		g.t.Fatal(err)
	}
	req.Header = h
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		g.t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// postStripeReserialised signs a compact body as Stripe does, then sends it pretty-printed, as a
// framework that re-encodes JSON before checking would.
func (g *gateway) postStripeReserialised() {
	g.t.Helper()
	compact := []byte(`{"id":"evt_1","type":"payment_intent.succeeded","data":{"object":{"id":"pi_1","amount":2000}}}`)
	h, err := signature.Sign(signature.SchemeStripe, signature.SignInput{Secret: stripeSecret, Body: compact, Timestamp: time.Now()})
	if err != nil {
		g.t.Fatal(err)
	}
	var pretty bytes.Buffer
	if err := json.Indent(&pretty, compact, "", "  "); err != nil {
		g.t.Fatal(err)
	}
	h.Set("Content-Type", "application/json")
	if st := g.post("/webhooks/stripe", pretty.Bytes(), h); st != http.StatusUnauthorized {
		g.t.Fatalf("re-serialised Stripe event answered %d, want 401", st)
	}
}

// postToken sends a request to the header-scheme route with the secret in X-Api-Token.
func (g *gateway) postToken() {
	g.t.Helper()
	h := http.Header{"Content-Type": {"application/json"}, "X-Api-Token": {tokenSecret}}
	if st := g.post("/webhooks/tok", []byte(`{"hello":"token"}`), h); st != http.StatusAccepted {
		g.t.Fatalf("token route answered %d, want 202", st)
	}
}

// deps are the MCP server's dependencies on the running app's own parts, as /mcp has them.
func (g *gateway) deps() mcpserver.Deps {
	in := mcpserver.Instance{DataDir: g.cfg.DataDir, Running: true, InProcess: true, PID: os.Getpid(),
		Gateway: config.LocalBaseURL(g.app.GatewayAddr()), Admin: config.LocalBaseURL(g.app.AdminAddr())}
	return mcpserver.Deps{
		Config:    g.cfg,
		Routes:    g.app.Gateway.Routes,
		OpenStore: func(bool) (capture.Store, func(), error) { return g.app.Store, func() {}, nil },
		Instance:  func() mcpserver.Instance { return in },
		PublicURL: g.app.PublicURL,
	}
}

// connect is the SDK's client on an in-memory transport to a server built from deps.
func connect(t testing.TB, d mcpserver.Deps) *mcp.ClientSession {
	t.Helper()
	ctx := context.Background()
	serverT, clientT := mcp.NewInMemoryTransports()
	ss, err := mcpserver.New(d).Connect(ctx, serverT, nil)
	if err != nil {
		t.Fatal(err)
	}
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "test", Version: "v0"}, nil).Connect(ctx, clientT, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cs.Close(); ss.Wait() })
	return cs
}

// call calls a tool and fails the test on a protocol error (tool errors come back as results).
func call(t testing.TB, cs *mcp.ClientSession, name string, args any) *mcp.CallToolResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 45*time.Second)
	defer cancel()
	res, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: name, Arguments: args})
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	recordResult(t, res)
	return res
}

// ok calls a tool that must succeed and decodes its structured result into out.
func ok(t testing.TB, cs *mcp.ClientSession, name string, args any, out any) string {
	t.Helper()
	res := call(t, cs, name, args)
	if res.IsError {
		t.Fatalf("%s(%v) failed: %s", name, args, text(res))
	}
	raw, err := json.Marshal(res.StructuredContent)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, out); err != nil {
		t.Fatalf("%s: structured result %s: %v", name, raw, err)
	}
	if strings.TrimSpace(text(res)) == "" {
		t.Errorf("%s: no text summary", name)
	}
	return text(res)
}

func text(res *mcp.CallToolResult) string {
	var b strings.Builder
	for _, c := range res.Content {
		if tc, ok := c.(*mcp.TextContent); ok {
			b.WriteString(tc.Text)
		}
	}
	return b.String()
}

// results keeps every result a test saw, so masking can be checked over all of them.
var results = struct {
	sync.Mutex
	byTest map[string][]string
}{byTest: map[string][]string{}}

func recordResult(t testing.TB, res *mcp.CallToolResult) {
	if _, bench := t.(*testing.B); bench {
		return // benchmarks call thousands of times and check nothing
	}
	raw, _ := json.Marshal(res)
	results.Lock()
	defer results.Unlock()
	results.byTest[t.Name()] = append(results.byTest[t.Name()], string(raw))
}

// assertNoSecrets fails when any result the test saw shows a secret in clear.
func assertNoSecrets(t *testing.T) {
	t.Helper()
	results.Lock()
	defer results.Unlock()
	seen := results.byTest[t.Name()]
	if len(seen) == 0 {
		t.Fatal("no results recorded")
	}
	for _, r := range seen {
		for _, s := range []string{stripeSecret, githubSecret, tokenSecret, adminToken} {
			if strings.Contains(r, s) {
				t.Errorf("a result shows the secret %q:\n%s", s, r)
			}
		}
	}
}

// receiver is a local webhook target recording what it receives; it echoes the request's
// headers in its answer, as some debugging endpoints do.
type receiver struct {
	srv    *httptest.Server
	mu     sync.Mutex
	bodies []string
}

func newReceiver(t *testing.T) *receiver {
	r := &receiver{}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		b, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.bodies = append(r.bodies, string(b))
		r.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"ok": true, "headers": req.Header})
	}))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *receiver) received() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.bodies...)
}
