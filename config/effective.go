package config

import (
	"strconv"
	"time"

	"github.com/hooktap/hooktap/signature"
)

// RouteSettings are a route's values after per-route overrides are applied to the gateway's.
type RouteSettings struct {
	// Secrets are labelled "route#1", "route#2", … in configuration order.
	Secrets        []signature.Secret
	RateLimit      int
	MaxBodyBytes   int64
	IdempotencyTTL time.Duration
	Tolerance      time.Duration
	// Insecure is true when the route's secret is INSECURE_NO_AUTH: verification is off on purpose.
	Insecure bool
	// NoSecret is true for the zero-config inspect route: verification is skipped (no_secret).
	NoSecret bool
}

// Effective resolves the route's settings against the gateway's defaults.
func (r Route) Effective(g Gateway) RouteSettings {
	s := RouteSettings{
		RateLimit:      g.RateLimit,
		MaxBodyBytes:   g.MaxBodyBytes,
		IdempotencyTTL: g.IdempotencyTTL.D(),
		Tolerance:      g.Tolerance.D(),
	}
	if r.RateLimit != nil {
		s.RateLimit = *r.RateLimit
	}
	if r.MaxBodyBytes != nil {
		s.MaxBodyBytes = *r.MaxBodyBytes
	}
	if r.IdempotencyTTL != nil {
		s.IdempotencyTTL = r.IdempotencyTTL.D()
	}
	if r.Tolerance != nil {
		s.Tolerance = r.Tolerance.D()
	}
	if len(r.Signatures) > 0 {
		for _, rule := range r.Signatures {
			for i, v := range rule.Secret.nonEmpty() {
				s.Secrets = append(s.Secrets, signature.Secret{Label: r.Name + "/" + rule.Name + "#" + strconv.Itoa(i+1), Value: v})
			}
		}
		return s
	}
	secrets := r.Secret.nonEmpty()
	if len(secrets) == 0 && r.Verify == "discord" && r.PublicKey != "" {
		// Discord signs with the application's key pair: the public key is what verifies.
		secrets = Secrets{r.PublicKey}
	}
	if len(secrets) == 0 {
		secrets = g.Secret.nonEmpty()
	}
	switch {
	case r.Open || len(secrets) == 0:
		s.NoSecret = true
	case secrets.Insecure():
		s.Insecure = true
	default:
		for i, v := range secrets {
			s.Secrets = append(s.Secrets, signature.Secret{Label: r.Name + "#" + strconv.Itoa(i+1), Value: v})
		}
	}
	return s
}

// Insecure reports whether the secrets are the literal INSECURE_NO_AUTH.
func (s Secrets) Insecure() bool {
	return len(s) == 1 && s[0] == InsecureNoAuth
}

// nonEmpty drops blank entries so `secret: ""` means "no secret" rather than an empty key.
func (s Secrets) nonEmpty() Secrets {
	var out Secrets
	for _, v := range s {
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}

// OtherRouteSecrets lists the secrets of every route but except, each labelled with its route's
// name, so the signature doctor can say "this was signed with route X's secret".
func OtherRouteSecrets(routes []Route, g Gateway, except string) []signature.Secret {
	var out []signature.Secret
	for _, r := range routes {
		if r.Name == except {
			continue
		}
		for _, s := range r.Effective(g).Secrets {
			out = append(out, signature.Secret{Label: r.Name, Value: s.Value})
		}
	}
	return out
}

// RuleFor is the route as its signature rule for scheme sees it: that rule's scheme, secret and
// headers in place of the route's, so replay re-signs a per-provider route with the provider's
// own secret. A route without rules, or without one for scheme, is returned unchanged but for
// its rules.
func (r Route) RuleFor(scheme string) Route {
	rules := r.Signatures
	r.Signatures = nil
	for _, rule := range rules {
		if rule.Verify == scheme {
			r.Verify, r.Secret = rule.Verify, rule.Secret
			r.SignatureHeader, r.TimestampHeader = rule.SignatureHeader, rule.TimestampHeader
			return r
		}
	}
	if len(rules) > 0 {
		r.Secret = nil
	}
	return r
}
