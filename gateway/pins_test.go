package gateway_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hooktap/hooktap/gateway"
	"github.com/hooktap/hooktap/signature"
)

const autoRouteConfig = `
gateway:
  routes:
    pay:
      secret: "s3cret"
    gh:
      secret: "s3cret"
      verify: github
`

func hmacHex(secret, msg string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(msg))
	return hex.EncodeToString(m.Sum(nil))
}

// A Stripe v1 signature is HMAC(secret, t + "." + body): a valid GitHub signature of the body
// t + "." + body. On a route without verify:, that let a week-old Stripe delivery be re-sent in
// GitHub's header and accepted. The route now pins the scheme of its first verified delivery.
func TestCrossSchemeForgeryRefused(t *testing.T) {
	h := start(t, autoRouteConfig)
	body := `{"id":"evt_1","type":"payment_intent.succeeded"}`
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	v1 := hmacHex("s3cret", ts+"."+body)
	status, answer, _ := h.post("/webhooks/pay", []byte(body), "Stripe-Signature", "t="+ts+",v1="+v1)
	if status != 202 {
		t.Fatalf("the real Stripe delivery: %d %s", status, answer)
	}
	if pin, ok := h.srv.RoutePin("pay"); !ok || pin.Scheme != "stripe" {
		t.Fatalf("route pay pin = %+v, %v; want stripe", pin, ok)
	}
	forged := ts + "." + body
	status, answer, _ = h.post("/webhooks/pay", []byte(forged), "X-Hub-Signature-256", "sha256="+v1, "X-GitHub-Event", "push")
	c := h.latest()
	if status != 401 || c.Verification.Reason != signature.ReasonSchemeMismatch {
		t.Fatalf("the Stripe signature re-sent as GitHub's: %d %s (reason %q), want 401 scheme_mismatch", status, answer, c.Verification.Reason)
	}
	if !strings.Contains(c.Verification.Detail, "accepts stripe signatures only") {
		t.Errorf("detail %q does not say which scheme the route accepts", c.Verification.Detail)
	}
}

// A route with verify: accepts that scheme only, and says so.
func TestVerifySchemeRefusesOthers(t *testing.T) {
	h := start(t, autoRouteConfig)
	body := `{"a":1}`
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	status, _, _ := h.post("/webhooks/gh", []byte(body), "Stripe-Signature", "t="+ts+",v1="+hmacHex("s3cret", ts+"."+body))
	if c := h.latest(); status != 401 || c.Verification.Reason != signature.ReasonSchemeMismatch {
		t.Fatalf("stripe headers on a verify: github route: %d, reason %q", status, c.Verification.Reason)
	}
}

// The pin is kept in the store: a restart does not let the sender choose again.
func TestSchemePinSurvivesRestart(t *testing.T) {
	h := start(t, autoRouteConfig)
	body := `{"zen":"hi"}`
	if status, answer, _ := h.post("/webhooks/pay", []byte(body), "X-Hub-Signature-256", githubSig("s3cret", []byte(body)),
		"X-GitHub-Event", "push"); status != 202 {
		t.Fatalf("first delivery: %d %s", status, answer)
	}
	cfg, _ := gateway.OpenTestEnv(t, autoRouteConfig) // the same routes; the first store is the one reopened
	again, err := gateway.New(cfg, h.store)
	if err != nil {
		t.Fatal(err)
	}
	if pin, ok := again.RoutePin("pay"); !ok || pin.Scheme != "github" {
		t.Fatalf("after a restart the pin is %+v, %v; want github", pin, ok)
	}
}
