package audit_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hooktap/hooktap/audit"
	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/config"
	"github.com/hooktap/hooktap/replay"
	"github.com/hooktap/hooktap/signature"
)

const (
	githubSecret = "It's a Secret to Everybody"
	stripeSecret = "whsec_audit_test_secret"
)

// handler is a receiving endpoint the way an app writes one; each field is one choice it makes.
type handler struct {
	scheme, secret string
	// verify checks the signature; reserialise verifies the compact re-serialisation of the
	// JSON instead of the received bytes (what JSON.stringify(JSON.parse(body)) gives).
	verify, reserialise bool
	limit               int64
	delay               time.Duration
	// params carries the scheme's extra settings (header names, Discord's public key).
	params signature.Params
}

func (h handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var body []byte
	var err error
	if h.limit > 0 {
		body, err = io.ReadAll(http.MaxBytesReader(w, r.Body, h.limit))
	} else {
		body, err = io.ReadAll(r.Body)
	}
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		http.Error(w, "too large", http.StatusRequestEntityTooLarge)
		return
	}
	time.Sleep(h.delay)
	if h.verify {
		signed := body
		if h.reserialise {
			var b bytes.Buffer
			if json.Compact(&b, body) != nil {
				http.Error(w, "bad json", http.StatusBadRequest)
				return
			}
			signed = b.Bytes()
		}
		p := h.params
		p.Scheme, p.Secrets = h.scheme, []signature.Secret{{Label: "app", Value: h.secret}}
		o := signature.Verify(signature.Request{Method: r.Method, URL: "http://" + r.Host + r.URL.RequestURI(), Header: r.Header, Body: signed}, p)
		if !o.OK() {
			http.Error(w, o.Detail, http.StatusUnauthorized)
			return
		}
	}
	answerHandshake(w, body, h.secret)
}

// answerHandshake answers Zoom's url_validation and Discord's PING as their docs ask, and
// anything else with 200.
func answerHandshake(w http.ResponseWriter, body []byte, secret string) {
	var in struct {
		Event   string `json:"event"`
		Type    int    `json:"type"`
		Payload struct {
			PlainToken string `json:"plainToken"`
		} `json:"payload"`
	}
	_ = json.Unmarshal(body, &in)
	w.Header().Set("Content-Type", "application/json")
	switch {
	case in.Event == "endpoint.url_validation":
		m := hmac.New(sha256.New, []byte(secret))
		m.Write([]byte(in.Payload.PlainToken))
		_ = json.NewEncoder(w).Encode(map[string]string{"plainToken": in.Payload.PlainToken, "encryptedToken": hex.EncodeToString(m.Sum(nil))})
	case in.Type == 1:
		_, _ = w.Write([]byte(`{"type":1}`))
	default:
		_, _ = w.Write([]byte(`{"ok":true}`))
	}
}

func runAudit(t *testing.T, h http.Handler, o audit.Options) *audit.Scorecard {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	o.URL = srv.URL + "/webhooks/" + o.Provider
	if o.Burst == 0 {
		o.Burst = 8
	}
	o.OversizeBytes = 2 << 20
	sc, err := audit.Run(context.Background(), o)
	if err != nil {
		t.Fatalf("audit: %v", err)
	}
	return sc
}

func statuses(sc *audit.Scorecard) map[string]audit.Status {
	out := map[string]audit.Status{}
	for _, c := range sc.Checks {
		out[c.ID] = c.Status
	}
	return out
}

func TestCorrectHandlerPassesEveryRequiredCheck(t *testing.T) {
	for _, tc := range []struct{ provider, scheme, secret string }{
		{"github", signature.SchemeGitHub, githubSecret},
		{"stripe", signature.SchemeStripe, stripeSecret},
	} {
		t.Run(tc.provider, func(t *testing.T) {
			sc := runAudit(t, handler{scheme: tc.scheme, secret: tc.secret, verify: true, limit: 1 << 20},
				audit.Options{Provider: tc.provider, Secret: tc.secret})
			if !sc.Passed {
				var b strings.Builder
				_ = sc.WriteText(&b)
				t.Fatalf("a correct handler failed the audit:\n%s", b.String())
			}
			if sc.Warnings != 0 {
				t.Errorf("a fast, bounded handler got %d warnings: %v", sc.Warnings, statuses(sc))
			}
		})
	}
}

// TestEveryProviderCorrectHandlerPasses audits a correct handler for every craftable provider:
// each provider's battery must be passable, or the audit would blame a correct endpoint.
func TestEveryProviderCorrectHandlerPasses(t *testing.T) {
	const seed = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"
	for _, p := range replay.Providers() {
		t.Run(p.Name, func(t *testing.T) {
			h := handler{scheme: p.Scheme, secret: "audit-secret-0123456789", verify: true, limit: 1 << 20}
			sign := h.secret
			switch p.Scheme {
			case signature.SchemeStandard:
				h.secret, sign = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
			case signature.SchemeDiscord:
				sign = seed
				h.params.PublicKey, _ = signature.DiscordPublicKey(seed)
				h.secret = h.params.PublicKey
			case signature.SchemeTimestamped:
				h.params.SignatureHeader, h.params.TimestampHeader = "X-Costkatana-Signature", "X-Costkatana-Timestamp"
			}
			sc := runAudit(t, h, audit.Options{Provider: p.Name, Secret: sign, Burst: 4})
			if !sc.Passed || sc.Warnings != 0 {
				var b strings.Builder
				_ = sc.WriteText(&b)
				t.Fatalf("a correct %s handler did not pass cleanly:\n%s", p.Name, b.String())
			}
		})
	}
}

