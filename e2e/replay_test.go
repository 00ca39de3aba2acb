package e2e

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"hash"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hooktap/hooktap/signature"
)

// Issue 4: stale replays, re-signing, outside receivers, the signature doctor and live subscriptions.

const (
	stripeSecret = "whsec_stripe_test_secret"
	otherSecret  = "whsec_other_route_secret"
)

const replayConfig = "gateway:\n  rate_limit: 10000\n  routes:\n" +
	"    stripe:\n      verify: stripe\n      secret: \"" + stripeSecret + "\"\n" +
	"    other:\n      verify: stripe\n      secret: \"" + otherSecret + "\"\n"

// cliConfig writes yaml with the running gateway's port, so that CLI commands reach it.
func cliConfig(t *testing.T, p *proc, yaml string) string {
	t.Helper()
	path := filepath.Join(p.dataDir, "cli.yaml")
	withPort := strings.Replace(yaml, "gateway:\n", "gateway:\n  host: 127.0.0.1\n  port: "+portOf(p.gateway)+"\n", 1)
	writeFile(t, path, withPort)
	return path
}

// hooktapCLI runs a CLI command against p's data dir and config.
func hooktapCLI(t *testing.T, p *proc, cfg string, args ...string) (string, string, int) {
	t.Helper()
	return run(t, p.dataDir, append(args, "--config", cfg, "--data-dir", p.dataDir)...)
}

// replayed is one entry of `hooktap replay --json`.
type replayed struct {
	ReplayOf string      `json:"replay_of"`
	Capture  captureJSON `json:"capture"`
}

func replayOne(t *testing.T, p *proc, cfg, id string, extra ...string) captureJSON {
	t.Helper()
	out, stderr, code := hooktapCLI(t, p, cfg, append([]string{"replay", id, "--json"}, extra...)...)
	var list []replayed
	if err := json.Unmarshal([]byte(out), &list); err != nil || len(list) != 1 {
		t.Fatalf("replay %v: exit %d %v\nstdout %s\nstderr %s", extra, code, err, out, stderr)
	}
	if list[0].ReplayOf != id || list[0].Capture.ReplayOf != id {
		t.Fatalf("replay %v: replay_of %q / %q, want %s", extra, list[0].ReplayOf, list[0].Capture.ReplayOf, id)
	}
	return list[0].Capture
}

func TestStaleStripeReplayRejectedThenResigned(t *testing.T) {
	p := serve(t, replayConfig)
	cfg := cliConfig(t, p, replayConfig)
	out, stderr, code := hooktapCLI(t, p, cfg, "send", "stripe", "payment_intent.succeeded", "--route", "stripe", "--stale", "10m", "--json")
	var sent captureJSON
	if err := json.Unmarshal([]byte(out), &sent); err != nil || sent.ID == "" {
		t.Fatalf("send: exit %d %v\n%s\n%s", code, err, out, stderr)
	}
	var original captureJSON
	adminGet(t, p, "/api/v1/captures/"+sent.ID, &original)
	if original.Status != 401 || original.Verification.Reason != "timestamp_out_of_tolerance" || original.Route != "stripe" {
		t.Fatalf("stale delivery captured as %d %+v on %q, want 401 timestamp_out_of_tolerance", original.Status, original.Verification, original.Route)
	}

	asStored := replayOne(t, p, cfg, sent.ID)
	if asStored.Status != 401 || asStored.Verification.Reason != "timestamp_out_of_tolerance" {
		t.Fatalf("replay as stored: %d %+v, want 401 timestamp_out_of_tolerance", asStored.Status, asStored.Verification)
	}
	resigned := replayOne(t, p, cfg, sent.ID, "--resign")
	if resigned.Status < 200 || resigned.Status > 299 || resigned.Verification.Result != "verified" {
		t.Fatalf("replay --resign: %d %+v %s, want 2xx verified", resigned.Status, resigned.Verification, resigned.ResponseBody)
	}
	var stored captureJSON
	adminGet(t, p, "/api/v1/captures/"+resigned.ID, &stored)
	if stored.ReplayOf != sent.ID || stored.Source != "replay" || !slices.Equal(stored.body(t), original.body(t)) {
		t.Fatalf("stored replay: replay_of %q source %q, body equal %v", stored.ReplayOf, stored.Source,
			slices.Equal(stored.body(t), original.body(t)))
	}
}

