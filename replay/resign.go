package replay

import (
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/config"
	"github.com/hooktap/hooktap/signature"
)

// deliveryIDHeaders are the headers that carry a delivery id; a re-signed replay gets fresh
// ones so the gateway's idempotency check treats it as a new delivery.
var deliveryIDHeaders = map[string]func() string{
	"x-github-delivery":          newUUID,
	"x-gitlab-event-uuid":        newUUID,
	"idempotency-key":            newUUID,
	"x-request-id":               newUUID,
	"x-shopify-webhook-id":       newUUID,
	"x-shopify-event-id":         newUUID,
	"webhook-id":                 newStandardMsgID,
	"svix-id":                    newStandardMsgID,
	"linear-delivery":            newUUID,
	"x-request-uuid":             newUUID,
	"i-twilio-idempotency-token": func() string { return "idem-" + newUUID() },
}

// linearTimestamp is where Linear signs its time: inside the body, in milliseconds.
var linearTimestamp = regexp.MustCompile(`("webhookTimestamp"\s*:\s*)\d+`)

// freshLinearTimestamp moves a Linear body's webhookTimestamp to now, changing nothing else in
// the bytes: Linear's SDK rejects a body timestamp older than 60 s, so a re-signed replay needs it.
func freshLinearTimestamp(body []byte, now time.Time) []byte {
	loc := linearTimestamp.FindSubmatchIndex(body)
	if loc == nil {
		return body
	}
	out := append([]byte(nil), body[:loc[3]]...)
	out = strconv.AppendInt(out, now.UnixMilli(), 10)
	return append(out, body[loc[1]:]...)
}

// resign replaces the signature headers of x with fresh ones made with the route's first
// secret. explicit is false when an edit implied it: then a route without a secret (nothing
// to sign with) keeps the stored headers instead of failing.
func (r *Replayer) resign(x *exchange, orig *capture.Capture, explicit bool) error {
	route, ok := r.route(orig.Route)
	if !ok {
		if !explicit {
			return nil
		}
		return fmt.Errorf("cannot re-sign capture %s: route %q is not in the configuration (use --keep-signature to send it as stored)", orig.ID, orig.Route)
	}
	settings := route.Effective(r.cfg.Gateway)
	if len(settings.Secrets) == 0 {
		if !explicit {
			return nil
		}
		return fmt.Errorf("cannot re-sign capture %s: route %q has no secret to sign with", orig.ID, orig.Route)
	}
	scheme := resignScheme(route, orig)
	if scheme == "" || scheme == "none" {
		if !explicit {
			return nil
		}
		return fmt.Errorf("cannot re-sign capture %s: no signature scheme is known for it (set verify: on route %q)", orig.ID, orig.Route)
	}
	if len(route.Signatures) > 0 {
		// A route verified per provider signs with the rule of the capture's scheme.
		route = route.RuleFor(scheme)
		if settings = route.Effective(r.cfg.Gateway); len(settings.Secrets) == 0 {
			return fmt.Errorf("cannot re-sign capture %s: route %q has no signature rule for %s", orig.ID, orig.Route, scheme)
		}
	}
	x.scheme = scheme
	return r.applySignature(x, route, scheme, settings.Secrets[0].Value)
}

func (r *Replayer) route(name string) (config.Route, bool) {
	if r.cfg == nil || name == "" {
		return config.Route{}, false
	}
	return r.cfg.Route(name)
}

// resignScheme is the route's configured scheme, else the one the capture was checked with,
// else the one its headers suggest.
func resignScheme(route config.Route, orig *capture.Capture) string {
	if route.Verify != "" {
		return route.Verify
	}
	if s := orig.Verification.Scheme; s != "" && s != "none" {
		return s
	}
	return signature.Detect(toHTTPHeader(orig.Headers))
}

