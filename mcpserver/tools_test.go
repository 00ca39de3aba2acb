package mcpserver_test

import (
	"bytes"
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/hooktap/hooktap/cli"
)

var toolNames = []string{"audit_endpoint", "diagnose", "get_capture", "list_captures", "list_routes", "preview_alert", "replay", "send_event"}

func TestToolsAndSchemas(t *testing.T) {
	g := startGateway(t)
	cs := connect(t, g.deps())
	res, err := cs.ListTools(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]*mcp.Tool{}
	for _, tool := range res.Tools {
		byName[tool.Name] = tool
	}
	for _, name := range toolNames {
		tool := byName[name]
		if tool == nil {
			t.Fatalf("tool %s missing; have %v", name, res.Tools)
		}
		schema, _ := tool.InputSchema.(map[string]any)
		if schema["type"] != "object" || tool.OutputSchema == nil || tool.Description == "" || tool.Annotations == nil {
			t.Errorf("%s: input schema %v, output schema %v, annotations %v", name, schema, tool.OutputSchema, tool.Annotations)
		}
	}
	for name, want := range map[string][]string{
		"list_captures":  {"route", "event", "verified", "status", "q", "limit", "before"},
		"get_capture":    {"id", "max_body_bytes"},
		"diagnose":       {"id", "scheme", "secrets", "headers", "body"},
		"replay":         {"id", "to", "resign"},
		"send_event":     {"provider", "event", "route", "to", "set", "tamper", "stale", "duplicate", "oversize"},
		"preview_alert":  {"event", "format", "data", "timestamp"},
		"audit_endpoint": {"url", "provider", "secret", "event", "timeout", "burst"},
	} {
		props, _ := byName[name].InputSchema.(map[string]any)["properties"].(map[string]any)
		for _, p := range want {
			if _, ok := props[p]; !ok {
				t.Errorf("%s: no input %q in %v", name, p, props)
			}
		}
	}
	required, _ := byName["send_event"].InputSchema.(map[string]any)["required"].([]any)
	if !slices.Contains(required, any("provider")) || !slices.Contains(required, any("event")) {
		t.Errorf("send_event requires %v", required)
	}
	for _, name := range []string{"list_captures", "get_capture", "diagnose", "list_routes", "preview_alert"} {
		if a := byName[name].Annotations; !a.ReadOnlyHint || a.OpenWorldHint == nil || *a.OpenWorldHint {
			t.Errorf("%s must be read-only and closed-world: %+v", name, a)
		}
	}
	for _, name := range []string{"replay", "send_event", "audit_endpoint"} {
		a := byName[name].Annotations
		if a.ReadOnlyHint || a.DestructiveHint == nil || *a.DestructiveHint || a.OpenWorldHint == nil || !*a.OpenWorldHint {
			t.Errorf("%s must be a side-effecting, open-world, non-destructive tool: %+v", name, a)
		}
		if !strings.Contains(byName[name].Description, "SENDS") {
			t.Errorf("%s: the description must say it sends traffic: %q", name, byName[name].Description)
		}
	}
	if ins := cs.InitializeResult().Instructions; !strings.Contains(ins, "part of the running hooktap") || !strings.Contains(ins, "masked") {
		t.Errorf("instructions: %q", ins)
	}
}

// TestDiagnoseReserialisedStripe: a Stripe event signed compact and received pretty-printed is
// listed as failed and diagnosed as re-serialised.
func TestDiagnoseReserialisedStripe(t *testing.T) {
	g := startGateway(t)
	g.postStripeReserialised()
	cs := connect(t, g.deps())
	var list struct {
		Captures []struct {
			ID, Route, Verdict, Reason string
			ShortID                    string `json:"short_id"`
		} `json:"captures"`
	}
	ok(t, cs, "list_captures", map[string]any{"route": "stripe", "verified": false}, &list)
	if len(list.Captures) != 1 || list.Captures[0].Verdict != "failed" || list.Captures[0].Reason != "mismatch" {
		t.Fatalf("list: %+v", list)
	}
	var diag struct {
		CaptureID string `json:"capture_id"`
		Outcome   struct {
			Result    string
			Diagnosis []struct{ Code, Message string }
		}
	}
	id := list.Captures[0].ID
	summary := ok(t, cs, "diagnose", map[string]any{"id": id[:10]}, &diag)
	if diag.CaptureID != id || diag.Outcome.Result != "failed" || len(diag.Outcome.Diagnosis) == 0 ||
		diag.Outcome.Diagnosis[0].Code != "body_reserialized" {
		t.Fatalf("diagnose: %+v", diag)
	}
	if !strings.Contains(summary, "body_reserialized") {
		t.Errorf("the summary does not quote the finding: %q", summary)
	}
	var byShort struct{ ID string }
	ok(t, cs, "get_capture", map[string]any{"id": strings.ToUpper(list.Captures[0].ShortID)}, &byShort)
	if byShort.ID != id {
		t.Errorf("the short form %q found %q, want %q", list.Captures[0].ShortID, byShort.ID, id)
	}
	assertNoSecrets(t)
}