// outsideReceiver records the requests an outside service would get and answers 200.
type outsideReceiver struct {
	*httptest.Server
	got chan signature.Request
}

func newOutsideReceiver(t *testing.T) *outsideReceiver {
	r := &outsideReceiver{got: make(chan signature.Request, 16)}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.got <- signature.Request{Method: req.Method, URL: "http://" + req.Host + req.URL.RequestURI(), Header: req.Header.Clone(), Body: body}
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *outsideReceiver) next(t *testing.T) signature.Request {
	t.Helper()
	select {
	case req := <-r.got:
		return req
	case <-time.After(5 * time.Second):
		t.Fatal("nothing reached the outside receiver")
		return signature.Request{}
	}
}

func verifyReceived(t *testing.T, req signature.Request, scheme, secret string, headers ...string) {
	t.Helper()
	p := signature.Params{Scheme: scheme, Secrets: []signature.Secret{{Label: "receiver", Value: secret}}}
	if len(headers) == 2 {
		p.SignatureHeader, p.TimestampHeader = headers[0], headers[1]
	}
	o := signature.Verify(req, p)
	if o.Result != signature.Verified {
		t.Fatalf("%s: receiver rejects it: %s %s", scheme, o.Reason, o.Detail)
	}
}

func TestCraftedAndReplayedToOutsideReceiverVerify(t *testing.T) {
	p := serve(t, replayConfig)
	cfg := cliConfig(t, p, replayConfig)
	rcv := newOutsideReceiver(t)
	crafts := []struct {
		provider, event, scheme, secret string
		headers                         []string // signature and timestamp header names, when not the scheme's
	}{
		{"github", "push", "github", "gh-receiver-secret", nil},
		{"gitlab", "merge_request", "gitlab", "gl-receiver-token", nil},
		{"stripe", "checkout.session.completed", "stripe", "whsec_receiver_secret", nil},
		{"shopify", "orders/create", "shopify", "shpss_receiver_secret", nil},
		{"slack", "event_callback", "slack", "slack-receiver-secret", nil},
		{"standard", "generic", "standard", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", nil},
		{"costkatana", "budget.warning", "timestamped", "costkatana-receiver-secret",
			[]string{"X-Costkatana-Signature", "X-Costkatana-Timestamp"}},
	}
	for _, c := range crafts {
		t.Run(c.provider, func(t *testing.T) {
			if _, stderr, code := hooktapCLI(t, p, cfg, "send", c.provider, c.event, "--to", rcv.URL+"/hooks", "--secret", c.secret); code != 0 {
				t.Fatalf("send: exit %d %s", code, stderr)
			}
			verifyReceived(t, rcv.next(t), c.scheme, c.secret, c.headers...)
		})
	}
	t.Run("replay --resign --to", func(t *testing.T) {
		out, stderr, code := hooktapCLI(t, p, cfg, "send", "stripe", "payment_intent.succeeded", "--route", "stripe", "--stale", "10m", "--json")
		var sent captureJSON
		if err := json.Unmarshal([]byte(out), &sent); err != nil {
			t.Fatalf("send: exit %d %v %s", code, err, stderr)
		}
		replayOne(t, p, cfg, sent.ID, "--resign", "--to", rcv.URL+"/hooks")
		verifyReceived(t, rcv.next(t), "stripe", stripeSecret)
	})
}

func TestSubscriptionLiveWithinASecond(t *testing.T) {
	p := serve(t, replayConfig)
	cfg := cliConfig(t, p, replayConfig)
	signedPost := func() int {
		body := []byte(`{"event":"push","ref":"refs/heads/main"}`)
		h, err := signature.Sign("hmac", signature.SignInput{Method: http.MethodPost, Body: body, Secret: "s3cret"})
		if err != nil {
			t.Fatal(err)
		}
		h.Set("Content-Type", "application/json")
		h.Set("X-Event-Type", "push")
		status, _ := p.post(t, "/webhooks/demo", body, h)
		return status
	}
	if status := signedPost(); status != 404 {
		t.Fatalf("before subscribing: %d, want 404", status)
	}
	if _, stderr, code := hooktapCLI(t, p, cfg, "webhook", "subscribe", "demo", "--events", "push", "--secret", "s3cret"); code != 0 {
		t.Fatalf("subscribe: exit %d %s", code, stderr)
	}
	waitStatus(t, "after subscribe", signedPost, 202)
	if out, stderr, code := hooktapCLI(t, p, cfg, "webhook", "test", "demo"); code != 0 || !contains(out, "202") {
		t.Fatalf("webhook test: exit %d\n%s\n%s", code, out, stderr)
	}
	if _, stderr, code := hooktapCLI(t, p, cfg, "webhook", "remove", "demo"); code != 0 {
		t.Fatalf("remove: exit %d %s", code, stderr)
	}
	waitStatus(t, "after remove", signedPost, 404)
}

// waitStatus polls send until it answers want, failing after one second.
func waitStatus(t *testing.T, what string, send func() int, want int) {
	t.Helper()
	start := time.Now()
	last := 0
	for time.Since(start) < time.Second {
		if last = send(); last == want {
			t.Logf("%s: %d after %v", what, want, time.Since(start))
			return
		}
		time.Sleep(25 * time.Millisecond)
	}
	t.Fatalf("%s: still %d after 1s, want %d", what, last, want)
}

// doctorVerdict is `hooktap verify --json`.
type doctorVerdict struct {
	Scheme    string              `json:"scheme"`
	Result    string              `json:"result"`
	Reason    string              `json:"reason"`
	Diagnosis []signature.Finding `json:"diagnosis"`
}

func (v doctorVerdict) has(code string) bool {
	return slices.ContainsFunc(v.Diagnosis, func(f signature.Finding) bool { return f.Code == code })
}

// culprit is a request signed one way and checked another, and the finding that explains it.
type culprit struct {
	name, scheme string
	header       http.Header
	body         string
	args         []string
	reason, code string
}

const (
	compactJSON = `{"id":"evt_1","data":{"amount":2000,"tags":["a","b"]}}`
	prettyJSON  = "{\n  \"id\": \"evt_1\",\n  \"data\": {\n    \"amount\": 2000,\n    \"tags\": [\n      \"a\",\n      \"b\"\n    ]\n  }\n}"
	ghSecret    = "gh-secret"
	stdSecret   = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	twilioURL   = "https://abc.ngrok.app/webhooks/twilio?From=%2B1555"
)

func signedBy(t *testing.T, scheme, body, secret, url string, at time.Time, base http.Header) http.Header {
	t.Helper()
	h, err := signature.Sign(scheme, signature.SignInput{Method: http.MethodPost, URL: url, Header: base, Body: []byte(body), Secret: secret, Timestamp: at})
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range base {
		h[k] = v
	}
	return h
}

func hmacHex(newHash func() hash.Hash, key, msg string) string {
	m := hmac.New(newHash, []byte(key))
	m.Write([]byte(msg))
	return hex.EncodeToString(m.Sum(nil))
}

// standardSignedRaw signs like a sender that forgot to base64-decode the whsec_ secret.
func standardSignedRaw(body string, at time.Time) http.Header {
	ts := strconv.FormatInt(at.Unix(), 10)
	m := hmac.New(sha256.New, []byte(stdSecret))
	m.Write([]byte("msg_e2e." + ts + "." + body))
	return http.Header{"Webhook-Id": {"msg_e2e"}, "Webhook-Timestamp": {ts},
		"Webhook-Signature": {"v1," + base64.StdEncoding.EncodeToString(m.Sum(nil))}}
}

func classicMistakes(t *testing.T) []culprit {
	now := time.Now()
	form := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}
	sha1In256 := http.Header{"X-Hub-Signature-256": {"sha1=" + hmacHex(sha1.New, ghSecret, compactJSON)}}
	return []culprit{
		{"re-serialised JSON", "github", signedBy(t, "github", prettyJSON, ghSecret, "", now, nil), compactJSON,
			[]string{"--secret", ghSecret}, "mismatch", "body_reserialized"},
		{"trailing newline", "github", signedBy(t, "github", compactJSON+"\n", ghSecret, "", now, nil), compactJSON,
			[]string{"--secret", ghSecret}, "mismatch", "trailing_newline"},
		{"CRLF", "github", signedBy(t, "github", "line1\nline2\n", ghSecret, "", now, nil), "line1\r\nline2\r\n",
			[]string{"--secret", ghSecret}, "mismatch", "crlf"},
		{"whitespace in secret", "github", signedBy(t, "github", compactJSON, ghSecret, "", now, nil), compactJSON,
			[]string{"--secret", " " + ghSecret + "\n"}, "mismatch", "secret_whitespace"},
		{"whsec_ used raw", "standard", standardSignedRaw(compactJSON, now), compactJSON,
			[]string{"--secret", stdSecret}, "mismatch", "secret_encoding"},
		{"sk_ key", "stripe", signedBy(t, "stripe", compactJSON, stripeSecret, "", now, nil), compactJSON,
			[]string{"--secret", "sk_test_51HabcDEF"}, "mismatch", "api_key_not_signing_secret"},
		{"sha1 vs sha256", "github", sha1In256, compactJSON, []string{"--secret", ghSecret}, "", "wrong_algorithm"},
		{"stale timestamp", "stripe", signedBy(t, "stripe", compactJSON, stripeSecret, "", now.Add(-10*time.Minute), nil), compactJSON,
			[]string{"--secret", stripeSecret}, "timestamp_out_of_tolerance", "timestamp_skew"},
		{"Twilio URL mismatch", "twilio", signedBy(t, "twilio", "CallSid=CA1&Digits=1", "twilio-token", twilioURL, now, form),
			"CallSid=CA1&Digits=1", []string{"--secret", "twilio-token", "--url", strings.Replace(twilioURL, "https:", "http:", 1)},
			"mismatch", "url_mismatch"},
	}
}

