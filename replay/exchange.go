package replay

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"syscall"
	"time"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/signature"
)

// exchange is one request hooktap sends on the user's behalf, with what its capture records.
type exchange struct {
	req                      wireRequest
	source                   capture.Source
	replayOf                 string
	route, event, deliveryID string
	scheme                   string
}

// ErrGatewayDown is a send to the running gateway's address that nothing listens on.
var ErrGatewayDown = errors.New("no hooktap gateway is listening there — start `hooktap` (or `hooktap serve`) first, or send elsewhere with --to URL")

// pollEvery is how often the store is asked for the gateway's capture of a replay.
const pollEvery = 20 * time.Millisecond

// exchange sends x and returns its capture: the gateway's own when the target is the running
// gateway, else one saved here. A failed send is captured too and returned with the error.
func (r *Replayer) exchange(ctx context.Context, x exchange) (*capture.Capture, error) {
	req := x.req
	toGateway := r.isGateway(req.URL)
	if toGateway && x.source == capture.SourceReplay && r.gateway != nil {
		return r.viaGateway(ctx, x)
	}
	nonce := ""
	if toGateway {
		nonce = newNonce()
		req.Headers = append(append([]capture.Header(nil), req.Headers...),
			capture.Header{Name: HeaderSource, Value: string(x.source)}, capture.Header{Name: HeaderNonce, Value: nonce})
		if x.replayOf != "" {
			req.Headers = append(req.Headers, capture.Header{Name: HeaderReplayOf, Value: x.replayOf})
		}
	}
	start := r.now()
	resp, sendErr := sendWire(ctx, req, r.timeout(), r.tlsConfig())
	latency := r.now().Sub(start)
	if toGateway && sendErr == nil {
		if c := r.findGatewayCapture(ctx, x, resp, nonce, start); c != nil {
			return c, nil
		}
	}
	if toGateway && errors.Is(sendErr, syscall.ECONNREFUSED) {
		// Nothing reached a gateway, so there is no exchange to record: a capture with no
		// answer would only stand for "hooktap was not running".
		return nil, fmt.Errorf("%s %s: %w", req.Method, req.URL, ErrGatewayDown)
	}
	c := recordExchange(x, resp, sendErr, start, latency)
	// The store may be shared with a caller whose context was cancelled mid-send; the attempt
	// must still be recorded, so saving does not inherit that cancellation.
	saveCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := r.store.Save(saveCtx, c); err != nil {
		return nil, errors.Join(sendErr, err)
	}
	if sendErr != nil {
		return c, fmt.Errorf("%s %s: %w", req.Method, req.URL, sendErr)
	}
	return c, nil
}

// recordExchange builds the capture of an exchange the gateway did not see.
func recordExchange(x exchange, resp *wireResponse, sendErr error, start time.Time, latency time.Duration) *capture.Capture {
	u, _ := url.Parse(x.req.URL) // sendWire already rejected a URL that does not parse
	c := &capture.Capture{
		ReceivedAt: start, Source: x.source, Method: x.req.Method, Route: x.route, Event: x.event,
		DeliveryID: x.deliveryID, Headers: x.req.Headers, ContentType: headerValue(x.req.Headers, "Content-Type"),
		Body: x.req.Body, Latency: latency, ReplayOf: x.replayOf,
		Verification: signature.Outcome{Scheme: x.scheme, Result: signature.Skipped, Reason: signature.ReasonSkipped,
			Detail: "sent to " + x.req.URL + "; the target checks the signature"},
	}
	if u != nil {
		c.Peer, c.Path, c.Query = u.Host, u.Path, u.RawQuery
	}
	d := capture.Delivery{Target: x.req.URL, Duration: latency, Attempt: 1}
	if sendErr != nil {
		d.Error = sendErr.Error()
	} else {
		c.Status, c.ResponseBody, d.Status = resp.Status, resp.Body, resp.Status
	}
	c.Deliveries = []capture.Delivery{d}
	return c
}

// findGatewayCapture waits (bounded by findWithin) for the capture the gateway made of our
// request: by the id in a 202 answer, else by our nonce among the newest captures.
func (r *Replayer) findGatewayCapture(ctx context.Context, x exchange, resp *wireResponse, nonce string, since time.Time) *capture.Capture {
	var answer struct {
		ID string `json:"id"`
	}
	if json.Unmarshal(resp.Body, &answer) == nil && answer.ID != "" {
		if c, err := r.store.Get(ctx, answer.ID); err == nil && r.isOurs(c, x, nonce) {
			return c
		}
	}
	ctx, cancel := context.WithTimeout(ctx, r.findWithin)
	defer cancel()
	tick := time.NewTicker(pollEvery)
	defer tick.Stop()
	for {
		page, err := r.store.List(ctx, capture.Filter{Since: since.Add(-time.Second), Limit: 100})
		if err == nil {
			for _, c := range page.Captures {
				if r.isOurs(c, x, nonce) {
					if full, err := r.store.Get(ctx, c.ID); err == nil {
						return full
					}
					return c
				}
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
	}
}

// isOurs matches the nonce when the gateway kept our headers, else the replay link or the
// crafted delivery id.
func (r *Replayer) isOurs(c *capture.Capture, x exchange, nonce string) bool {
	if n := c.HeaderValue(HeaderNonce); n != "" {
		return n == nonce
	}
	if x.replayOf != "" {
		return c.ReplayOf == x.replayOf
	}
	return x.deliveryID != "" && c.DeliveryID == x.deliveryID && c.Source == x.source
}
