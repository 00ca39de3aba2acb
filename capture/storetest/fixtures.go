package storetest

import (
	"crypto/rand"
	"fmt"
	"testing"
	"time"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/signature"
)

// base is a fixed past instant with nanoseconds, so a store that rounds times is caught; recent
// enough that no retention the opener might set would touch it within a test.
var base = time.Now().UTC().Add(-time.Hour).Truncate(time.Second).Add(123456789)

// fullCapture sets every field a Save stores: a binary body, repeated headers in mixed case, a
// header value that is not UTF-8, an empty header, a repeated query parameter.
func fullCapture(at time.Time) *capture.Capture {
	return &capture.Capture{
		ReceivedAt: at,
		Source:     capture.SourceTunnel, Peer: "203.0.113.9:51234", Method: "POST",
		Path: "/webhooks/github-pr", Query: "a=1&a=2&b&c=%00%ff", Route: "github-pr", Event: "pull_request",
		DeliveryID: "72d3162e-cc78-11e3-81ab-4c9367dc0958",
		Headers: []capture.Header{
			{Name: "Host", Value: "a1b2.ngrok.app"}, {Name: "X-Dup", Value: "one"},
			{Name: "Content-Type", Value: "application/octet-stream"}, {Name: "X-Dup", Value: "two"},
			{Name: "X-Odd", Value: "caf\xe9\xff"}, {Name: "X-Empty", Value: ""}, {Name: "x-dup", Value: "three"},
		},
		ContentType: "application/octet-stream",
		Body:        []byte{0, 1, 2, 0xff, 0xfe, 'a', 0, '\n', 0x80, 0xc3, 0x28, '\r', 0},
		Truncated:   true,
		Verification: signature.Outcome{
			Scheme: "github", Result: signature.Failed, Reason: signature.ReasonMismatch,
			Detail: "sha256 differs", MatchedSecret: "github-pr#2", Expected: "sha256=5f0e", Received: "sha256=91ab",
			SignedString: "v0:1700000000:{}",
			Diagnosis:    []signature.Finding{{Code: "reserialised", Message: "pretty-printed JSON"}},
		},
		Status: 401, ResponseBody: []byte("{\"error\":\"bad signature\"}\x00\xff"),
		ResponseHeaders: []capture.Header{{Name: "Content-Length", Value: "27"}, {Name: "Content-Type", Value: "application/json"}},
		Latency:         1234567 * time.Nanosecond,
		Deliveries: []capture.Delivery{
			{Target: "forward", Status: 202, Duration: 3 * time.Millisecond, Attempt: 1},
			{Target: "slack", Error: "timeout", Duration: time.Second, Attempt: 2},
			{Target: "teams", Error: "not delivered by hooktap"},
		},
		ReplayOf: "01jd0000000000000000000000",
		Rendered: "PR #42 opened — ✓",
	}
}

// simple is a small capture received at at; mod adjusts it.
func simple(at time.Time, mod func(c *capture.Capture)) *capture.Capture {
	c := &capture.Capture{ReceivedAt: at, Source: capture.SourceLocal, Method: "POST", Path: "/hook",
		Route: "r", Status: 200, ContentType: "application/json", Body: []byte(`{"n":1}`),
		Headers: []capture.Header{{Name: "Content-Type", Value: "application/json"}}}
	if mod != nil {
		mod(c)
	}
	return c
}

// seed saves n simple captures one second apart, oldest first, and returns their ids.
func seed(t *testing.T, s capture.Store, n int, mod func(i int, c *capture.Capture)) []string {
	t.Helper()
	ids := make([]string, n)
	for i := range n {
		c := simple(base.Add(time.Duration(i)*time.Second), func(c *capture.Capture) {
			c.Path = fmt.Sprintf("/hook/%d", i)
			if mod != nil {
				mod(i, c)
			}
		})
		ids[i] = save(t, s, c).ID
	}
	return ids
}

// randomBytes is n bytes no compression or text rule can shortcut.
func randomBytes(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return b
}

// reversed returns ids newest first, the order every list answers in.
func reversed(ids []string) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[len(ids)-1-i] = id
	}
	return out
}
