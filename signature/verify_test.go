package signature

import (
	"strings"
	"testing"
	"time"
)

func TestVerifyHeaderProblems(t *testing.T) {
	for _, scheme := range signingSchemes() {
		t.Run(scheme, func(t *testing.T) {
			good := signedRequest(t, scheme, testBody)
			sigHdr := SignatureHeaders(scheme, Params{})[0]

			missing := good
			missing.Header = good.Header.Clone()
			for _, h := range SignatureHeaders(scheme, Params{}) {
				missing.Header.Del(h)
			}
			requireResult(t, Verify(missing, paramsFor(scheme)), Failed, ReasonMissingHeader)

			dup := good
			dup.Header = good.Header.Clone()
			dup.Header.Add(sigHdr, good.Header.Get(sigHdr))
			requireResult(t, Verify(dup, paramsFor(scheme)), Failed, ReasonMalformedHeader)
		})
	}
}

func TestVerifyMalformedHeaders(t *testing.T) {
	tests := []struct {
		scheme, header, value string
	}{
		{SchemeGitHub, hGitHub256, "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"},
		{SchemeGitHub, hGitHub256, "sha1=01dc10d0c83e72ed246219cdd91669667fe2ca59"},
		{SchemeGitHub, hGitHub256, "sha256=xyz"},
		{SchemeStripe, hStripe, "v1=abc"},
		{SchemeStripe, hStripe, "t=1700000000"},
		{SchemeStripe, hStripe, "t=yesterday,v1=abc"},
		{SchemePaddle, hPaddle, "h1=abc"},
		{SchemeStandard, hWebhookSig, "v1a,abc"},
		{SchemeSlack, hSlackSig, "v1=abc"},
		{SchemeBitbucket, hHubSignature, "sha1=01dc10d0c83e72ed246219cdd91669667fe2ca59"},
		{SchemeLinear, hLinear, "nothex"},
		{SchemeHMAC, hGenericSig, "sha512=abc"},
		{SchemeTimestamped, hGenericSig, strings.Repeat("a", 64)},
		{SchemeDiscord, hDiscordSig, "zz"},
	}
	for _, tt := range tests {
		t.Run(tt.scheme+" "+tt.value, func(t *testing.T) {
			req := signedRequest(t, tt.scheme, testBody)
			req.Header.Set(tt.header, tt.value)
			o := Verify(req, paramsFor(tt.scheme))
			requireResult(t, o, Failed, ReasonMalformedHeader)
			if o.Received != tt.value {
				t.Errorf("received = %q, want %q", o.Received, tt.value)
			}
		})
	}
}

func TestVerifySpecialResults(t *testing.T) {
	gh := signedRequest(t, SchemeGitHub, testBody)
	tests := []struct {
		name   string
		req    Request
		p      Params
		result Result
		reason Reason
		detail string
	}{
		{"none", gh, Params{Scheme: SchemeNone, Secrets: secrets("x")}, Skipped, ReasonSkipped, "verify: none"},
		{"insecure", gh, Params{Secrets: secrets(insecureNoAuth)}, Skipped, ReasonSkipped, "INSECURE_NO_AUTH"},
		{"no secret", gh, Params{Scheme: SchemeGitHub}, Skipped, ReasonNoSecret, "no secret"},
		{"no secret undetected", Request{}, Params{}, Skipped, ReasonNoSecret, "no secret"},
		{"undetected", Request{Body: testBody}, Params{Secrets: secrets("x")}, Failed, ReasonMissingHeader, hStripe},
		{"unknown scheme", gh, Params{Scheme: "sha3", Secrets: secrets("x")}, Failed, ReasonMalformedHeader, "sha3"},
		{"standard secret not base64", signedRequest(t, SchemeStandard, testBody), Params{Scheme: SchemeStandard, Secrets: secrets("whsec_***"),
			Now: fixedClock(testNow)}, Failed, ReasonMismatch, "valid standard secret"},
		{"detected github", gh, Params{Secrets: secrets(secretFor(SchemeGitHub))}, Verified, ReasonOK, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := Verify(tt.req, tt.p)
			requireResult(t, o, tt.result, tt.reason)
			if !strings.Contains(o.Detail, tt.detail) {
				t.Errorf("detail %q lacks %q", o.Detail, tt.detail)
			}
		})
	}
}

func TestOutcomeNeverShowsSecret(t *testing.T) {
	for _, scheme := range signingSchemes() {
		t.Run(scheme, func(t *testing.T) {
			req := signedRequest(t, scheme, testBody)
			p := paramsFor(scheme)
			p.Secrets = []Secret{{Label: "wrong", Value: "whsec_QUJDREVGR0hJSktMTU5PUFFSU1RVVldY"}}
			if scheme == SchemeDiscord {
				p.Secrets[0].Value = strings.Repeat("ab", 32)
			}
			o := Diagnose(req, p, Verify(req, p))
			requireResult(t, o, Failed, ReasonMismatch)
			all := o.Detail + o.Expected + o.Received + o.SignedString
			for _, f := range o.Diagnosis {
				all += f.Message
			}
			if strings.Contains(all, p.Secrets[0].Value) || strings.Contains(all, secretFor(scheme)) {
				t.Errorf("outcome shows a secret: %+v", o)
			}
		})
	}
}