func TestReplayReachesReceiverAndResigns(t *testing.T) {
	g := startGateway(t)
	rcv := newReceiver(t)
	cs := connect(t, g.deps())
	var sent struct {
		Capture struct {
			ID           string
			Status       int
			Verification struct{ Result string }
		} `json:"capture"`
	}
	ok(t, cs, "send_event", map[string]any{"provider": "github", "event": "push", "route": "github"}, &sent)
	var detail struct{ Body string }
	ok(t, cs, "get_capture", map[string]any{"id": sent.Capture.ID}, &detail)

	var out struct {
		ReplayOf string `json:"replay_of"`
		Target   string `json:"target"`
		Capture  struct {
			ID       string
			Status   int
			ReplayOf string `json:"replay_of"`
		} `json:"capture"`
	}
	ok(t, cs, "replay", map[string]any{"id": sent.Capture.ID, "to": rcv.srv.URL + "/hook"}, &out)
	got := rcv.received()
	if len(got) != 1 || got[0] != detail.Body || out.Capture.Status != http.StatusOK || out.ReplayOf != sent.Capture.ID {
		t.Fatalf("receiver got %d bodies (equal: %v); result %+v", len(got), len(got) == 1 && got[0] == detail.Body, out)
	}
	var resigned struct {
		Capture struct {
			Status       int
			Verification struct{ Result string }
		} `json:"capture"`
	}
	ok(t, cs, "replay", map[string]any{"id": sent.Capture.ID, "resign": true}, &resigned)
	if resigned.Capture.Status != http.StatusAccepted || resigned.Capture.Verification.Result != "verified" {
		t.Errorf("re-signed replay to the gateway: %+v", resigned)
	}
	assertNoSecrets(t)
}

func TestSendEventCapturedVerified(t *testing.T) {
	g := startGateway(t)
	cs := connect(t, g.deps())
	var out struct {
		DeliveryID string `json:"delivery_id"`
		TestSecret bool   `json:"test_secret"`
		Capture    struct {
			ID           string
			Route        string
			Event        string
			Source       string
			Status       int
			Verification struct{ Result, Scheme string }
		} `json:"capture"`
	}
	summary := ok(t, cs, "send_event", map[string]any{"provider": "stripe", "event": "payment_intent.succeeded",
		"set": []string{"data.object.amount=4200"}}, &out)
	c := out.Capture
	if c.Route != "stripe" || c.Source != "craft" || c.Status != http.StatusAccepted || c.Verification.Result != "verified" || out.TestSecret {
		t.Fatalf("send_event: %+v", out)
	}
	if !strings.Contains(summary, "verified") || !strings.Contains(summary, c.ID) {
		t.Errorf("summary: %q", summary)
	}
	var tampered struct {
		Capture struct {
			Status       int
			Verification struct{ Result string }
		} `json:"capture"`
	}
	ok(t, cs, "send_event", map[string]any{"provider": "github", "event": "push", "route": "github", "tamper": true}, &tampered)
	if tampered.Capture.Status != http.StatusUnauthorized || tampered.Capture.Verification.Result != "failed" {
		t.Errorf("tampered event: %+v", tampered)
	}
	assertNoSecrets(t)
}

