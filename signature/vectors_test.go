package signature

import (
	"crypto/ed25519"
	"encoding/hex"
	"net/http"
	"net/url"
	"testing"
	"time"
)

func hdr(kv ...string) http.Header {
	h := http.Header{}
	for i := 0; i+1 < len(kv); i += 2 {
		h.Add(kv[i], kv[i+1])
	}
	return h
}

func secrets(vals ...string) []Secret {
	out := make([]Secret, len(vals))
	for i, v := range vals {
		out[i] = Secret{Label: "route#" + string(rune('1'+i)), Value: v}
	}
	return out
}

func fixedClock(unix int64) func() time.Time {
	return func() time.Time { return time.Unix(unix, 0) }
}

func requireResult(t *testing.T, o Outcome, want Result, reason Reason) {
	t.Helper()
	if o.Result != want || o.Reason != reason {
		t.Fatalf("outcome = %s/%s (%s), want %s/%s", o.Result, o.Reason, o.Detail, want, reason)
	}
}

func TestPublicVectors(t *testing.T) {
	const ghSecret, ghBody = "It's a Secret to Everybody", "Hello, World!"
	const ghSHA256 = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
	const ghSHA1 = "sha1=01dc10d0c83e72ed246219cdd91669667fe2ca59"
	twilioForm := url.Values{"CallSid": {"CA1234567890ABCDE"}, "Caller": {"+12349013030"}, "Digits": {"1234"},
		"From": {"+12349013030"}, "To": {"+18005551212"}}.Encode()
	tests := []struct {
		name string
		req  Request
		p    Params
	}{
		{"github sha256", Request{Header: hdr(hGitHub256, ghSHA256), Body: []byte(ghBody)},
			Params{Scheme: SchemeGitHub, Secrets: secrets(ghSecret)}},
		{"github sha1 legacy", Request{Header: hdr(hHubSignature, ghSHA1), Body: []byte(ghBody)},
			Params{Scheme: SchemeGitHub, Secrets: secrets(ghSecret)}},
		{"standard", Request{Header: hdr(hWebhookID, "msg_p5jXN8AQM9LWM0D4loKWxJek", hWebhookTS, "1614265330",
			hWebhookSig, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="), Body: []byte(`{"test": 2432232314}`)},
			Params{Scheme: SchemeStandard, Secrets: secrets("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"), Now: fixedClock(1614265330)}},
		{"standard svix headers", Request{Header: hdr(hSvixID, "msg_p5jXN8AQM9LWM0D4loKWxJek", hSvixTS, "1614265330",
			hSvixSig, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="), Body: []byte(`{"test": 2432232314}`)},
			Params{Secrets: secrets("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"), Now: fixedClock(1614265330)}},
		{"twilio", Request{URL: "https://mycompany.com/myapp.php?foo=1&bar=2",
			Header: hdr(hTwilio, "0/KCTR6DLpKmkAf8muzZqo1nDgQ=", "Content-Type", "application/x-www-form-urlencoded"),
			Body:   []byte(twilioForm)}, Params{Scheme: SchemeTwilio, Secrets: secrets("12345")}},
		{"twilio default port", Request{URL: "https://mycompany.com:443/myapp.php?foo=1&bar=2",
			Header: hdr(hTwilio, "0/KCTR6DLpKmkAf8muzZqo1nDgQ=", "Content-Type", "application/x-www-form-urlencoded"),
			Body:   []byte(twilioForm)}, Params{Scheme: SchemeTwilio, Secrets: secrets("12345")}},
		{"twilio public url", Request{URL: "http://127.0.0.1:8644/myapp.php?foo=1&bar=2",
			Header: hdr(hTwilio, "0/KCTR6DLpKmkAf8muzZqo1nDgQ=", "Content-Type", "application/x-www-form-urlencoded"),
			Body:   []byte(twilioForm)}, Params{Scheme: SchemeTwilio, Secrets: secrets("12345"), PublicURL: "https://mycompany.com/myapp.php"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			requireResult(t, Verify(tt.req, tt.p), Verified, ReasonOK)
		})
	}
}

func TestSignMatchesPublicVectors(t *testing.T) {
	h, err := Sign(SchemeGitHub, SignInput{Secret: "It's a Secret to Everybody", Body: []byte("Hello, World!")})
	if err != nil {
		t.Fatal(err)
	}
	if got := h.Get(hGitHub256); got != "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17" {
		t.Errorf("github sha256 = %s", got)
	}
	if got := h.Get(hHubSignature); got != "sha1=01dc10d0c83e72ed246219cdd91669667fe2ca59" {
		t.Errorf("github sha1 = %s", got)
	}
	h, err = Sign(SchemeStandard, SignInput{Secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", ID: "msg_p5jXN8AQM9LWM0D4loKWxJek",
		Timestamp: time.Unix(1614265330, 0), Body: []byte(`{"test": 2432232314}`)})
	if err != nil {
		t.Fatal(err)
	}
	if got := h.Get(hWebhookSig); got != "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=" {
		t.Errorf("standard = %s", got)
	}
}

func TestDiscordRFC8032Key(t *testing.T) {
	const seed = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"
	const pub = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
	s, _ := hex.DecodeString(seed)
	if got := hex.EncodeToString(ed25519.NewKeyFromSeed(s).Public().(ed25519.PublicKey)); got != pub {
		t.Fatalf("public key = %s", got)
	}
	body := []byte(`{"type":1}`)
	h, err := Sign(SchemeDiscord, SignInput{Secret: seed, Body: body, Timestamp: time.Unix(1700000000, 0)})
	if err != nil {
		t.Fatal(err)
	}
	requireResult(t, Verify(Request{Header: h, Body: body}, Params{PublicKey: pub}), Verified, ReasonOK)
	requireResult(t, Verify(Request{Header: h, Body: []byte(`{"type":2}`)}, Params{PublicKey: pub}), Failed, ReasonMismatch)
}