// applySignature refreshes delivery ids, signs the body, and writes the signature headers
// where the old ones stood (order kept), dropping stale ones the scheme no longer produces.
func (r *Replayer) applySignature(x *exchange, route config.Route, scheme, secret string) error {
	hs := freshDeliveryIDs(x.req.Headers)
	x.req.Headers = hs
	if id := pickDeliveryID(hs); id != "" {
		x.deliveryID = id
	}
	id := headerValue(hs, "webhook-id")
	if id == "" {
		id = headerValue(hs, "svix-id")
	}
	if id == "" {
		id = newStandardMsgID()
	}
	if scheme == signature.SchemeLinear {
		x.req.Body = freshLinearTimestamp(x.req.Body, r.now())
	}
	signURL := x.req.URL
	if route.PublicURL != "" {
		signURL = route.PublicURL
	}
	signed, err := signature.Sign(scheme, signature.SignInput{
		Method: x.req.Method, URL: signURL, Header: toHTTPHeader(hs), Body: x.req.Body, Secret: secret,
		Timestamp: r.now(), ID: id, SignatureHeader: route.SignatureHeader, TimestampHeader: route.TimestampHeader,
	})
	if err != nil {
		return fmt.Errorf("re-sign with %s: %w", scheme, err)
	}
	params := signature.Params{Scheme: scheme, SignatureHeader: route.SignatureHeader, TimestampHeader: route.TimestampHeader}
	for _, name := range signature.SignatureHeaders(scheme, params) {
		if len(signed.Values(name)) == 0 {
			hs = removeHeader(hs, name)
		}
	}
	x.req.Headers = mergeHeaders(hs, signed)
	return nil
}

// freshDeliveryIDs returns a copy of hs with every delivery-id header given a new id.
func freshDeliveryIDs(hs []capture.Header) []capture.Header {
	out := append([]capture.Header(nil), hs...)
	for i, h := range out {
		if gen, ok := deliveryIDHeaders[strings.ToLower(h.Name)]; ok {
			out[i].Value = gen()
		}
	}
	return out
}

// mergeHeaders writes each header of set in place of the first header of that name in hs
// (dropping later repeats), or appends it when hs has none.
func mergeHeaders(hs []capture.Header, set http.Header) []capture.Header {
	keys := make([]string, 0, len(set))
	for k := range set {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		vs := set[k]
		idx := -1
		for i, h := range hs {
			if strings.EqualFold(h.Name, k) {
				idx = i
				break
			}
		}
		if idx < 0 {
			for _, v := range vs {
				hs = append(hs, capture.Header{Name: k, Value: v})
			}
			continue
		}
		name := hs[idx].Name
		rest := removeHeader(hs[idx+1:], k)
		hs = append(hs[:idx:idx], capture.Header{Name: name, Value: vs[0]})
		hs = append(hs, rest...)
		for _, v := range vs[1:] {
			hs = append(hs, capture.Header{Name: name, Value: v})
		}
	}
	return hs
}

func removeHeader(hs []capture.Header, name string) []capture.Header {
	out := make([]capture.Header, 0, len(hs))
	for _, h := range hs {
		if !strings.EqualFold(h.Name, name) {
			out = append(out, h)
		}
	}
	return out
}

// pickDeliveryID follows the gateway's order of delivery-id headers (the idempotency step).
func pickDeliveryID(hs []capture.Header) string {
	for _, name := range []string{"X-GitHub-Delivery", "X-Gitlab-Event-UUID", "webhook-id", "svix-id", "X-Request-ID", "Idempotency-Key"} {
		if v := headerValue(hs, name); v != "" {
			return v
		}
	}
	return ""
}

func headerValue(hs []capture.Header, name string) string {
	for _, h := range hs {
		if strings.EqualFold(h.Name, name) {
			return h.Value
		}
	}
	return ""
}

func toHTTPHeader(hs []capture.Header) http.Header {
	h := make(http.Header, len(hs))
	for _, kv := range hs {
		h.Add(kv.Name, kv.Value)
	}
	return h
}
