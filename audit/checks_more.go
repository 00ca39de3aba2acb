package audit

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"github.com/hooktap/hooktap/replay"
)

// runReserialised signs the compact form of the body and sends it indented. An endpoint that
// verifies the raw bytes rejects it; one that parses the JSON and verifies JSON.stringify's
// output (or any compact re-serialisation) accepts it, and so fails real deliveries whose
// formatting, key order or escapes differ from its serialiser's.
func runReserialised(ctx context.Context, r *runner) Check {
	orig, err := r.craft(nil)
	if err != nil {
		return craftFailed(err)
	}
	var compact, indented bytes.Buffer
	if json.Compact(&compact, orig.Body) != nil {
		return Check{Status: Skip, Got: "the event's body is not JSON"}
	}
	_ = json.Indent(&indented, compact.Bytes(), "", "  ") // compact is valid JSON
	d, err := r.craft(func(o *replay.CraftOptions) { o.Body, o.DeliveryID = compact.Bytes(), orig.DeliveryID })
	if err != nil {
		return craftFailed(err)
	}
	d.Body = indented.Bytes()
	return r.gradeRejected(r.deliver(ctx, d), rejection{
		meaning: "the endpoint verified the signature over re-serialised JSON, not the bytes it received: deliveries whose formatting, key order or escapes differ from its serialiser's fail, and a body crafted to match passes",
		fix:     "verify the raw body before any JSON parser touches it (express.raw(), request.get_data(), io.ReadAll), then parse",
	})
}

func unlessHandshake(r *runner) string {
	if _, ok := handshakes[r.o.Provider]; !ok {
		return fmt.Sprintf("%s has no endpoint handshake", r.prof.title)
	}
	return ""
}

// handshake is a provider's endpoint validation: the event it sends and the answer it wants.
type handshake struct {
	event  string
	expect string
	check  func(r *runner, sent, answer []byte) string // "" when the answer is right
}

var handshakes = map[string]handshake{
	"zoom": {event: "endpoint.url_validation",
		expect: `200 {"plainToken": …, "encryptedToken": hex HMAC-SHA256(secret, plainToken)}`, check: zoomAnswer},
	"discord": {event: "ping", expect: `2xx {"type": 1}`, check: discordAnswer},
}

func runChallenge(ctx context.Context, r *runner) Check {
	hs := handshakes[r.o.Provider]
	d, err := replay.Craft(r.o.Provider, hs.event, replay.CraftOptions{Secret: r.o.Secret, Now: r.now(), URL: r.signedURL()})
	if err != nil {
		return craftFailed(err)
	}
	a := r.deliver(ctx, d)
	c := Check{Status: Pass, Expect: hs.expect, Got: a.describe(), Answers: []Answer{a}}
	if !a.is2xx() {
		c.Status = Fail
		c.Meaning, c.Fix = r.whyNotAccepted(a)
		return c
	}
	if why := hs.check(r, d.Body, a.body); why != "" {
		c.Status, c.Got = Fail, c.Got+": "+why
		c.Meaning = fmt.Sprintf("%s will not accept the endpoint until it answers the %s handshake", r.prof.title, hs.event)
		c.Fix = "answer " + hs.expect
	}
	return c
}

func zoomAnswer(r *runner, sent, answer []byte) string {
	var in struct {
		Payload struct {
			PlainToken string `json:"plainToken"`
		} `json:"payload"`
	}
	var out struct {
		PlainToken     string `json:"plainToken"`
		EncryptedToken string `json:"encryptedToken"`
	}
	_ = json.Unmarshal(sent, &in) // hooktap's own fixture
	if err := json.Unmarshal(answer, &out); err != nil {
		return "the answer is not JSON"
	}
	m := hmac.New(sha256.New, []byte(r.o.Secret))
	m.Write([]byte(in.Payload.PlainToken))
	switch {
	case out.PlainToken != in.Payload.PlainToken:
		return "plainToken is not the one sent"
	case !hmac.Equal([]byte(out.EncryptedToken), []byte(hex.EncodeToString(m.Sum(nil)))):
		return "encryptedToken is not HMAC-SHA256(secret, plainToken) in hex"
	}
	return ""
}

func discordAnswer(_ *runner, _, answer []byte) string {
	var out struct {
		Type int `json:"type"`
	}
	if json.Unmarshal(answer, &out) != nil || out.Type != 1 {
		return `the answer is not {"type": 1}`
	}
	return ""
}

