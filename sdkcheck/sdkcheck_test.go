package sdkcheck

import (
	"net/http"
	"testing"
	"time"

	"github.com/hooktap/hooktap/signature"
)

// sdkSigners are the check.mjs schemes whose official SDK can produce a signature.
var sdkSigners = map[string]bool{"stripe": true, "standard": true, "svix": true, "github": true, "twilio": true, "shopify": true}

const messageID = "msg_2LJf2pXzyxPLQ3kKtGtaqCbZrWb"

// TestSDKSignedAcceptedByHooktap signs realistic deliveries with each provider's SDK and checks
// that signature.Verify accepts them (naming the rotated-in secret) and rejects them tampered.
func TestSDKSignedAcceptedByHooktap(t *testing.T) {
	now := time.Now()
	var fxs []fixture
	var cases []sdkCase
	for _, f := range fixtures(now) {
		if !sdkSigners[f.sdk] {
			continue
		}
		fxs = append(fxs, f)
		cases = append(cases, sdkCase{Mode: "sign", Scheme: f.sdk, Secret: f.secret, Body: f.body, URL: f.url,
			Timestamp: now.Unix(), ID: messageID, Headers: f.headers})
	}
	results := runSDK(t, cases)
	for i, f := range fxs {
		t.Run(f.name, func(t *testing.T) {
			res := results[i]
			if res.Error != "" || len(res.Headers) == 0 {
				t.Fatalf("%s SDK did not sign: %q", f.sdk, res.Error)
			}
			header := requestHeader(f.headers, res.Headers)
			got := hooktapVerify(f, header, f.body)
			if got.Result != signature.Verified || got.MatchedSecret != "current" {
				t.Fatalf("hooktap rejected the %s SDK's signature %v: %+v", f.sdk, res.Headers, got)
			}
			bad := hooktapVerify(f, header, tampered(f.body))
			if bad.Result != signature.Failed || bad.Reason != signature.ReasonMismatch {
				t.Fatalf("hooktap accepted a tampered body signed by the %s SDK: %+v", f.sdk, bad)
			}
		})
	}
}

// TestHooktapSignedAcceptedBySDK signs realistic deliveries with signature.Sign (what replay
// --resign and craft send to an outside receiver) and checks each provider's own verification
// library accepts them, and rejects them tampered.
func TestHooktapSignedAcceptedBySDK(t *testing.T) {
	now := time.Now()
	fxs := fixtures(now)
	var cases []sdkCase
	for _, f := range fxs {
		signed, err := signature.Sign(f.scheme, signature.SignInput{Method: http.MethodPost, URL: f.url,
			Header: requestHeader(f.headers, nil), Body: f.body, Secret: f.secret, Timestamp: now, ID: messageID})
		if err != nil {
			t.Fatalf("%s: signature.Sign: %v", f.name, err)
		}
		headers := flatten(requestHeader(f.headers, flatten(signed)))
		var at int64 // Paddle's 5 s tolerance: hold its clock a second after signing
		if f.sdk == "paddle" {
			at = now.Unix() + 1
		}
		for _, body := range [][]byte{f.body, tampered(f.body)} {
			cases = append(cases, sdkCase{Mode: "verify", Scheme: f.sdk, Secret: f.secret, PublicKey: f.publicKey,
				Body: body, URL: f.url, Headers: headers, VerifyAt: at})
		}
	}
	results := runSDK(t, cases)
	for i, f := range fxs {
		t.Run(f.name, func(t *testing.T) {
			good, bad := results[2*i], results[2*i+1]
			if !good.OK {
				t.Errorf("the %s SDK rejected hooktap's signature %v: %s", f.sdk, cases[2*i].Headers, good.Error)
			}
			if bad.OK {
				t.Errorf("the %s SDK accepted a tampered body under hooktap's signature", f.sdk)
			}
		})
	}
}

// hooktapVerify runs signature.Verify as the gateway would, with the previous secret first so
// the match must come from rotation.
func hooktapVerify(f fixture, header http.Header, body []byte) signature.Outcome {
	secrets := []signature.Secret{{Label: "current", Value: f.secret}}
	if f.previous != "" {
		secrets = append([]signature.Secret{{Label: "previous", Value: f.previous}}, secrets...)
	}
	reqURL := f.url
	if f.localURL != "" {
		reqURL = f.localURL
	}
	return signature.Verify(
		signature.Request{Method: http.MethodPost, URL: reqURL, Header: header, Body: body},
		signature.Params{Scheme: f.scheme, Secrets: secrets, PublicKey: f.publicKey, PublicURL: f.publicBase()},
	)
}

// requestHeader builds the headers of a delivery: the fixture's, then the signature's.
func requestHeader(base, signed map[string]string) http.Header {
	h := http.Header{}
	for k, v := range base {
		h.Set(k, v)
	}
	for k, v := range signed {
		h.Set(k, v)
	}
	return h
}

// flatten keeps the first value of each header, as check.mjs takes them.
func flatten(h http.Header) map[string]string {
	out := make(map[string]string, len(h))
	for k, v := range h {
		if len(v) > 0 {
			out[k] = v[0]
		}
	}
	return out
}
