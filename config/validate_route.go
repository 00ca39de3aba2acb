package config

import (
	"slices"
	"strconv"
	"strings"
)

// validateRoute checks one route; keys are named gateway.routes.<name>.<key>.
func (c *Config) validateRoute(p *problems, r Route) {
	base := "gateway.routes." + r.Name
	if !routeNameRE.MatchString(r.Name) {
		p.addAt(r.Line, base, "route name %q may only use letters, digits, '.', '_' and '-'", r.Name)
	}
	if !r.Open && !c.routeHasKey(r) {
		p.addAt(r.Line, base, "route %q has no secret: set %s or %s (or WEBHOOK_SECRET); use %s only for tests",
			r.Name, c.originalKey(base+".secret"), c.originalKey("gateway.secret"), InsecureNoAuth)
	}
	c.validateSignatures(p, base, r)
	if r.Verify != "" {
		p.oneOf(base+".verify", r.Verify, Schemes)
	}
	if r.Verify == "discord" && !hex64RE.MatchString(r.PublicKey) {
		p.addAt(c.lineOr(base+".public_key", c.lineOr(base+".verify", r.Line)), base+".public_key", "verify: discord needs public_key, the application's 64-character hex Ed25519 key")
	}
	if r.Deliver != "" && !slices.Contains(deliverValues, r.Deliver) {
		p.add(base+".deliver", "%q is not one of %s, or a target hooktap records without delivering (%s)",
			r.Deliver, strings.Join(DeliverModes, ", "), strings.Join(ExternalTargets, ", "))
	}
	c.validateDelivery(p, base, r)
	for i, ip := range r.AllowedIPs {
		if !isIPOrCIDR(ip) {
			p.add(base+".allowed_ips."+strconv.Itoa(i), "%q is not an IP address or CIDR range", ip)
		}
	}
	validateOverrides(p, base, r)
}

// routeHasKey reports whether the route can verify: a secret of its own or the global one,
// INSECURE_NO_AUTH, verify: none, or verify: discord (which needs public_key instead, checked
// on its own).
func (c *Config) routeHasKey(r Route) bool {
	return len(r.Secret.nonEmpty()) > 0 || len(c.Gateway.Secret.nonEmpty()) > 0 ||
		r.Verify == "none" || r.Verify == "discord" || len(r.Signatures) > 0
}

// validateDelivery checks the delivery target a non-log deliver mode needs.
func (c *Config) validateDelivery(p *problems, base string, r Route) {
	extra := base + ".deliver_extra"
	if r.Deliver == "forward" || r.Deliver == "generic" || r.DeliverExtra.URL != "" {
		if r.DeliverExtra.URL == "" {
			p.addAt(c.lineOr(base+".deliver", r.Line), extra+".url", "deliver: %s needs deliver_extra.url", r.Deliver)
		} else {
			checkURL(p, extra+".url", r.DeliverExtra.URL)
		}
	}
	if r.DeliverExtra.BackupURL != "" {
		checkURL(p, extra+".backup_url", r.DeliverExtra.BackupURL)
	}
	if r.DeliverExtra.Timeout < 0 {
		p.add(extra+".timeout", "must not be negative")
	}
}

// validateOverrides checks the per-route limits that are set.
func validateOverrides(p *problems, base string, r Route) {
	if r.RateLimit != nil {
		p.positive(base+".rate_limit", int64(*r.RateLimit))
	}
	if r.MaxBodyBytes != nil {
		p.positive(base+".max_body_bytes", *r.MaxBodyBytes)
	}
	if r.IdempotencyTTL != nil {
		p.positive(base+".idempotency_ttl", int64(*r.IdempotencyTTL))
	}
	if r.Tolerance != nil {
		p.positive(base+".tolerance", int64(*r.Tolerance))
	}
}

// validateWebhook checks one outgoing alert target (docs/notify.md).
func validateWebhook(p *problems, base string, w Webhook) {
	if w.URL == "" {
		p.add(base+".url", "is required (an http or https URL)")
	} else {
		checkURL(p, base+".url", w.URL)
	}
	if w.Format != "" {
		p.oneOf(base+".format", w.Format, NotifyFormat)
	}
	p.oneOf(base+".signing", w.Signing, Signings)
	if w.Retry.Backoff != "" {
		p.oneOf(base+".retry.backoff", w.Retry.Backoff, Backoffs)
	}
	if w.Retry.MaxAttempts < 0 {
		p.add(base+".retry.max_attempts", "must not be negative, got %d", w.Retry.MaxAttempts)
	}
	if w.Retry.Initial < 0 {
		p.add(base+".retry.initial", "must not be negative")
	}
}

// lineOr is the file line of key, or fallback when the key was not in the file.
func (c *Config) lineOr(key string, fallback int) int {
	if line, ok := c.lines[key]; ok {
		return line
	}
	return fallback
}

// validateSignatures checks a route's per-provider rules: each names a scheme and has a secret,
// and they replace the route's own verify and secret.
func (c *Config) validateSignatures(p *problems, base string, r Route) {
	if len(r.Signatures) == 0 {
		return
	}
	if r.Verify != "" || len(r.Secret.nonEmpty()) > 0 {
		p.addAt(c.lineOr(base+".signatures", r.Line), base+".signatures", "a route with signatures takes its schemes and secrets from them: remove verify and secret")
	}
	for i, s := range r.Signatures {
		key := base + ".signatures." + strconv.Itoa(i)
		if !slices.Contains(Schemes, s.Verify) || s.Verify == "none" || s.Verify == "discord" {
			p.addAt(c.lineOr(key, r.Line), key+".verify", "%q is not a scheme a signature rule can use (%s)", s.Verify, strings.Join(Schemes[:len(Schemes)-1], ", "))
		}
		if len(s.Secret.nonEmpty()) == 0 {
			p.addAt(c.lineOr(key, r.Line), key+".secret", "signature rule %q has no secret", s.Name)
		}
	}
}