func runDuplicate(ctx context.Context, r *runner) Check {
	first, err := r.craft(nil)
	if err != nil {
		return craftFailed(err)
	}
	a1 := r.deliver(ctx, first)
	again, err := r.craft(func(o *replay.CraftOptions) { o.DeliveryID = first.DeliveryID })
	if err != nil {
		return craftFailed(err)
	}
	a2 := r.deliver(ctx, again)
	r.observe(a1, a2)
	c := Check{Status: Pass, Expect: "2xx, then 2xx again", Got: a1.describe() + ", then " + a2.describe(), Answers: []Answer{a1, a2}}
	if a1.is2xx() && a2.is2xx() {
		return c
	}
	c.Status = Fail
	if !a1.is2xx() {
		c.Meaning, c.Fix = r.whyNotAccepted(a1)
		return c
	}
	c.Meaning = fmt.Sprintf("a delivery seen before was not answered 2xx: %s retries anything else, so one duplicate becomes a retry loop (%s)", r.prof.title, r.prof.retry)
	c.Fix = fmt.Sprintf("remember %s and answer 2xx, without doing the work again, for one already handled", r.prof.dedupeOn)
	return c
}

func runOversized(ctx context.Context, r *runner) Check {
	d, err := r.craft(func(o *replay.CraftOptions) { o.OversizeTo = r.o.OversizeBytes })
	if err != nil {
		return craftFailed(err)
	}
	a := r.deliver(ctx, d)
	size := fmt.Sprintf("%.1f MiB", float64(len(d.Body))/(1<<20))
	c := Check{Status: Pass, Expect: "4xx (413) for a " + size + " body", Got: a.describe(), Answers: []Answer{a}}
	switch {
	case a.is4xx():
	case a.is2xx():
		c.Status = Warn
		c.Meaning = "the endpoint read and accepted a " + size + " body: without a limit, a flood of large bodies exhausts its memory"
		c.Fix = "bound the body read (http.MaxBytesReader, express.raw({limit})) and answer 413 beyond it"
	default:
		c.Status = Fail
		c.Meaning = "an oversized body got a server error or a dropped connection: the sender cannot tell that from an outage and retries"
		c.Fix = "bound the body read and answer 413 cleanly beyond the limit"
	}
	return c
}

func runBurst(ctx context.Context, r *runner) Check {
	ds := make([]*replay.Crafted, r.o.Burst)
	for i := range ds {
		d, err := r.craft(nil)
		if err != nil {
			return craftFailed(err)
		}
		ds[i] = d
	}
	answers := r.deliverAll(ctx, ds)
	r.observe(answers...)
	c := Check{Status: Pass, Expect: fmt.Sprintf("%d × 2xx, each within %s", len(ds), r.timeout),
		Answers: answers, Latency: latencyOf(answers)}
	failed := 0
	for _, a := range answers {
		if !a.is2xx() {
			failed++
		}
	}
	c.Got = fmt.Sprintf("%d of %d accepted", len(ds)-failed, len(ds))
	if c.Latency != nil {
		c.Got += fmt.Sprintf(", p50 %s, p99 %s", roundDuration(c.Latency.P50), roundDuration(c.Latency.P99))
	}
	if failed > 0 {
		c.Status = Fail
		c.Meaning = fmt.Sprintf("%d of %d concurrent deliveries were refused, failed or too slow; providers deliver in parallel, and %s", failed, len(ds), r.prof.retry)
		c.Fix = "answer quickly and concurrently: store the delivery, answer 2xx, process it in the background"
	}
	return c
}

// runSpeed grades every accepted answer so far against half the provider's timeout: beyond it,
// a busier moment pushes deliveries past the timeout.
func runSpeed(_ context.Context, r *runner) Check {
	l := latencyOf(r.latencies)
	if l == nil {
		return Check{Status: Skip, Got: "no delivery was accepted"}
	}
	c := Check{Status: Pass, Expect: fmt.Sprintf("under %s (half of %s's %s timeout)", r.timeout/2, r.prof.title, r.timeout),
		Got: fmt.Sprintf("p50 %s, p99 %s, slowest %s", roundDuration(l.P50), roundDuration(l.P99), roundDuration(l.Max)), Latency: l}
	if l.Max > r.timeout/2 {
		c.Status = Warn
		c.Meaning = fmt.Sprintf("the slowest answer took %s of the %s %s allows; past it, %s", roundDuration(l.Max), r.timeout, r.prof.title, r.prof.retry)
		c.Fix = "answer 2xx as soon as the delivery is verified and stored; do slow work in the background"
	}
	return c
}
