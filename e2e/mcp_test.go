package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/hooktap/hooktap/signature"
)

const (
	mcpStripeSecret = "whsec_e2eMcpStripe0123456789"
	mcpTokenSecret  = "tok-e2e-mcp-0123456789abcdef"
	mcpConfig       = `gateway:
  routes:
    stripe:
      verify: stripe
      secret: "` + mcpStripeSecret + `"
    github:
      verify: github
      secret: "gh-e2e-mcp-0123456789"
    tok:
      verify: header
      signature_header: X-Api-Token
      secret: "` + mcpTokenSecret + `"
`
)

// mcpSession runs `hooktap mcp` on dir's data and config and connects the SDK's client to its
// stdio; everything it answers is kept for the masking check.
type mcpSession struct {
	t       *testing.T
	cs      *mcp.ClientSession
	answers []string
}

func startMCP(t *testing.T, dir string) *mcpSession {
	t.Helper()
	cmd := exec.Command(binary, "mcp", "--data-dir", dir, "--config", filepath.Join(dir, "config.yaml"))
	cmd.Env = cleanEnv(dir)
	client := mcp.NewClient(&mcp.Implementation{Name: "e2e", Version: "v0"}, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cs, err := client.Connect(ctx, &mcp.CommandTransport{Command: cmd}, nil)
	if err != nil {
		t.Fatalf("connect to hooktap mcp: %v", err)
	}
	t.Cleanup(func() { cs.Close() })
	return &mcpSession{t: t, cs: cs}
}

// call returns the tool's result; structured output is decoded into out when non-nil.
func (s *mcpSession) call(name string, args map[string]any, out any) *mcp.CallToolResult {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 45*time.Second)
	defer cancel()
	res, err := s.cs.CallTool(ctx, &mcp.CallToolParams{Name: name, Arguments: args})
	if err != nil {
		s.t.Fatalf("%s: %v", name, err)
	}
	raw, _ := json.Marshal(res)
	s.answers = append(s.answers, string(raw))
	if out != nil {
		if res.IsError {
			s.t.Fatalf("%s(%v): %s", name, args, raw)
		}
		structured, _ := json.Marshal(res.StructuredContent)
		if err := json.Unmarshal(structured, out); err != nil {
			s.t.Fatalf("%s: %v", name, err)
		}
	}
	return res
}

func (s *mcpSession) assertNoSecrets(secrets ...string) {
	s.t.Helper()
	for _, a := range s.answers {
		for _, sec := range secrets {
			if strings.Contains(a, sec) {
				s.t.Errorf("an answer shows the secret %q: %s", sec, a)
			}
		}
	}
}

// TestMCPOverStdio drives the real binary's `hooktap mcp` with the SDK's client, as an agent in
// an editor would: list, diagnose, replay re-signed, craft, preview — and no secret anywhere.
func TestMCPOverStdio(t *testing.T) {
	p := serve(t, mcpConfig)
	stripeReserialised(t, p)
	if st, _ := p.post(t, "/webhooks/tok", []byte(`{"a":1}`), http.Header{"X-Api-Token": {mcpTokenSecret}}); st != http.StatusAccepted {
		t.Fatalf("token route: %d", st)
	}
	s := startMCP(t, p.dataDir)
	if ins := s.cs.InitializeResult().Instructions; !strings.Contains(ins, "Working against the running hooktap") {
		t.Errorf("instructions: %q", ins)
	}
	tools, err := s.cs.ListTools(context.Background(), nil)
	if err != nil || len(tools.Tools) < 7 {
		t.Fatalf("tools: %v %v", tools, err)
	}

	var list struct {
		Captures []struct{ ID, Verdict string } `json:"captures"`
	}
	s.call("list_captures", map[string]any{"verified": false}, &list)
	if len(list.Captures) != 1 || list.Captures[0].Verdict != "failed" {
		t.Fatalf("failed captures: %+v", list)
	}
	var diag struct {
		Outcome struct{ Diagnosis []struct{ Code string } }
	}
	s.call("diagnose", map[string]any{"id": list.Captures[0].ID}, &diag)
	if len(diag.Outcome.Diagnosis) == 0 || diag.Outcome.Diagnosis[0].Code != signature.FindBodyReserialized {
		t.Errorf("diagnosis: %+v", diag)
	}
	var replayed struct {
		Capture struct {
			Status       int
			Verification struct{ Result string }
		} `json:"capture"`
	}
	s.call("replay", map[string]any{"id": list.Captures[0].ID, "resign": true}, &replayed)
	if replayed.Capture.Status != http.StatusAccepted || replayed.Capture.Verification.Result != "verified" {
		t.Errorf("re-signed replay: %+v", replayed)
	}
	var sent struct {
		Capture struct {
			Route        string
			Verification struct{ Result string }
		} `json:"capture"`
	}
	s.call("send_event", map[string]any{"provider": "github", "event": "push", "route": "github"}, &sent)
	if sent.Capture.Route != "github" || sent.Capture.Verification.Result != "verified" {
		t.Errorf("crafted push: %+v", sent)
	}
	var preview struct{ Body string }
	s.call("preview_alert", map[string]any{"event": "budget_warning", "format": "slack"}, &preview)
	stdout, _, code := run(t, p.dataDir, "notify", "preview", "budget_warning", "--format", "slack", "--json")
	if code != 0 || preview.Body+"\n" != stdout {
		t.Errorf("preview differs from the CLI's:\n%s\n%s", preview.Body, stdout)
	}
	var all map[string]any
	s.call("list_routes", map[string]any{}, &all)
	s.call("list_captures", map[string]any{"limit": 100}, &all)
	s.assertNoSecrets(mcpStripeSecret, mcpTokenSecret)
}

