package tuitest

import (
	"fmt"
	"strconv"
	"time"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/signature"
)

// Fixtures returns four realistic captures with ids ID(1)…ID(4), oldest first: a verified
// GitHub pull_request, a Stripe event failing with a diagnosis, a form post to the inspect route,
// and a binary body.
func Fixtures() []*capture.Capture {
	at := func(sec int) time.Time { return Now.Add(time.Duration(sec-60) * time.Second) }
	github := []byte(`{"action":"opened","number":42,"pull_request":{"title":"Fix the flux capacitor","user":{"login":"octocat"}}}`)
	stripe := []byte(`{"id":"evt_1","type":"payment_intent.succeeded","data":{"object":{"amount":2000}}}`)
	form := []byte("payload=%7B%22ok%22%3Atrue%7D&name=hook+tap")
	return []*capture.Capture{
		{
			ID: ID(1), ReceivedAt: at(2), Source: capture.SourceLocal, Peer: "127.0.0.1:50412",
			Method: "POST", Path: "/webhooks/inspect", Route: "inspect", ContentType: "application/x-www-form-urlencoded",
			Headers: headers("Content-Type", "application/x-www-form-urlencoded", "Content-Length", strconv.Itoa(len(form))),
			Body:    form, Status: 200, Latency: 900 * time.Microsecond,
			Verification: signature.Outcome{Result: signature.Skipped, Reason: signature.ReasonNoSecret},
		},
		{
			ID: ID(2), ReceivedAt: at(15), Source: capture.SourceTunnel, Peer: "54.187.174.169:443",
			Method: "POST", Path: "/webhooks/stripe", Route: "stripe", Event: "payment_intent.succeeded",
			DeliveryID: "evt_1", ContentType: "application/json",
			Headers: headers("Content-Type", "application/json", "Stripe-Signature", "t=1772620335,v1=91ab03c2", "Content-Length", strconv.Itoa(len(stripe))),
			Body:    stripe, Status: 401, ResponseBody: []byte(`{"error":"signature mismatch","reason":"mismatch"}`), Latency: 2 * time.Millisecond,
			ResponseHeaders: headers("Content-Length", "50", "Content-Type", "application/json"),
			Verification: signature.Outcome{Scheme: "stripe", Result: signature.Failed, Reason: signature.ReasonMismatch,
				Detail:    "no v1 signature matches the body",
				Diagnosis: []signature.Finding{{Code: "reserialized_json", Message: "the body was re-serialised after signing; the compact form matches"}},
				Expected:  "v1=5f0e11d2", Received: "v1=91ab03c2"},
		},
		{
			ID: ID(3), ReceivedAt: at(40), Source: capture.SourceTunnel, Peer: "140.82.115.9:443",
			Method: "POST", Path: "/webhooks/github-pr", Route: "github-pr", Event: "pull_request",
			DeliveryID: "72d3162e-cc78-11e3-81ab-4c9367dc0958", ContentType: "application/json",
			Headers: headers("Content-Type", "application/json", "X-GitHub-Event", "pull_request",
				"X-GitHub-Delivery", "72d3162e-cc78-11e3-81ab-4c9367dc0958", "X-Hub-Signature-256", "sha256=5f0e",
				"User-Agent", "GitHub-Hookshot/044aadd", "Content-Length", strconv.Itoa(len(github))),
			Body: github, Status: 202, Latency: 7 * time.Millisecond, Rendered: "PR #42 opened by octocat",
			Verification: signature.Outcome{Scheme: "github", Result: signature.Verified, Reason: signature.ReasonOK, MatchedSecret: "github-pr#1"},
			Deliveries:   []capture.Delivery{{Target: "http://127.0.0.1:3000/hook", Status: 200, Duration: 12 * time.Millisecond, Attempt: 1}},
		},
		{
			ID: ID(4), ReceivedAt: at(55), Source: capture.SourceLocal, Peer: "127.0.0.1:50413",
			Method: "PUT", Path: "/webhooks/inspect", Route: "inspect", ContentType: "application/octet-stream",
			Headers: headers("Content-Type", "application/octet-stream", "Content-Length", "6"),
			Body:    []byte{0, 1, 2, 0xff, 0xfe, 'x'}, Status: 200, Latency: 1200 * time.Microsecond,
			Verification: signature.Outcome{Result: signature.Skipped, Reason: signature.ReasonNoSecret},
		},
	}
}

func headers(kv ...string) []capture.Header {
	hs := make([]capture.Header, 0, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		hs = append(hs, capture.Header{Name: kv[i], Value: kv[i+1]})
	}
	return hs
}

// Many returns n small captures with ids ID(base+1)…ID(base+n), one second apart, cycling
// through routes and verdicts.
func Many(base, n int) []*capture.Capture {
	routes := []string{"github-pr", "stripe", "inspect"}
	results := []signature.Result{signature.Verified, signature.Failed, signature.Skipped}
	cs := make([]*capture.Capture, n)
	for i := range cs {
		k := base + i + 1
		body := fmt.Sprintf(`{"n":%d}`, k)
		cs[i] = &capture.Capture{
			ID: ID(k), ReceivedAt: Now.Add(time.Duration(k-base-n) * time.Second), Source: capture.SourceLocal,
			Method: "POST", Path: "/webhooks/" + routes[k%3], Route: routes[k%3], Event: "push",
			Headers: headers("Content-Length", strconv.Itoa(len(body))), Body: []byte(body),
			Status: 200, Latency: time.Millisecond, Verification: signature.Outcome{Result: results[k%3]},
		}
	}
	return cs
}
