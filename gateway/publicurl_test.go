package gateway_test

import (
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/hooktap/hooktap/gateway"
	"github.com/hooktap/hooktap/signature"
)

const twilioConfig = `
gateway:
  rate_limit: 1000
  routes:
    tw:
      secret: "twilio-auth-token"
      verify: twilio
`

// TestTwilioVerifiesAgainstThePublicURL: a Twilio route without public_url checks the signature
// against the gateway's public base URL (the tunnel's, read on every request) plus the path, and
// when that base is wrong or missing the request fails with the doctor naming the URL Twilio signed.
func TestTwilioVerifiesAgainstThePublicURL(t *testing.T) {
	var public atomic.Value
	public.Store("")
	h := start(t, twilioConfig, gateway.WithPublicURL(func() string { return public.Load().(string) }))

	const signedFor = "https://abc.ngrok.app/webhooks/tw"
	body := []byte("CallSid=CA123&Digits=1&From=%2B15550001111")
	form := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}
	signed, err := signature.Sign(signature.SchemeTwilio, signature.SignInput{
		Method: http.MethodPost, URL: signedFor, Header: form, Body: body, Secret: "twilio-auth-token"})
	if err != nil {
		t.Fatal(err)
	}
	// What the tunnel hands the gateway: the public host in X-Forwarded-Host, the local Host.
	headers := []string{"Content-Type", form.Get("Content-Type"), "X-Twilio-Signature", signed.Get("X-Twilio-Signature"),
		"X-Forwarded-Host", "abc.ngrok.app", "X-Forwarded-Proto", "https"}

	tests := []struct {
		name     string
		public   string
		verified bool
	}{
		{"tunnel online", "https://abc.ngrok.app", true},
		{"trailing slash on the base", "https://abc.ngrok.app/", true},
		{"no public URL", "", false},
		{"another tunnel URL", "https://other.ngrok.app", false},
		{"tunnel back online", "https://abc.ngrok.app", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			public.Store(tt.public)
			status, answer, _ := h.post("/webhooks/tw", body, headers...)
			c := h.latest()
			if tt.verified {
				if status >= 300 || c.Verification.Result != signature.Verified {
					t.Fatalf("status %d %s, verdict %s (%s); want verified against %s",
						status, answer, c.Verification.Result, c.Verification.Reason, signedFor)
				}
				return
			}
			if status != http.StatusUnauthorized || c.Verification.Reason != signature.ReasonMismatch {
				t.Fatalf("status %d %s, reason %s; want 401 mismatch", status, answer, c.Verification.Reason)
			}
			assertURLMismatch(t, c.Verification.Diagnosis, signedFor)
		})
	}
}

func assertURLMismatch(t *testing.T, findings []signature.Finding, signedFor string) {
	t.Helper()
	for _, f := range findings {
		if f.Code == signature.FindURLMismatch {
			if !strings.Contains(f.Message, signedFor) {
				t.Fatalf("url_mismatch does not name the signed URL %s: %q", signedFor, f.Message)
			}
			return
		}
	}
	t.Fatalf("no %s finding in %+v", signature.FindURLMismatch, findings)
}
