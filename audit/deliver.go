package audit

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/replay"
	"github.com/hooktap/hooktap/signature"
)

// craft builds one delivery of the audited event, signed with the endpoint's secret unless edit
// says otherwise.
func (r *runner) craft(edit func(*replay.CraftOptions)) (*replay.Crafted, error) {
	o := replay.CraftOptions{Secret: r.o.Secret, Now: r.now(), URL: r.signedURL()}
	if edit != nil {
		edit(&o)
	}
	return replay.Craft(r.o.Provider, r.event, o)
}

func (r *runner) signedURL() string {
	if r.o.SignedURL != "" {
		return r.o.SignedURL
	}
	return r.o.URL
}

// deliver sends c within the provider's timeout and times the answer.
func (r *runner) deliver(ctx context.Context, c *replay.Crafted) Answer {
	ctx, cancel := context.WithTimeout(ctx, r.timeout)
	defer cancel()
	start := time.Now()
	got, err := r.o.Sender.Send(ctx, c, r.o.URL, capture.SourceAudit)
	a := Answer{Latency: time.Since(start), DeliveryID: c.DeliveryID}
	a.LatencyMS = ms(a.Latency)
	if got != nil {
		a.CaptureID, a.Status, a.body = got.ID, got.Status, got.ResponseBody
	}
	switch {
	case err == nil:
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		a.Status, a.Error = 0, fmt.Sprintf("no answer within %s", r.timeout)
	default:
		a.Status, a.Error = 0, strings.TrimPrefix(err.Error(), c.Method+" "+r.o.URL+": ")
		var op *net.OpError
		a.refused = errors.As(err, &op) && op.Op == "dial"
	}
	return a
}

// deliverAll sends every delivery at once and returns the answers in order.
func (r *runner) deliverAll(ctx context.Context, cs []*replay.Crafted) []Answer {
	out := make([]Answer, len(cs))
	var wg sync.WaitGroup
	for i, c := range cs {
		wg.Go(func() { out[i] = r.deliver(ctx, c) })
	}
	wg.Wait()
	return out
}

// observe keeps the answer times of accepted deliveries for the speed check.
func (r *runner) observe(as ...Answer) {
	for _, a := range as {
		if a.is2xx() {
			r.latencies = append(r.latencies, a)
		}
	}
}

// describe is an answer as the scorecard prints it.
func (a Answer) describe() string {
	if a.Error != "" {
		return a.Error
	}
	return fmt.Sprintf("%d %s in %s", a.Status, http.StatusText(a.Status), roundDuration(a.Latency))
}

func roundDuration(d time.Duration) time.Duration {
	switch {
	case d >= time.Second:
		return d.Round(10 * time.Millisecond)
	case d >= time.Millisecond:
		return d.Round(100 * time.Microsecond)
	}
	return d.Round(time.Microsecond)
}

// expectAccepted grades a delivery a correct endpoint answers 2xx within the timeout.
func (r *runner) expectAccepted(a Answer) Check {
	c := Check{Status: Pass, Expect: fmt.Sprintf("2xx within %s", r.timeout), Got: a.describe(), Answers: []Answer{a}}
	if a.is2xx() {
		return c
	}
	c.Status = Fail
	c.unreachable = a.refused
	c.Meaning, c.Fix = r.whyNotAccepted(a)
	return c
}

func (r *runner) whyNotAccepted(a Answer) (meaning, fix string) {
	title := r.prof.title
	switch {
	case a.refused:
		return "hooktap could not connect to the endpoint", "start the app and check the URL's host and port"
	case a.Error != "":
		return fmt.Sprintf("%s gives up after %s: %s", title, r.timeout, r.prof.retry),
			"answer 2xx as soon as the delivery is verified and stored; do slow work in the background"
	case a.Status == http.StatusNotFound || a.Status == http.StatusMethodNotAllowed:
		return "nothing handles POST at this URL", "check the path and that the route accepts POST"
	case a.Status >= 400 && a.Status < 500:
		return fmt.Sprintf("the endpoint rejected a correctly signed %s delivery: it uses another secret, another scheme, or verifies something other than the raw body", title),
			fmt.Sprintf("use the secret given to this audit and %s; `hooktap captures show %s` shows exactly what was sent", r.prof.verify, a.CaptureID)
	case a.Status >= 500:
		return fmt.Sprintf("the handler failed on a valid delivery, and %s", r.prof.retry), "the app's log has the error"
	}
	return fmt.Sprintf("a %d is not a 2xx: %s counts it as a failure", a.Status, title), "answer 200 (or 202, 204) once the delivery is verified"
}

// rejection explains a check that a correct endpoint answers 4xx.
type rejection struct {
	meaning string
	// fix defaults to the provider's way of verifying.
	fix string
}

// expectRejected crafts a delivery (edited by edit, then mutate) and grades its answer: 4xx passes.
func (r *runner) expectRejected(ctx context.Context, edit func(*replay.CraftOptions), mutate func(*replay.Crafted), why rejection) Check {
	d, err := r.craft(edit)
	if err != nil {
		return craftFailed(err)
	}
	if mutate != nil {
		mutate(d)
	}
	return r.gradeRejected(r.deliver(ctx, d), why)
}

func (r *runner) gradeRejected(a Answer, why rejection) Check {
	c := Check{Status: Pass, Expect: "4xx (400, 401 or 403)", Got: a.describe(), Answers: []Answer{a}}
	if a.is4xx() {
		return c
	}
	c.Status = Fail
	switch {
	case a.is2xx():
		c.Meaning, c.Fix = why.meaning, why.fix
		if c.Fix == "" {
			c.Fix = r.prof.verify
		}
	case a.Error != "":
		c.Meaning = "no answer: " + r.prof.title + " cannot tell a refused delivery from an outage, and " + r.prof.retry
		c.Fix = "answer 400 or 401 as soon as verification fails"
	default:
		c.Meaning = fmt.Sprintf("a %d for a delivery that fails verification: %s treats it as an outage rather than a refusal, and %s", a.Status, r.prof.title, r.prof.retry)
		c.Fix = "catch the verification error and answer 400 or 401"
	}
	return c
}

// craftFailed reports a delivery hooktap could not build (a secret that does not fit the scheme).
func craftFailed(err error) Check {
	return Check{Status: Fail, Got: "not sent: " + err.Error(), Meaning: "hooktap could not sign this delivery",
		Fix: "check the secret's format for this provider"}
}

// wrongSecret is a valid-looking secret of the scheme's format that is not the endpoint's.
func wrongSecret(scheme string) string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	switch scheme {
	case signature.SchemeStandard:
		return "whsec_" + base64.StdEncoding.EncodeToString(b)
	case signature.SchemeDiscord:
		return hex.EncodeToString(b)
	case signature.SchemeStripe:
		return "whsec_" + hex.EncodeToString(b[:16])
	}
	return "hooktap-audit-" + hex.EncodeToString(b[:16])
}