// TestMCPWithoutGateway: with no hooktap running, the read-only tools read the store and the
// sending tools say what is missing.
func TestMCPWithoutGateway(t *testing.T) {
	p := serve(t, mcpConfig)
	stripeReserialised(t, p)
	p.stop()
	s := startMCP(t, p.dataDir)
	if ins := s.cs.InitializeResult().Instructions; !strings.Contains(ins, "No hooktap is running") {
		t.Errorf("instructions: %q", ins)
	}
	var list struct {
		Captures []struct{ ID string } `json:"captures"`
	}
	s.call("list_captures", map[string]any{}, &list)
	if len(list.Captures) != 1 {
		t.Fatalf("store read without a gateway: %+v", list)
	}
	res := s.call("send_event", map[string]any{"provider": "github", "event": "push", "route": "github"}, nil)
	if !res.IsError || !strings.Contains(resultText(res), "no hooktap is running") {
		t.Errorf("send_event without a gateway: %+v", res)
	}
	s.assertNoSecrets(mcpStripeSecret)
}

// TestMCPFirstRunSendsToURL: on a machine where hooktap never ran, send_event to a URL works and
// is recorded in a store created for it, as `hooktap send --to` does.
func TestMCPFirstRunSendsToURL(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "config.yaml"), mcpConfig)
	got := make(chan string, 1)
	rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		select {
		case got <- string(b):
		default:
		}
	}))
	defer rcv.Close()
	s := startMCP(t, dir)
	if res := s.call("list_captures", map[string]any{}, nil); !res.IsError || !strings.Contains(resultText(res), "no capture store yet") {
		t.Errorf("list before any capture: %s", resultText(res))
	}
	var sent struct {
		TestSecret bool                 `json:"test_secret"`
		Capture    struct{ Status int } `json:"capture"`
	}
	s.call("send_event", map[string]any{"provider": "github", "event": "push", "to": rcv.URL + "/hook"}, &sent)
	if sent.Capture.Status != http.StatusOK || !sent.TestSecret || !strings.Contains(<-got, `"ref"`) {
		t.Errorf("send to a URL: %+v", sent)
	}
	var list struct {
		Captures []struct{ Source string } `json:"captures"`
	}
	s.call("list_captures", map[string]any{}, &list)
	if len(list.Captures) != 1 || list.Captures[0].Source != "craft" {
		t.Errorf("the send is not recorded: %+v", list)
	}
}

func stripeReserialised(t *testing.T, p *proc) {
	t.Helper()
	compact := []byte(`{"id":"evt_e2e","type":"charge.succeeded","data":{"object":{"amount":100}}}`)
	h, err := signature.Sign(signature.SchemeStripe, signature.SignInput{Secret: mcpStripeSecret, Body: compact, Timestamp: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	var pretty bytes.Buffer
	_ = json.Indent(&pretty, compact, "", "  ")
	h.Set("Content-Type", "application/json")
	if st, _ := p.post(t, "/webhooks/stripe", pretty.Bytes(), h); st != http.StatusUnauthorized {
		t.Fatalf("re-serialised Stripe event: %d", st)
	}
}

func resultText(res *mcp.CallToolResult) string {
	var b strings.Builder
	for _, c := range res.Content {
		if tc, ok := c.(*mcp.TextContent); ok {
			b.WriteString(tc.Text)
		}
	}
	return b.String()
}
