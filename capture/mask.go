package capture

import (
	"strings"

	"github.com/hooktap/hooktap/mask"
	"github.com/hooktap/hooktap/signature"
)

// Masked returns c as every surface shows it without an explicit reveal: credential headers
// (extra names a route's own token headers), credential query parameters, and credentials in
// the URLs of the Twilio signed string and of delivery targets, all by package mask's rule. The
// body and the other fields are shared with c, which is not changed.
func (c *Capture) Masked(extra []string) *Capture {
	m := *c
	m.Headers = MaskHeaders(c.Headers, extra)
	m.Query = mask.Query(c.Query)
	if c.Verification.Scheme == signature.SchemeTwilio {
		m.Verification.SignedString = mask.URL(c.Verification.SignedString)
	}
	if len(c.Deliveries) > 0 {
		m.Deliveries = make([]Delivery, len(c.Deliveries))
		for i, d := range c.Deliveries {
			d.Target, d.Error = maskTarget(d.Target, d.Error)
			m.Deliveries[i] = d
		}
	}
	if len(c.Outbox) > 0 {
		m.Outbox = make([]OutboxEntry, len(c.Outbox))
		for i, e := range c.Outbox {
			m.Outbox[i] = e.Masked()
		}
	}
	return &m
}

// Masked is e as shown without an explicit reveal: credentials in its target URLs (and in an
// error that quotes them) masked by package mask's rule.
func (e OutboxEntry) Masked() OutboxEntry {
	e.Target, e.LastError = maskTarget(e.Target, e.LastError)
	e.Backup, e.LastError = maskTarget(e.Backup, e.LastError)
	return e
}

// maskTarget masks a delivery URL and its quotes in errText: Go's client errors quote the URL
// they were sent to (Post "https://…?token=…": …).
func maskTarget(target, errText string) (string, string) {
	if target == "" {
		return target, errText
	}
	shown := mask.URL(target)
	return shown, strings.ReplaceAll(errText, target, shown)
}

// MaskHeaders returns a copy of h with credential values masked (mask.Header); order and
// repeats are kept.
func MaskHeaders(h []Header, extra []string) []Header {
	out := make([]Header, len(h))
	for i, hd := range h {
		out[i] = Header{Name: hd.Name, Value: mask.Header(hd.Name, hd.Value, extra)}
	}
	return out
}

// Shown is c as o asks for it: itself when revealed, else Masked.
func (o JSONOptions) Shown(c *Capture) *Capture {
	if o.Reveal {
		return c
	}
	return c.Masked(o.SecretHeaders)
}