// TestPreviewAlertEqualsCLI compares the tool's body with `hooktap notify preview --json`.
func TestPreviewAlertEqualsCLI(t *testing.T) {
	g := startGateway(t)
	cs := connect(t, g.deps())
	for _, format := range []string{"slack", "discord", "generic"} {
		var out struct {
			Body     string
			Warnings []any
		}
		ok(t, cs, "preview_alert", map[string]any{"event": "budget_warning", "format": format,
			"data": map[string]any{"spent": 250, "limit": "200", "service": "openai"}}, &out)
		var stdout, stderr bytes.Buffer
		code := cli.Main(context.Background(), []string{"notify", "preview", "budget_warning", "--format", format,
			"--data", "spent=250", "--data", "limit=200", "--data", "service=openai", "--json", "--data-dir", t.TempDir()},
			strings.NewReader(""), &stdout, &stderr)
		if code != 0 || out.Body+"\n" != stdout.String() {
			t.Errorf("%s: tool body\n%s\nCLI (exit %d, %s)\n%s", format, out.Body, code, stderr.String(), stdout.String())
		}
	}
	res := call(t, cs, "preview_alert", map[string]any{"event": "budget_warning", "format": "teams"})
	if !res.IsError || !strings.Contains(text(res), `format "teams": use slack, discord or generic`) {
		t.Errorf("unknown format: %v %q", res.IsError, text(res))
	}
}

// TestSecretsMaskedEverywhere calls every tool around a capture that carries a secret header,
// replays it to a receiver that echoes headers back, and checks no result shows any secret.
func TestSecretsMaskedEverywhere(t *testing.T) {
	g := startGateway(t)
	g.postToken()
	g.postStripeReserialised()
	rcv := newReceiver(t)
	cs := connect(t, g.deps())
	var list struct {
		Captures []struct{ ID, Route string } `json:"captures"`
	}
	ok(t, cs, "list_captures", map[string]any{"route": "tok"}, &list)
	if len(list.Captures) != 1 {
		t.Fatalf("list: %+v", list)
	}
	id := list.Captures[0].ID
	var detail struct {
		Headers []struct{ Name, Value string }
	}
	ok(t, cs, "get_capture", map[string]any{"id": id}, &detail)
	masked := false
	for _, h := range detail.Headers {
		masked = masked || (h.Name == "X-Api-Token" && strings.HasPrefix(h.Value, "••••"))
	}
	if !masked {
		t.Errorf("X-Api-Token is not shown masked: %+v", detail.Headers)
	}
	var any_ map[string]any
	ok(t, cs, "diagnose", map[string]any{"id": id}, &any_)
	ok(t, cs, "diagnose", map[string]any{"scheme": "header", "secrets": []string{tokenSecret},
		"headers": map[string]string{"X-Webhook-Secret": tokenSecret}, "body": "{}"}, &any_)
	ok(t, cs, "replay", map[string]any{"id": id, "to": rcv.srv.URL}, &any_)
	ok(t, cs, "replay", map[string]any{"id": id}, &any_)
	ok(t, cs, "list_routes", map[string]any{}, &any_)
	ok(t, cs, "send_event", map[string]any{"provider": "github", "event": "ping", "route": "github"}, &any_)
	ok(t, cs, "send_event", map[string]any{"provider": "stripe", "event": "payment_intent.succeeded", "to": rcv.srv.URL,
		"secret": stripeSecret}, &any_)
	ok(t, cs, "list_captures", map[string]any{"limit": 100}, &any_)
	assertNoSecrets(t)
}

func TestRefusalsAreToolErrors(t *testing.T) {
	g := startGateway(t)
	g.postToken()
	cs := connect(t, g.deps())
	for _, tc := range []struct {
		tool string
		args map[string]any
		want string
	}{
		{"get_capture", map[string]any{"id": "zzzzzzzz"}, "no capture with id"},
		{"replay", map[string]any{"id": "0", "to": "file:///etc/passwd"}, `target "file:///etc/passwd" is not an http(s) URL`},
		{"send_event", map[string]any{"provider": "github", "event": "push", "to": "ftp://127.0.0.1/x"}, "is not an http(s) URL"},
		{"send_event", map[string]any{"provider": "github", "event": "nope", "route": "github"}, "unknown github event"},
		{"send_event", map[string]any{"provider": "github", "event": "push", "route": "nope"}, `no route named "nope"`},
		{"list_captures", map[string]any{"limit": 5000}, "limit"},
		{"diagnose", map[string]any{"body": "{}"}, "cannot tell the scheme from these headers: pass scheme"},
	} {
		res := call(t, cs, tc.tool, tc.args)
		if !res.IsError || !strings.Contains(text(res), tc.want) {
			t.Errorf("%s(%v): error %v, %q (want %q)", tc.tool, tc.args, res.IsError, text(res), tc.want)
		}
	}
}

