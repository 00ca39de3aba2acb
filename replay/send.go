package replay

import (
	"context"
	"fmt"
	"net/textproto"
	"sort"
	"time"

	"github.com/hooktap/hooktap/capture"
)

// spellings are the header names as the providers write them where Go's canonical form differs;
// the wire keeps them so a crafted request reads like the real one.
var spellings = map[string]string{
	"X-Github-Delivery": "X-GitHub-Delivery", "X-Github-Event": "X-GitHub-Event",
	"X-Github-Hook-Id": "X-GitHub-Hook-ID", "X-Github-Hook-Installation-Target-Id": "X-GitHub-Hook-Installation-Target-ID",
	"X-Github-Hook-Installation-Target-Type": "X-GitHub-Hook-Installation-Target-Type",
	"X-Gitlab-Event-Uuid":                    "X-Gitlab-Event-UUID", "X-Gitlab-Webhook-Uuid": "X-Gitlab-Webhook-UUID",
	"X-Shopify-Api-Version": "X-Shopify-API-Version", "X-Shopify-Hmac-Sha256": "X-Shopify-Hmac-SHA256",
	"Webhook-Id": "webhook-id", "Webhook-Timestamp": "webhook-timestamp", "Webhook-Signature": "webhook-signature",
	"X-Costkatana-Signature": "x-costkatana-signature", "X-Costkatana-Timestamp": "x-costkatana-timestamp",
	"X-Zm-Signature": "x-zm-signature", "X-Zm-Request-Timestamp": "x-zm-request-timestamp",
}

// Send delivers a crafted event to the URL to and returns its capture (the gateway's own when
// to is the running gateway). source is normally capture.SourceCraft.
func (r *Replayer) Send(ctx context.Context, c *Crafted, to string, source capture.Source) (*capture.Capture, error) {
	x := exchange{
		req:    wireRequest{Method: c.Method, URL: to, Headers: c.WireHeaders(), Body: c.Body},
		source: source, event: c.Event, deliveryID: c.DeliveryID, scheme: c.Scheme,
	}
	if x.req.Method == "" {
		x.req.Method = "POST"
	}
	return r.exchange(ctx, x)
}

// WireHeaders lays the headers out as they go on the wire: the provider's order and spelling,
// then any others (signatures, user additions) sorted by name.
func (c *Crafted) WireHeaders() []capture.Header {
	var out []capture.Header
	done := map[string]bool{}
	if p, ok := findProvider(c.Provider); ok {
		for _, kv := range p.headers(c.Event, c.DeliveryID, time.Time{}) {
			key := canonical(kv[0])
			if done[key] {
				continue
			}
			done[key] = true
			for _, v := range c.Header.Values(key) {
				out = append(out, capture.Header{Name: kv[0], Value: v})
			}
		}
	}
	keys := make([]string, 0, len(c.Header))
	for k := range c.Header {
		if !done[canonical(k)] {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		name := k
		if s, ok := spellings[canonical(k)]; ok {
			name = s
		}
		for _, v := range c.Header[k] {
			out = append(out, capture.Header{Name: name, Value: v})
		}
	}
	return out
}

func canonical(name string) string { return textproto.CanonicalMIMEHeaderKey(name) }

// Direct sends crafted events straight to their target without recording them: for callers with
// no capture store. It has the same Send method as Replayer.
type Direct struct {
	// Timeout bounds one send; zero means 30 s.
	Timeout time.Duration
}

// Send delivers c to the URL to and returns the answer as an unsaved capture; a failed send
// returns the capture (with the error in its delivery) and the error.
func (d Direct) Send(ctx context.Context, c *Crafted, to string, source capture.Source) (*capture.Capture, error) {
	timeout := d.Timeout
	if timeout <= 0 {
		timeout = defaultTimeout
	}
	x := exchange{req: wireRequest{Method: c.Method, URL: to, Headers: c.WireHeaders(), Body: c.Body},
		source: source, event: c.Event, deliveryID: c.DeliveryID, scheme: c.Scheme}
	start := time.Now()
	resp, err := sendWire(ctx, x.req, timeout, nil)
	got := recordExchange(x, resp, err, start, time.Since(start))
	if err != nil {
		return got, fmt.Errorf("%s %s: %w", x.req.Method, to, err)
	}
	return got, nil
}
