// Package replay re-sends captured requests (byte-identical, optionally re-signed or edited) and
// crafts realistic, correctly signed provider events from built-in fixtures.
package replay

import (
	"embed"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/hooktap/hooktap/signature"
)

//go:embed fixtures
var fixtureFS embed.FS

// Crafted is a signed request ready to send.
type Crafted struct {
	Provider, Event, Scheme string
	Method                  string
	Header                  http.Header
	Body                    []byte
	DeliveryID              string
	// Warnings are things the user should know about the result (e.g. --stale on a scheme
	// that carries no timestamp).
	Warnings []string
}

// CraftOptions tune one crafted event.
type CraftOptions struct {
	// Secret signs the event; required.
	Secret string
	// Sets are "a.b=value" edits; the value is JSON when it parses as JSON, else a string.
	Sets []string
	// Body replaces the fixture (used as is unless Sets edit it).
	Body []byte
	// Now is the clock; zero means time.Now.
	Now time.Time
	// Stale moves the signed timestamp (and body times) this far into the past.
	Stale time.Duration
	// Tamper changes the body after signing, so the signature no longer matches.
	Tamper bool
	// DeliveryID reuses an id (a duplicate delivery) instead of a fresh one.
	DeliveryID string
	// OversizeTo pads the body to at least this many bytes.
	OversizeTo int
	// URL is where the delivery goes; Twilio signs it, so a twilio event needs it (the public URL
	// when the receiver sits behind a tunnel).
	URL string
}

// Craft builds a signed delivery of provider's event from its built-in fixture.
func Craft(provider, event string, o CraftOptions) (*Crafted, error) {
	p, err := lookupEvent(provider, event)
	if err != nil {
		return nil, err
	}
	if o.Secret == "" {
		return nil, fmt.Errorf("no secret to sign the %s event with: pass --secret or --route", provider)
	}
	now := o.Now
	if now.IsZero() {
		now = time.Now()
	}
	signedAt := now.Add(-o.Stale)
	id := o.DeliveryID
	if id == "" {
		id = p.newDeliveryID()
	}
	body, err := craftBody(p, event, id, signedAt, o)
	if err != nil {
		return nil, err
	}
	if o.OversizeTo > len(body) {
		body = padBody(body, o.OversizeTo)
	}
	c := &Crafted{Provider: p.Name, Event: event, Scheme: p.Scheme, Method: http.MethodPost,
		Header: http.Header{}, Body: body, DeliveryID: id}
	for _, kv := range p.headers(event, id, signedAt) {
		c.Header.Add(kv[0], kv[1])
	}
	if err := signCrafted(c, p, o.Secret, o.URL, signedAt); err != nil {
		return nil, err
	}
	if o.Stale > 0 && !SignsTimestamp(p.Scheme) {
		c.Warnings = append(c.Warnings, fmt.Sprintf("%s signatures carry no timestamp: --stale cannot make this delivery fail", p.Scheme))
	}
	if o.Tamper {
		c.Body = tamper(c.Body)
	}
	return c, nil
}

// lookupEvent finds the provider and checks the event, naming the valid choices on a miss.
func lookupEvent(provider, event string) (*providerSpec, error) {
	p, ok := findProvider(strings.ToLower(provider))
	if !ok {
		names := make([]string, len(providers))
		for i, s := range providers {
			names[i] = s.Name
		}
		return nil, fmt.Errorf("unknown provider %q; valid providers: %s", provider, strings.Join(names, ", "))
	}
	if !p.hasEvent(event) {
		return nil, fmt.Errorf("unknown %s event %q; valid events: %s", p.Name, event, strings.Join(p.Events, ", "))
	}
	return p, nil
}

// Fixture returns the built-in payload of provider's event exactly as embedded.
func Fixture(provider, event string) ([]byte, error) {
	p, err := lookupEvent(provider, event)
	if err != nil {
		return nil, err
	}
	return fixtureFS.ReadFile("fixtures/" + p.Name + "/" + fixtureName(event) + p.fixtureExt())
}

// fixtureName maps an event to its file name: "/" and ":" cannot appear in one.
func fixtureName(event string) string {
	return strings.NewReplacer("/", "_", ":", "_").Replace(event)
}

func (p *providerSpec) fixtureExt() string {
	if p.form {
		return ".form"
	}
	return ".json"
}

