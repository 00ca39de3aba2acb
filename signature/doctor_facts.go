package signature

import (
	"strconv"
	"strings"
)

func itoa(n int) string { return strconv.Itoa(n) }

// fillValues fills the signed string, the received value and the first secret's expected value.
func (d *doctor) fillValues(o *Outcome) {
	switch d.scheme {
	case SchemeGitLab, SchemeHeader:
		return // the "signature" is the secret itself: nothing to show
	case SchemeTwilio:
		u := twilioURL(d.p.PublicURL, d.req.URL)
		params, _ := twilioParams(u, d.req.Header.Get("Content-Type"), d.req.Body)
		o.SignedString = cut(u + params)
		o.Received = firstNonEmpty(o.Received, firstValue(d.req, hTwilio))
	case SchemeDiscord:
		o.SignedString = cut(firstValue(d.req, hDiscordTS) + string(d.req.Body))
		o.Received = firstNonEmpty(o.Received, firstValue(d.req, hDiscordSig))
	default:
		spec := macSpecs[d.scheme]
		sh, _ := d.macHeader(spec)
		m := getMAC(sh.alg)
		defer putMAC(m)
		m.prefix = signedPrefix(spec.name, m.prefix[:0], &sh)
		o.SignedString = cut(string(m.prefix) + string(d.req.Body))
		o.Received = firstNonEmpty(o.Received, sh.received)
		if o.Expected == "" {
			if exp := firstExpected(m, spec, &env{req: &d.req, p: &d.p}); exp != "" {
				o.Expected = formatSignature(spec.name, &sh, exp)
			}
		}
	}
}

func firstValue(req Request, name string) string {
	if vs := headerValues(req.Header, name); len(vs) > 0 {
		return vs[0]
	}
	return ""
}

// macHeader parses the request's headers; when parsing fails it still fills the raw signature
// and timestamp so the doctor can recompute and compare.
func (d *doctor) macHeader(spec *macSpec) (sigHeader, bool) {
	var sh sigHeader
	if f := parseMAC(spec, &env{req: &d.req, p: &d.p}, &sh); f.reason == "" {
		return sh, true
	}
	sh.received = firstValue(d.req, sh.header)
	if sh.tsHeader != "" && sh.ts == "" {
		sh.ts = firstValue(d.req, sh.tsHeader)
	}
	sh.hasTS = false
	parseTimestamp(spec, &sh) // best effort: hasTS stays false when the timestamp is unreadable
	return sh, false
}

// timestampFact reports skew whenever the timestamp is outside the tolerance.
func (d *doctor) timestampFact() {
	spec, ok := macSpecs[d.scheme]
	if !ok || spec.ts == tsNone {
		return
	}
	sh, _ := d.macHeader(spec)
	if !sh.hasTS {
		return
	}
	s := timestampSkew(spec, &env{req: &d.req, p: &d.p}, &sh)
	if !s.outside(spec.ts) {
		return
	}
	hint := "; a replay of an old delivery, or a clock out of sync: replay with --resign for a fresh timestamp, or fix the clock"
	if s.ms < 0 {
		hint = "; the sender's clock or this machine's is wrong: sync it (NTP)"
	}
	d.add(FindTimestampSkew, s.sentence()+hint)
}

// apiKeyPrefixes are prefixes of provider API keys that people paste instead of a signing secret.
var apiKeyPrefixes = []struct{ prefix, what string }{
	{"sk_", "a Stripe secret API key"},
	{"rk_", "a Stripe restricted API key"},
	{"pk_", "a Stripe publishable key"},
	{"xoxb-", "a Slack bot token"},
	{"xoxp-", "a Slack user token"},
	{"ghp_", "a GitHub personal access token"},
	{"github_pat_", "a GitHub personal access token"},
	{"glpat-", "a GitLab personal access token"},
	{"shpat_", "a Shopify access token"},
	{"pdl_live_apikey_", "a Paddle API key"},
	{"pdl_sdbx_apikey_", "a Paddle sandbox API key"},
	{"lin_api_", "a Linear API key"},
}

// signingSecretLooks says what the right secret looks like, per scheme.
var signingSecretLooks = map[string]string{
	SchemeStripe:   "Stripe's signing secret starts with whsec_ (Dashboard → Developers → Webhooks → the endpoint → Signing secret)",
	SchemeStandard: "a Standard Webhooks / Svix signing secret starts with whsec_",
	SchemePaddle:   "Paddle's notification secret starts with pdl_ntfset_ (Developer tools → Notifications)",
	SchemeSlack:    "Slack's signing secret is 32 hex characters (App settings → Basic Information → Signing Secret)",
	SchemeGitHub:   "GitHub's webhook secret is the text typed in the webhook's Secret field",
	SchemeShopify:  "Shopify signs with the app's client secret (API secret key)",
	SchemeLinear:   "Linear's signing secret starts with lin_wh_ (shown when the webhook is created)",
	SchemeTwilio:   "Twilio signs with the account's Auth Token (32 hex characters)",
	SchemeDiscord:  "Discord verifies with the application's public key (64 hex characters, General Information)",
}

// apiKeyFacts flags secrets shaped like API keys; it names the secret's label and the key's
// public prefix, never the secret.
func (d *doctor) apiKeyFacts() {
	for _, s := range d.p.Secrets {
		for _, k := range apiKeyPrefixes {
			if !strings.HasPrefix(strings.TrimSpace(s.Value), k.prefix) {
				continue
			}
			looks := firstNonEmpty(signingSecretLooks[d.scheme], "use the webhook signing secret from the provider's webhook settings")
			d.add(FindAPIKey, "secret "+s.Label+" looks like "+k.what+" ("+k.prefix+"…), not a webhook signing secret; "+looks)
			break
		}
	}
}