func TestVerifyNamesTheCulprit(t *testing.T) {
	dir := t.TempDir()
	for i, c := range classicMistakes(t) {
		t.Run(c.name, func(t *testing.T) {
			bodyFile := filepath.Join(dir, "body"+strconv.Itoa(i))
			if err := os.WriteFile(bodyFile, []byte(c.body), 0o600); err != nil {
				t.Fatal(err)
			}
			args := []string{"verify", "--scheme", c.scheme, "--body", bodyFile, "--json"}
			for name, values := range c.header {
				args = append(args, "--header", name+": "+values[0])
			}
			out, stderr, code := run(t, dir, append(args, c.args...)...)
			var v doctorVerdict
			if err := json.Unmarshal([]byte(out), &v); err != nil || code != 1 {
				t.Fatalf("exit %d (want 1) %v\n%s\n%s", code, err, out, stderr)
			}
			if v.Result != "failed" || (c.reason != "" && v.Reason != c.reason) || !v.has(c.code) {
				t.Fatalf("got %s/%s %+v, want reason %q and finding %s", v.Result, v.Reason, v.Diagnosis, c.reason, c.code)
			}
		})
	}
}

func TestVerifyCaptureNamesAnotherRoutesSecret(t *testing.T) {
	p := serve(t, replayConfig)
	cfg := cliConfig(t, p, replayConfig)
	body := []byte(compactJSON)
	h := signedBy(t, "stripe", compactJSON, otherSecret, "", time.Now(), http.Header{"Content-Type": {"application/json"}})
	if status, answer := p.post(t, "/webhooks/stripe", body, h); status != 401 {
		t.Fatalf("signed with route other's secret: %d %s", status, answer)
	}
	var list struct {
		Captures []captureJSON `json:"captures"`
	}
	adminGet(t, p, "/api/v1/captures?route=stripe&limit=1", &list)
	if len(list.Captures) != 1 {
		t.Fatalf("no capture for route stripe")
	}
	id := list.Captures[0].ID
	var stored struct {
		Verification doctorVerdict `json:"verification"`
	}
	adminGet(t, p, "/api/v1/captures/"+id, &stored)
	if !stored.Verification.has("other_route_secret") {
		t.Errorf("gateway's verdict %+v lacks other_route_secret", stored.Verification)
	}
	out, stderr, code := hooktapCLI(t, p, cfg, "verify", "--capture", id, "--json")
	var v doctorVerdict
	if err := json.Unmarshal([]byte(out), &v); err != nil || code != 1 {
		t.Fatalf("verify --capture: exit %d (want 1) %v\n%s\n%s", code, err, out, stderr)
	}
	if v.Reason != "mismatch" || !v.has("other_route_secret") {
		t.Fatalf("verify --capture %s: %s %+v, want finding other_route_secret", id, v.Reason, v.Diagnosis)
	}
}
