package gateway_test

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/signature"
)

const ghConfig = `
gateway:
  rate_limit: 1000
  routes:
    gh:
      secret: "s3cret"
      verify: github
      events: ["push", "pull_request"]
`

func TestHealthIsNotCaptured(t *testing.T) {
	h := start(t, ghConfig)
	resp, err := http.Get(h.url + "/health")
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	_, _ = b.ReadFrom(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || b.String() != `{"status":"ok","platform":"webhook"}` {
		t.Fatalf("health: %d %s", resp.StatusCode, b.String())
	}
	if n := h.count(); n != 0 {
		t.Fatalf("health was captured: %d captures", n)
	}
}

func TestPipelineAnswers(t *testing.T) {
	h := start(t, ghConfig)
	body := []byte(`{"ref":"refs/heads/main","id":1}`)
	sig := githubSig("s3cret", body)
	cases := []struct {
		name    string
		path    string
		body    []byte
		headers []string
		status  int
		answer  string
		reason  signature.Reason
	}{
		{"unknown route", "/webhooks/nope", body, nil, 404, `{"error":"unknown route"}`, ""},
		{"not a route path", "/api/v1/captures", nil, nil, 404, `{"error":"not found"}`, ""},
		{"missing signature", "/webhooks/gh", body, []string{"X-GitHub-Event", "push"}, 401,
			`{"error":"invalid signature","reason":"missing_header"}`, signature.ReasonMissingHeader},
		{"tampered", "/webhooks/gh", []byte(`{"ref":"refs/heads/evil","id":1}`),
			[]string{"X-GitHub-Event", "push", "X-Hub-Signature-256", sig}, 401,
			`{"error":"invalid signature","reason":"mismatch"}`, signature.ReasonMismatch},
		{"malformed", "/webhooks/gh", body, []string{"X-GitHub-Event", "push", "X-Hub-Signature-256", "zzz"}, 401,
			`{"error":"invalid signature","reason":"malformed_header"}`, signature.ReasonMalformedHeader},
		{"filtered event", "/webhooks/gh", body, []string{"X-GitHub-Event", "issues", "X-Hub-Signature-256", sig}, 200,
			`{"status":"ignored"}`, signature.ReasonOK},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, answer, _ := h.post(tc.path, tc.body, tc.headers...)
			if status != tc.status || answer != tc.answer {
				t.Fatalf("got %d %s, want %d %s", status, answer, tc.status, tc.answer)
			}
			c := h.latest()
			if c.Status != tc.status || string(c.ResponseBody) != tc.answer || !bytes.Equal(c.Body, tc.body) {
				t.Fatalf("capture: status %d answer %s body %q", c.Status, c.ResponseBody, c.Body)
			}
			if tc.reason != "" && c.Verification.Reason != tc.reason {
				t.Fatalf("reason %q, want %q", c.Verification.Reason, tc.reason)
			}
		})
	}
}

func TestAcceptedAndDuplicate(t *testing.T) {
	h := start(t, ghConfig)
	body := []byte(`{"zen":"hi"}`)
	hdr := []string{"X-GitHub-Event", "push", "X-Hub-Signature-256", githubSig("s3cret", body), "X-GitHub-Delivery", "d-1"}
	status, answer, _ := h.post("/webhooks/gh", body, hdr...)
	c := h.latest()
	if status != 202 || answer != fmt.Sprintf(`{"status":"accepted","id":"%s"}`, c.ID) {
		t.Fatalf("first: %d %s", status, answer)
	}
	if c.Verification.Result != signature.Verified || c.Verification.MatchedSecret != "gh#1" || c.Event != "push" || c.DeliveryID != "d-1" {
		t.Fatalf("capture: %+v", c.Verification)
	}
	status, answer, _ = h.post("/webhooks/gh", body, hdr...)
	if status != 200 || answer != `{"status":"duplicate"}` {
		t.Fatalf("second: %d %s", status, answer)
	}
	if n := h.count(); n != 2 {
		t.Fatalf("captures: %d, want 2", n)
	}
}