func TestCarelessHandlerFailsTheSignatureChecks(t *testing.T) {
	sc := runAudit(t, handler{}, audit.Options{Provider: "stripe", Secret: stripeSecret})
	if sc.Passed {
		t.Fatal("a handler that accepts everything passed the audit")
	}
	got := statuses(sc)
	for _, id := range []string{"tampered", "unsigned", "wrong_secret", "stale", "reserialised"} {
		if got[id] != audit.Fail {
			t.Errorf("check %s = %s, want fail", id, got[id])
		}
	}
	for _, id := range []string{"signed", "duplicate", "burst"} {
		if got[id] != audit.Pass {
			t.Errorf("check %s = %s, want pass", id, got[id])
		}
	}
	if got["oversized"] != audit.Warn {
		t.Errorf("an unbounded handler's oversized check = %s, want warn", got["oversized"])
	}
}

func TestParsedJSONHandlerFailsTheReserialisedCheck(t *testing.T) {
	sc := runAudit(t, handler{scheme: signature.SchemeGitHub, secret: githubSecret, verify: true, reserialise: true, limit: 1 << 20},
		audit.Options{Provider: "github", Secret: githubSecret})
	got := statuses(sc)
	if got["reserialised"] != audit.Fail {
		t.Errorf("reserialised = %s, want fail for a handler that verifies parsed JSON", got["reserialised"])
	}
	if got["signed"] != audit.Pass || got["tampered"] != audit.Pass {
		t.Errorf("signed = %s, tampered = %s: GitHub's compact bodies survive re-serialisation", got["signed"], got["tampered"])
	}
	if sc.Passed {
		t.Error("the audit passed a handler that verifies parsed JSON")
	}
}

func TestSlowHandlerIsFlagged(t *testing.T) {
	sc := runAudit(t, handler{scheme: signature.SchemeGitHub, secret: githubSecret, verify: true, limit: 1 << 20, delay: 700 * time.Millisecond},
		audit.Options{Provider: "github", Secret: githubSecret, Timeout: time.Second})
	for _, c := range sc.Checks {
		if c.ID != "speed" {
			continue
		}
		if c.Status != audit.Warn || !strings.Contains(c.Meaning, "GitHub does not retry") {
			t.Errorf("speed = %s (%q), want a warning naming GitHub's retry behaviour", c.Status, c.Meaning)
		}
		return
	}
	t.Fatal("no speed check in the scorecard")
}

func TestTimeoutFailsTheSignedCheck(t *testing.T) {
	sc := runAudit(t, handler{delay: 400 * time.Millisecond}, audit.Options{Provider: "slack", Secret: "s", Timeout: 200 * time.Millisecond})
	if got := statuses(sc)["signed"]; got != audit.Fail || sc.Passed {
		t.Errorf("signed = %s, passed = %v for a handler slower than the timeout", got, sc.Passed)
	}
}

func TestUnreachableEndpointSkipsTheRest(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	sc, err := audit.Run(context.Background(), audit.Options{URL: url, Provider: "github", Secret: githubSecret})
	if err != nil {
		t.Fatal(err)
	}
	got := statuses(sc)
	if got["signed"] != audit.Fail || got["burst"] != audit.Skip || sc.Passed {
		t.Errorf("unreachable: %v passed=%v", got, sc.Passed)
	}
}

func TestBadOptions(t *testing.T) {
	for name, o := range map[string]audit.Options{
		"url":      {URL: "ftp://x", Provider: "github", Secret: "s"},
		"provider": {URL: "http://127.0.0.1:1/", Provider: "nope", Secret: "s"},
		"secret":   {URL: "http://127.0.0.1:1/", Provider: "github"},
		"event":    {URL: "http://127.0.0.1:1/", Provider: "github", Secret: "s", Event: "nope"},
	} {
		if _, err := audit.Run(context.Background(), o); !errors.Is(err, audit.ErrBadOptions) {
			t.Errorf("%s: err = %v, want ErrBadOptions", name, err)
		}
	}
}

// TestEveryRequestIsCaptured runs the audit through a Replayer on a real store: each request is
// a capture with source audit, and the scorecard names it.
func TestEveryRequestIsCaptured(t *testing.T) {
	st, err := capture.Open(filepath.Join(t.TempDir(), "captures.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	cfg := config.Default()
	rp := replay.NewReplayer(st, &cfg, "", nil)
	sc := runAudit(t, handler{scheme: signature.SchemeGitHub, secret: githubSecret, verify: true, limit: 1 << 20},
		audit.Options{Provider: "github", Secret: githubSecret, Sender: rp})
	ids := sc.CaptureIDs()
	page, err := st.List(context.Background(), capture.Filter{Source: capture.SourceAudit, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) == 0 || len(page.Captures) != len(ids) {
		t.Fatalf("scorecard names %d captures, the store holds %d with source audit", len(ids), len(page.Captures))
	}
	c, err := st.Get(context.Background(), ids[0])
	if err != nil || c.Source != capture.SourceAudit || c.Status != http.StatusOK {
		t.Fatalf("first capture = %+v, %v", c, err)
	}
}
