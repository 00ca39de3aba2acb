package signature

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"slices"
	"testing"
	"time"
)

const (
	testSeed = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"
	testPub  = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
	testNow  = 1_700_000_000
)

var testBody = []byte(`{"id":"evt_1","type":"payment_intent.succeeded","webhookTimestamp":1700000000000,"data":{"amount":2000}}`)

// secretFor returns a secret valid for the scheme (standard needs whsec_ + base64).
func secretFor(scheme string) string {
	switch scheme {
	case SchemeStandard:
		return "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	case SchemeDiscord:
		return testSeed
	}
	return "s3cret-" + scheme
}

// signedRequest signs body under scheme at testNow and returns the request a provider would send.
func signedRequest(t testing.TB, scheme string, body []byte) Request {
	t.Helper()
	req := Request{Method: http.MethodPost, URL: "https://hooks.example.com/webhooks/" + scheme + "?x=1",
		Header: hdr("Content-Type", "application/json"), Body: body}
	if scheme == SchemeTwilio {
		sum := sha256.Sum256(body) // Twilio JSON deliveries carry the body's hash in the URL
		req.URL += "&bodySHA256=" + hex.EncodeToString(sum[:])
	}
	h, err := Sign(scheme, SignInput{Method: req.Method, URL: req.URL, Header: req.Header, Body: body,
		Secret: secretFor(scheme), Timestamp: time.Unix(testNow, 0)})
	if err != nil {
		t.Fatalf("sign %s: %v", scheme, err)
	}
	for k, v := range h {
		req.Header[k] = v
	}
	return req
}

// paramsFor configures verification for scheme with its test secret (rotation: a wrong one first).
func paramsFor(scheme string) Params {
	p := Params{Scheme: scheme, Now: fixedClock(testNow),
		Secrets: []Secret{{Label: "old", Value: "whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}, {Label: "route#2", Value: secretFor(scheme)}}}
	if scheme == SchemeDiscord {
		p.Secrets = []Secret{{Label: "old", Value: "00" + testPub[2:]}, {Label: "route#2", Value: testPub}}
	}
	return p
}

func signingSchemes() []string {
	return slices.DeleteFunc(Schemes(), func(s string) bool { return s == SchemeNone })
}

func TestSignVerifyRoundTrip(t *testing.T) {
	for _, scheme := range signingSchemes() {
		t.Run(scheme, func(t *testing.T) {
			req := signedRequest(t, scheme, testBody)
			o := Verify(req, paramsFor(scheme))
			requireResult(t, o, Verified, ReasonOK)
			if o.MatchedSecret != "route#2" || o.Scheme != scheme {
				t.Errorf("matched %q scheme %q, want route#2 %s", o.MatchedSecret, o.Scheme, scheme)
			}
			if got := Detect(req.Header); got != scheme && scheme != SchemeHMAC {
				t.Errorf("Detect = %q, want %q", got, scheme)
			}
		})
	}
}

func TestTamperedBodyFails(t *testing.T) {
	for _, scheme := range signingSchemes() {
		if scheme == SchemeGitLab || scheme == SchemeHeader {
			continue // plain tokens do not sign the body
		}
		t.Run(scheme, func(t *testing.T) {
			req := signedRequest(t, scheme, testBody)
			req.Body = append(slices.Clone(testBody[:len(testBody)-1]), ' ', '}')
			o := Verify(req, paramsFor(scheme))
			requireResult(t, o, Failed, ReasonMismatch)
			if o.Detail == "" {
				t.Error("empty detail")
			}
		})
	}
}

func TestStaleTimestamp(t *testing.T) {
	stale := []string{SchemeStripe, SchemeSlack, SchemeZoom, SchemePaddle, SchemeStandard, SchemeTimestamped}
	for _, scheme := range stale {
		t.Run(scheme, func(t *testing.T) {
			req := signedRequest(t, scheme, testBody)
			p := paramsFor(scheme)
			p.Now = fixedClock(testNow + 612)
			o := Verify(req, p)
			requireResult(t, o, Failed, ReasonTimestampTolerance)
			want := "the timestamp is 612 s older than this machine's clock (tolerance 300 s)"
			if o.Detail != want {
				t.Errorf("detail = %q, want %q", o.Detail, want)
			}
			p.Tolerance = 15 * time.Minute
			requireResult(t, Verify(req, p), Verified, ReasonOK)
		})
	}
}

func TestFutureTimestampPolicy(t *testing.T) {
	tests := []struct {
		scheme string
		want   Reason
	}{
		{SchemeStripe, ReasonOK}, // Stripe's SDK only rejects old timestamps
		{SchemePaddle, ReasonOK},
		{SchemeStandard, ReasonTimestampTolerance},
		{SchemeSlack, ReasonTimestampTolerance},
		{SchemeTimestamped, ReasonTimestampTolerance},
	}
	for _, tt := range tests {
		t.Run(tt.scheme, func(t *testing.T) {
			p := paramsFor(tt.scheme)
			p.Now = fixedClock(testNow - 1000)
			if o := Verify(signedRequest(t, tt.scheme, testBody), p); o.Reason != tt.want {
				t.Errorf("reason = %s (%s), want %s", o.Reason, o.Detail, tt.want)
			}
		})
	}
}

func TestLinearBodyTimestamp(t *testing.T) {
	req := signedRequest(t, SchemeLinear, testBody)
	p := paramsFor(SchemeLinear)
	p.Now = fixedClock(testNow + 61)
	requireResult(t, Verify(req, p), Failed, ReasonTimestampTolerance)
	p.Now = fixedClock(testNow + 59)
	requireResult(t, Verify(req, p), Verified, ReasonOK)
	noTS := signedRequest(t, SchemeLinear, []byte(`{"action":"create"}`))
	p.Now = fixedClock(testNow + 10_000)
	requireResult(t, Verify(noTS, p), Verified, ReasonOK)
}

func TestSignErrors(t *testing.T) {
	tests := []struct {
		name   string
		scheme string
		in     SignInput
	}{
		{"unknown scheme", "nope", SignInput{Secret: "x"}},
		{"empty secret", SchemeGitHub, SignInput{}},
		{"standard secret not base64", SchemeStandard, SignInput{Secret: "whsec_***"}},
		{"discord secret not a seed", SchemeDiscord, SignInput{Secret: "abc"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Sign(tt.scheme, tt.in); err == nil {
				t.Fatal("Sign succeeded, want an error")
			}
		})
	}
	if h, err := Sign(SchemeNone, SignInput{}); err != nil || len(h) != 0 {
		t.Errorf("none: %v %v", h, err)
	}
}

func TestSignatureHeadersCoverSign(t *testing.T) {
	for _, scheme := range signingSchemes() {
		req := signedRequest(t, scheme, testBody)
		names := SignatureHeaders(scheme, Params{})
		for k := range req.Header {
			if k != "Content-Type" && !slices.Contains(names, k) {
				t.Errorf("%s: Sign set %s, which SignatureHeaders omits (%v)", scheme, k, names)
			}
		}
	}
	got := SignatureHeaders(SchemeTimestamped, Params{SignatureHeader: "x-costkatana-signature", TimestampHeader: "x-costkatana-timestamp"})
	if !slices.Equal(got, []string{"X-Costkatana-Signature", "X-Costkatana-Timestamp"}) {
		t.Errorf("timestamped overrides = %v", got)
	}
}