// TestHTTPEndpoint reaches the same tools at /mcp on the admin listener, with the admin token.
func TestHTTPEndpoint(t *testing.T) {
	g := startGateway(t)
	g.postToken()
	endpoint := "http://" + g.app.AdminAddr() + "/mcp"
	client := mcp.NewClient(&mcp.Implementation{Name: "test", Version: "v0"}, nil)
	ctx := context.Background()
	if _, err := client.Connect(ctx, &mcp.StreamableClientTransport{Endpoint: endpoint, MaxRetries: -1}, nil); err == nil {
		t.Fatal("connected to /mcp without the admin token")
	}
	tr := &mcp.StreamableClientTransport{Endpoint: endpoint, MaxRetries: -1,
		HTTPClient: &http.Client{Transport: bearer{adminToken}}}
	cs, err := client.Connect(ctx, tr, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer cs.Close()
	var list struct {
		Captures []struct{ Route string } `json:"captures"`
	}
	ok(t, cs, "list_captures", map[string]any{}, &list)
	if len(list.Captures) != 1 || list.Captures[0].Route != "tok" {
		t.Fatalf("list over HTTP: %+v", list)
	}
	assertNoSecrets(t)
}

type bearer struct{ token string }

func (b bearer) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer "+b.token)
	return http.DefaultTransport.RoundTrip(r)
}

// TestAuditEndpoint grades the running gateway's own GitHub route, which verifies correctly.
func TestAuditEndpoint(t *testing.T) {
	g := startGateway(t)
	cs := connect(t, g.deps())
	var out struct {
		Provider string
		Checks   []struct{ ID, Status string }
	}
	summary := ok(t, cs, "audit_endpoint", map[string]any{"url": g.url("/webhooks/github"), "provider": "github",
		"secret": githubSecret, "burst": 3, "oversize_bytes": 2 << 20, "timeout": "5s"}, &out)
	status := map[string]string{}
	for _, c := range out.Checks {
		status[c.ID] = c.Status
	}
	if out.Provider != "github" || len(out.Checks) < 5 || status["signed"] != "pass" || status["tampered"] != "pass" {
		t.Fatalf("scorecard: %+v\n%s", out, summary)
	}
	var list struct {
		Captures []struct{ Source string } `json:"captures"`
	}
	ok(t, cs, "list_captures", map[string]any{"route": "github"}, &list)
	if len(list.Captures) == 0 || list.Captures[0].Source != "audit" {
		t.Errorf("audit deliveries not captured: %+v", list)
	}
	res := call(t, cs, "audit_endpoint", map[string]any{"url": "gopher://127.0.0.1/", "provider": "github", "secret": "x"})
	if !res.IsError || !strings.Contains(text(res), "is not an http(s) URL") {
		t.Errorf("non-HTTP audit target: %q", text(res))
	}
	assertNoSecrets(t)
}

// TestOwedDeliveries: a forward the target never takes stays in the outbox, and get_capture says so.
func TestOwedDeliveries(t *testing.T) {
	g := startGateway(t)
	if st := g.post("/webhooks/fwd", []byte(`{"n":1}`), http.Header{"Content-Type": {"application/json"}}); st != http.StatusAccepted {
		t.Fatalf("forward route answered %d", st)
	}
	cs := connect(t, g.deps())
	var list struct {
		Captures []struct{ ID string } `json:"captures"`
	}
	ok(t, cs, "list_captures", map[string]any{"route": "fwd"}, &list)
	if len(list.Captures) != 1 {
		t.Fatalf("list: %+v", list)
	}
	var detail struct {
		Owed []struct{ Kind, Target, State string }
	}
	ok(t, cs, "get_capture", map[string]any{"id": list.Captures[0].ID}, &detail)
	if len(detail.Owed) != 1 || detail.Owed[0].Kind != "forward" || detail.Owed[0].State == "" ||
		strings.Contains(detail.Owed[0].Target, "fwd-url-token") {
		t.Fatalf("owed: %+v", detail.Owed)
	}
}