func TestURLForms(t *testing.T) {
	h := start(t, `
gateway:
  routes:
    demo:
      secret: INSECURE_NO_AUTH
`)
	for _, tc := range []struct{ path, event string }{
		{"/webhooks/demo", "x"},
		{"/webhook/demo", "x"},
		{"/events/webhook/demo/order.created", "order.created"},
	} {
		status, _, _ := h.post(tc.path, []byte(`{"type":"x"}`))
		if status != 202 {
			t.Fatalf("%s: %d", tc.path, status)
		}
		if c := h.latest(); c.Route != "demo" || c.Event != tc.event || c.Verification.Result != signature.Skipped {
			t.Fatalf("%s: route %q event %q verdict %q", tc.path, c.Route, c.Event, c.Verification.Result)
		}
	}
	req, _ := http.NewRequest(http.MethodGet, h.url+"/webhooks/demo", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 405 || resp.Header.Get("Allow") != "POST" {
		t.Fatalf("GET: %d allow %q", resp.StatusCode, resp.Header.Get("Allow"))
	}
	// A wrong method on a route that does not exist is still an unknown route.
	resp, err = http.Get(h.url + "/webhooks/nope")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 404 {
		t.Fatalf("GET unknown route: %d, want 404", resp.StatusCode)
	}
}

func TestBodyLimit(t *testing.T) {
	h := start(t, `
gateway:
  max_body_bytes: 100
  routes:
    r:
      secret: INSECURE_NO_AUTH
`)
	status, answer, _ := h.post("/webhooks/r", bytes.Repeat([]byte("a"), 101))
	if status != 413 || answer != `{"error":"body too large"}` {
		t.Fatalf("declared: %d %s", status, answer)
	}
	if c := h.latest(); !c.Truncated || len(c.Body) != 0 {
		t.Fatalf("declared: truncated %v body %d", c.Truncated, len(c.Body))
	}
	// Chunked: no Content-Length, so the body is refused as it grows past the limit.
	req, _ := http.NewRequest(http.MethodPost, h.url+"/webhooks/r", strings.NewReader(strings.Repeat("b", 500)))
	req.ContentLength = -1
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 413 {
		t.Fatalf("streamed: %d", resp.StatusCode)
	}
	if c := h.latest(); !c.Truncated || len(c.Body) != 100 {
		t.Fatalf("streamed: truncated %v body %d", c.Truncated, len(c.Body))
	}
}

func TestAllowList(t *testing.T) {
	h := start(t, `
gateway:
  routes:
    office:
      secret: INSECURE_NO_AUTH
      allowed_ips: ["10.0.0.0/8", "2001:db8::/32"]
    local:
      secret: INSECURE_NO_AUTH
      allowed_ips: ["192.168.1.1", "127.0.0.1"]
`)
	if status, answer, _ := h.post("/webhooks/office", []byte("{}")); status != 403 || answer != `{"error":"forbidden"}` {
		t.Fatalf("office: %d %s", status, answer)
	}
	if status, _, _ := h.post("/webhooks/local", []byte("{}")); status != 202 {
		t.Fatalf("local: %d", status)
	}
}

func TestRateLimit(t *testing.T) {
	h := start(t, `
gateway:
  routes:
    r:
      secret: INSECURE_NO_AUTH
      rate_limit: 2
`)
	for i := 0; i < 2; i++ {
		if status, _, _ := h.post("/webhooks/r", []byte("{}")); status != 202 {
			t.Fatalf("request %d: %d", i, status)
		}
	}
	status, answer, hdr := h.post("/webhooks/r", []byte("{}"))
	if status != 429 || answer != `{"error":"rate limit exceeded"}` || hdr.Get("Retry-After") == "" {
		t.Fatalf("third: %d %s retry-after %q", status, answer, hdr.Get("Retry-After"))
	}
	if hdr.Get("Retry-After") != "30" {
		t.Fatalf("2/min refills one token in 30 s; Retry-After %q", hdr.Get("Retry-After"))
	}
	// The capture records the answer's headers, as sent, for the inspector's Response tab.
	want := []capture.Header{{Name: "Content-Length", Value: strconv.Itoa(len(answer))}, {Name: "Content-Type", Value: "application/json"},
		{Name: "Retry-After", Value: "30"}}
	if got := h.latest().ResponseHeaders; !reflect.DeepEqual(got, want) {
		t.Fatalf("recorded answer headers %v, want %v", got, want)
	}
}

func TestZeroConfigInspect(t *testing.T) {
	h := start(t, "")
	status, answer, _ := h.post("/webhooks/inspect", []byte("anything\x00\xff"))
	c := h.latest()
	if status != 200 || answer != fmt.Sprintf(`{"status":"ok","id":"%s"}`, c.ID) {
		t.Fatalf("inspect: %d %s", status, answer)
	}
	if c.Verification.Result != signature.Skipped || c.Verification.Reason != signature.ReasonNoSecret {
		t.Fatalf("verdict %+v", c.Verification)
	}
	if !strings.Contains(c.Verification.Detail, "add routes with their secrets to ") ||
		!strings.Contains(c.Verification.Detail, "config.yaml") {
		t.Fatalf("zero config must say where to add routes: %q", c.Verification.Detail)
	}
	if !bytes.Equal(c.Body, []byte("anything\x00\xff")) {
		t.Fatalf("body %q", c.Body)
	}
	status, answer, _ = h.post("/webhooks/other", []byte("{}"))
	if status != 404 || !strings.Contains(answer, "/webhooks/inspect") {
		t.Fatalf("hint: %d %s", status, answer)
	}
}

func TestTemplateRendered(t *testing.T) {
	h := start(t, `
gateway:
  routes:
    pr:
      secret: INSECURE_NO_AUTH
      prompt: "PR #{number}: {pull_request.title} by {pull_request.user.login} {missing.key}"
      deliver_only: true
`)
	body := `{"number":42,"pull_request":{"title":"Fix it","user":{"login":"octo"}}}`
	status, answer, _ := h.post("/webhooks/pr", []byte(body))
	c := h.latest()
	if status != 200 || answer != fmt.Sprintf(`{"status":"delivered","id":"%s"}`, c.ID) {
		t.Fatalf("%d %s", status, answer)
	}
	if c.Rendered != "PR #42: Fix it by octo {missing.key}" {
		t.Fatalf("rendered %q", c.Rendered)
	}
}

// startForward runs a gateway whose route fwd forwards to a recording target.
func startForward(t *testing.T, deliverOnly bool) (*harness, *recorder, string) {
	t.Helper()
	rec := &recorder{}
	target := httptest.NewServer(rec)
	t.Cleanup(target.Close)
	h := start(t, fmt.Sprintf(`
gateway:
  routes:
    fwd:
      secret: INSECURE_NO_AUTH
      deliver: forward
      deliver_only: %v
      deliver_extra: { url: %q }
`, deliverOnly, target.URL))
	return h, rec, target.URL
}

func TestForwardByteExact(t *testing.T) {
	h, rec, targetURL := startForward(t, true)
	body := []byte("{\"a\":1}\n\xff\x00 binary")
	status, _, _ := h.post("/webhooks/fwd?x=1", body, "X-Custom", "one", "X-Custom", "two", "Connection", "keep-alive")
	if status != 200 {
		t.Fatalf("status %d", status)
	}
	bodies, heads := rec.received()
	if len(bodies) != 1 || !bytes.Equal(bodies[0], body) {
		t.Fatalf("forwarded body %q", bodies)
	}
	if got := heads[0].Values("X-Custom"); len(got) != 2 || got[0] != "one" || got[1] != "two" {
		t.Fatalf("repeated header %q", got)
	}
	if c := h.latest(); len(c.Deliveries) != 1 || c.Deliveries[0].Status != 200 || c.Deliveries[0].Target != targetURL {
		t.Fatalf("deliveries %+v", c.Deliveries)
	}
}

func TestForwardFailoverAnd502(t *testing.T) {
	bad := &recorder{status: 503}
	good := &recorder{}
	badSrv, goodSrv := httptest.NewServer(bad), httptest.NewServer(good)
	defer badSrv.Close()
	defer goodSrv.Close()
	h := start(t, fmt.Sprintf(`
gateway:
  routes:
    failover:
      secret: INSECURE_NO_AUTH
      deliver: forward
      deliver_only: true
      deliver_extra: { url: %q, backup_url: %q }
    dead:
      secret: INSECURE_NO_AUTH
      deliver: forward
      deliver_only: true
      deliver_extra: { url: %q }
`, badSrv.URL, goodSrv.URL, badSrv.URL))
	if status, _, _ := h.post("/webhooks/failover", []byte("{}")); status != 200 {
		t.Fatalf("failover: %d", status)
	}
	if c := h.latest(); len(c.Deliveries) != 2 || c.Deliveries[0].Status != 503 || c.Deliveries[1].Status != 200 {
		t.Fatalf("failover deliveries %+v", c.Deliveries)
	}
	status, answer, _ := h.post("/webhooks/dead", []byte("{}"))
	if status != 502 || !strings.Contains(answer, `"error":"delivery failed"`) {
		t.Fatalf("dead: %d %s", status, answer)
	}
}

func TestAsyncForwardRecorded(t *testing.T) {
	h, _, _ := startForward(t, false)
	status, _, _ := h.post("/webhooks/fwd", []byte(`{"x":1}`))
	if status != 202 {
		t.Fatalf("status %d", status)
	}
	id := h.latest().ID
	eventually(t, func() bool {
		c, err := h.store.Get(t.Context(), id)
		return err == nil && len(c.Deliveries) == 1 && c.Deliveries[0].Status == 200
	})
}

// TestHeaderOrderKept writes a raw request so the header order on the wire is known.
func TestHeaderOrderKept(t *testing.T) {
	h := start(t, "")
	conn, err := net.Dial("tcp", strings.TrimPrefix(h.url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	raw := "POST /webhooks/inspect HTTP/1.1\r\nHost: example.test\r\nzeta: 1\r\nAlpha: a\r\nzeta: 2\r\n" +
		"x-lower-case: v\r\nContent-Length: 2\r\n\r\n{}"
	if _, err := conn.Write([]byte(raw)); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 512)
	_ = conn.SetReadDeadline(time.Now().Add(3 * time.Second))
	if _, err := conn.Read(buf); err != nil {
		t.Fatal(err)
	}
	want := []capture.Header{{Name: "Host", Value: "example.test"}, {Name: "zeta", Value: "1"}, {Name: "Alpha", Value: "a"},
		{Name: "zeta", Value: "2"}, {Name: "x-lower-case", Value: "v"}, {Name: "Content-Length", Value: "2"}}
	got := h.latest().Headers
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("headers\n got %v\nwant %v", got, want)
	}
}

func TestClientDisconnectMidBodyIsCaptured(t *testing.T) {
	h := start(t, "")
	conn, err := net.Dial("tcp", strings.TrimPrefix(h.url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	_, _ = conn.Write([]byte("POST /webhooks/inspect HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\npartial"))
	conn.Close()
	eventually(t, func() bool {
		page, err := h.store.List(t.Context(), capture.Filter{Limit: 1, WithBody: true})
		return err == nil && len(page.Captures) == 1 && page.Captures[0].Status == 400 &&
			string(page.Captures[0].Body) == "partial"
	})
}

func TestFailedCaptureKeepsEventAndDeliveryID(t *testing.T) {
	h := start(t, `
gateway:
  routes:
    stripe:
      secret: whsec_abc
      verify: stripe
`)
	body := []byte(`{"id":"evt_1","type":"payment_intent.succeeded"}`)
	status, _, _ := h.post("/webhooks/stripe", body, "Stripe-Signature", "t=1,v1=00")
	c := h.latest()
	if status != 401 || c.Event != "payment_intent.succeeded" || c.DeliveryID != "evt_1" {
		t.Fatalf("status %d event %q delivery %q", status, c.Event, c.DeliveryID)
	}
}