// craftBody returns the user's body, or the fixture with fresh ids and times, with --set edits.
func craftBody(p *providerSpec, event, id string, at time.Time, o CraftOptions) ([]byte, error) {
	if o.Body != nil && len(o.Sets) == 0 {
		return o.Body, nil
	}
	src, fields := o.Body, []bodyField(nil)
	if src == nil {
		raw, err := Fixture(p.Name, event)
		if err != nil {
			return nil, err
		}
		src = raw
		if p.fresh != nil {
			fields = p.fresh(event, id, at)
		}
	}
	if p.form {
		return editForm(src, fields, o.Sets)
	}
	doc, err := parseDoc(src)
	if err != nil {
		return nil, fmt.Errorf("--set needs a JSON body: %w", err)
	}
	for _, f := range fields {
		if doc, err = setPath(doc, f.path, f.value); err != nil {
			return nil, err
		}
	}
	if doc, err = applySets(doc, o.Sets); err != nil {
		return nil, err
	}
	return marshalDoc(doc, p.indent)
}

// applySets applies "path=value" edits in order.
func applySets(doc any, sets []string) (any, error) {
	for _, s := range sets {
		path, value, ok := strings.Cut(s, "=")
		if !ok || strings.TrimSpace(path) == "" {
			return nil, fmt.Errorf("--set %q: want path=value, e.g. pull_request.title=\"Fix\" or data.object.amount=4200", s)
		}
		var err error
		if doc, err = setPath(doc, strings.TrimSpace(path), parseSetValue(value)); err != nil {
			return nil, fmt.Errorf("--set %s: %w", path, err)
		}
	}
	return doc, nil
}

// signCrafted adds the scheme's signature headers for the final body.
func signCrafted(c *Crafted, p *providerSpec, secret, target string, at time.Time) error {
	if p.Scheme == signature.SchemeTwilio && target == "" {
		return fmt.Errorf("a %s signature covers the URL it is sent to: give the target URL", p.Name)
	}
	signed, err := signature.Sign(p.Scheme, signature.SignInput{
		Method: c.Method, URL: target, Header: c.Header, Body: c.Body, Secret: secret, Timestamp: at, ID: c.DeliveryID,
		SignatureHeader: p.signatureHeader, TimestampHeader: p.timestampHeader,
	})
	if err != nil {
		return fmt.Errorf("sign %s %s: %w", p.Name, c.Event, err)
	}
	for k, vs := range signed {
		c.Header[k] = vs
	}
	return nil
}

// SignsTimestamp reports whether a scheme's signature covers a timestamp the receiver should
// check, so a stale delivery can be told from a fresh one. Linear's lives in the body.
func SignsTimestamp(scheme string) bool {
	switch scheme {
	case signature.SchemeStripe, signature.SchemeSlack, signature.SchemeStandard, signature.SchemeTimestamped,
		signature.SchemePaddle, signature.SchemeZoom, signature.SchemeLinear:
		return true
	}
	return false
}

// StripSignature removes every signature header, leaving a delivery nobody signed.
func (c *Crafted) StripSignature() {
	var params signature.Params
	if p, ok := findProvider(c.Provider); ok {
		params.SignatureHeader, params.TimestampHeader = p.signatureHeader, p.timestampHeader
	}
	for _, name := range signature.SignatureHeaders(c.Scheme, params) {
		c.Header.Del(name)
	}
}

// tamper changes the last digit of the body (an amount, an id, a time) — the kind of edit an
// attacker or a buggy relay makes — or appends a space when there is no digit.
func tamper(body []byte) []byte {
	out := append([]byte(nil), body...)
	for i := len(out) - 1; i >= 0; i-- {
		if out[i] >= '0' && out[i] <= '9' {
			out[i] = '0' + (out[i]-'0'+1)%10
			return out
		}
	}
	return append(out, ' ')
}

// padBody grows a JSON object with a "hooktap_padding" field (still valid JSON), or appends
// spaces to anything else, until it is at least size bytes.
func padBody(body []byte, size int) []byte {
	trimmed := strings.TrimRight(string(body), " \t\r\n")
	if !strings.HasSuffix(trimmed, "}") || !strings.HasPrefix(strings.TrimSpace(trimmed), "{") {
		return append(append([]byte(nil), body...), []byte(strings.Repeat(" ", size-len(body)))...)
	}
	head := trimmed[:len(trimmed)-1]
	if strings.TrimSpace(head) != "{" {
		head += ","
	}
	head += `"hooktap_padding":"`
	n := max(size-len(head)-len(`"}`), 0)
	return []byte(head + strings.Repeat("x", n) + `"}`)
}
