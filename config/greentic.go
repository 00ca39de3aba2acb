package config

import (
	"errors"
	"strings"

	"go.yaml.in/yaml/v4"
)

// greenticRoute serves /events/webhook/{tenant}/{event_type} for every tenant.
const greenticRoute = "events-webhook"

// greenticFile is the part of a Greentic answers file hooktap reads: the events-webhook provider.
type greenticFile struct {
	Provider greenticProvider `yaml:"events-webhook"`
	Other    Ignored          `yaml:"*" why:"another Greentic provider's answers: hooktap ignores them"`
}

type greenticProvider struct {
	Enabled       *bool                      `yaml:"enabled"`
	PublicBaseURL string                     `yaml:"public_base_url"`
	SecretHeader  string                     `yaml:"secret_header"`
	SecretKey     Secrets                    `yaml:"secret_key"`
	Signatures    Ordered[greenticSignature] `yaml:"signatures"`
}

type greenticSignature struct {
	Header    string  `yaml:"header"`
	Algorithm string  `yaml:"algorithm"`
	Secret    Secrets `yaml:"secret"`
}

// readGreentic maps the provider to one route for every tenant, verified per provider: the
// rule whose header a request carries checks it with that provider's scheme and secret.
func readGreentic(c *Config, d *decoder, root *yaml.Node, _ string) error {
	var f greenticFile
	errs := d.node(root, reflectValue(&f), "")
	c.Notes = append(c.Notes, d.notes...)
	m := &mapper{c: c, lines: d.lines, file: d.file}
	p := f.Provider
	m.link("gateway.enabled", "events-webhook.enabled")
	m.link("gateway.public_base_url", "events-webhook.public_base_url")
	m.link("gateway.routes."+greenticRoute, "events-webhook")
	m.link("gateway.secret", "events-webhook.secret_key")
	if p.Enabled != nil {
		c.Gateway.Enabled = p.Enabled
	}
	c.Gateway.PublicBaseURL = p.PublicBaseURL
	r := Route{Name: greenticRoute, Line: m.lines["events-webhook"],
		Description: "Greentic events-webhook: POST /events/webhook/{tenant}/{event_type}"}
	if len(p.SecretKey) > 0 || p.SecretHeader != "" {
		if len(p.SecretKey) == 0 {
			m.fail("events-webhook.secret_header", "secret_header needs secret_key, the key requests are signed with")
		}
		r.Signatures = append(r.Signatures, SignatureRule{Name: "default", Verify: "hmac", Secret: p.SecretKey, SignatureHeader: p.SecretHeader})
	}
	for _, e := range p.Signatures {
		key := "events-webhook.signatures." + e.Name
		m.link("gateway.routes."+greenticRoute+".signatures."+itoa(len(r.Signatures)), key)
		rule, ok := greenticRule(e.Name, e.Value)
		if !ok {
			m.fail(key+".algorithm", "expected sha256, sha1 or a hooktap scheme ("+strings.Join(Schemes[:len(Schemes)-1], ", ")+"), got "+quote(e.Value.Algorithm))
			continue
		}
		r.Signatures = append(r.Signatures, rule)
	}
	if len(r.Signatures) == 0 {
		// Greentic checks nothing without a key; so that its file starts hooktap unchanged, the
		// route is served unverified and marked so everywhere (logs, TUI, explain).
		r.Secret = Secrets{InsecureNoAuth}
		m.note("events-webhook", NoteDiffers, "no secret_key or signatures: Greentic verifies nothing, so hooktap serves the route unverified ("+
			InsecureNoAuth+"); add signatures to verify requests")
	}
	c.Gateway.Routes = append(c.Gateway.Routes, r)
	c.Gateway.CatchAll = greenticRoute
	return errors.Join(append(errs, m.errs...)...)
}

// greenticRule turns {header, algorithm, secret} into a scheme: a provider's own scheme when the
// header is the one it signs in (GitHub's X-Hub-Signature-256, Stripe's Stripe-Signature), else
// a hex HMAC of the raw body in the named header.
func greenticRule(name string, s greenticSignature) (SignatureRule, bool) {
	rule := SignatureRule{Name: name, Secret: s.Secret}
	alg := strings.ToLower(s.Algorithm)
	switch {
	case alg == "sha256" || alg == "hmac-sha256" || alg == "":
		rule.Verify = "hmac"
		if strings.EqualFold(s.Header, "X-Hub-Signature-256") || s.Header == "" && name == "github" {
			rule.Verify = "github"
		} else {
			rule.SignatureHeader = s.Header
		}
	case alg == "sha1" && (strings.EqualFold(s.Header, "X-Hub-Signature") || s.Header == ""):
		rule.Verify = "github"
	case contains(Schemes, alg) && alg != "none" && alg != "discord":
		rule.Verify = alg
		if alg == "hmac" || alg == "timestamped" || alg == "header" {
			rule.SignatureHeader = s.Header
		}
	default:
		return rule, false
	}
	return rule, true
}