func TestExpectedAndReceived(t *testing.T) {
	req := signedRequest(t, SchemeStripe, testBody)
	p := paramsFor(SchemeStripe)
	p.Secrets = p.Secrets[1:]
	req.Body = []byte(`{}`)
	o := Verify(req, p)
	if o.Received != req.Header.Get(hStripe) {
		t.Errorf("received = %q", o.Received)
	}
	want, _ := Sign(SchemeStripe, SignInput{Secret: secretFor(SchemeStripe), Body: req.Body, Timestamp: time.Unix(testNow, 0)})
	if o.Expected != want.Get(hStripe) {
		t.Errorf("expected = %q, want %q", o.Expected, want.Get(hStripe))
	}
}

func TestHMACAndTimestampedVariants(t *testing.T) {
	body := []byte(`{"event_type":"budget_warning"}`)
	signed, _ := Sign(SchemeHMAC, SignInput{Secret: "k", Body: body})
	hexSig := signed.Get(hGenericSig)
	for _, v := range []string{hexSig, "sha256=" + hexSig, "SHA256=" + strings.ToUpper(hexSig)} {
		req := Request{Header: hdr(hGenericSig, v), Body: body}
		requireResult(t, Verify(req, Params{Scheme: SchemeHMAC, Secrets: secrets("k")}), Verified, ReasonOK)
	}
	custom := Params{Scheme: SchemeTimestamped, Secrets: secrets("k"), Now: fixedClock(testNow),
		SignatureHeader: "x-costkatana-signature", TimestampHeader: "x-costkatana-timestamp"}
	h, _ := Sign(SchemeTimestamped, SignInput{Secret: "k", Body: body, Timestamp: time.Unix(testNow, 0),
		SignatureHeader: custom.SignatureHeader, TimestampHeader: custom.TimestampHeader})
	requireResult(t, Verify(Request{Header: h, Body: body}, custom), Verified, ReasonOK)
	// the same signature with a millisecond timestamp is accepted
	ms := seedHooktap(body, "k", "1700000000000")
	requireResult(t, Verify(Request{Header: ms, Body: body}, Params{Scheme: SchemeTimestamped, Secrets: secrets("k"), Now: fixedClock(testNow)}), Verified, ReasonOK)
	if got := Detect(ms); got != SchemeTimestamped {
		t.Errorf("Detect(X-Hooktap-*) = %q", got)
	}
}

// seedHooktap builds hooktap's own outgoing headers by hand (the timestamped
// formula) with timestamp ts.
func seedHooktap(body []byte, secret, ts string) map[string][]string {
	m := getMAC(algSHA256)
	defer putMAC(m)
	sig := string(m.encode(encHex, m.mac([]byte(secret), []byte(ts+"."), body)))
	return hdr(hHooktapSig, "sha256="+sig, hHooktapTS, ts)
}

func TestDetect(t *testing.T) {
	tests := []struct {
		headers []string
		want    string
	}{
		{[]string{"X-Hub-Signature-256", "sha256=ab", "X-Hub-Signature", "sha1=ab"}, SchemeGitHub},
		{[]string{"X-Hub-Signature", "sha1=ab"}, SchemeGitHub},
		{[]string{"X-Hub-Signature", "sha256=ab"}, SchemeBitbucket},
		{[]string{"X-Hub-Signature", "sha256=ab", "X-GitHub-Event", "push"}, SchemeGitHub},
		{[]string{"X-Gitlab-Token", "t"}, SchemeGitLab},
		{[]string{"Stripe-Signature", "t=1,v1=a"}, SchemeStripe},
		{[]string{"X-Slack-Signature", "v0=a"}, SchemeSlack},
		{[]string{"x-shopify-hmac-sha256", "a"}, SchemeShopify},
		{[]string{"webhook-signature", "v1,a"}, SchemeStandard},
		{[]string{"svix-signature", "v1,a"}, SchemeStandard},
		{[]string{"X-Twilio-Signature", "a"}, SchemeTwilio},
		{[]string{"X-Signature-Ed25519", "a"}, SchemeDiscord},
		{[]string{"Paddle-Signature", "ts=1;h1=a"}, SchemePaddle},
		{[]string{"Linear-Signature", "a"}, SchemeLinear},
		{[]string{"x-zm-signature", "v0=a"}, SchemeZoom},
		{[]string{"X-Webhook-Signature", "a"}, SchemeHMAC},
		{[]string{"X-Webhook-Signature", "a", "X-Webhook-Timestamp", "1"}, SchemeTimestamped},
		{[]string{"X-Webhook-Secret", "a"}, SchemeHeader},
		{[]string{"Content-Type", "application/json"}, ""},
		{nil, ""},
	}
	for _, tt := range tests {
		if got := Detect(hdr(tt.headers...)); got != tt.want {
			t.Errorf("Detect(%v) = %q, want %q", tt.headers, got, tt.want)
		}
	}
}

func TestSchemesAndKnown(t *testing.T) {
	names := Schemes()
	if len(names) != 16 {
		t.Fatalf("Schemes() = %v", names)
	}
	for _, n := range names {
		if !Known(n) {
			t.Errorf("Known(%q) = false", n)
		}
	}
	if Known("sha3") || Known("") {
		t.Error("Known accepts an unknown name")
	}
	names[0] = "mutated"
	if Schemes()[0] == "mutated" {
		t.Error("Schemes returns shared storage")
	}
}
