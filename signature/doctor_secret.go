package signature

import (
	"net/url"
	"strings"
)

// secretCandidates tries the configured secrets cleaned up, other routes' secrets, and the
// other whsec_ key encoding.
func (d *doctor) secretCandidates() {
	for _, s := range d.p.Secrets {
		t := trimSecret(s.Value)
		if t == s.Value || t == "" || !d.canAfford() {
			continue
		}
		if d.verifies(d.req, d.withSecret(s.Label, t), keyAsScheme) {
			d.add(FindSecretWhitespace, "secret "+s.Label+" has surrounding whitespace or quotes (typical of a YAML or .env value); "+
				"trimmed, it matches: remove them from the configuration")
		}
	}
	for _, o := range d.p.Others {
		if d.canAfford() && d.verifies(d.req, d.withSecret(o.Label, o.Value), keyAsScheme) {
			d.add(FindOtherRoute, "the signature matches the secret of route "+o.Label+
				": the provider is configured with that route's secret, or the two routes' URLs are swapped")
		}
	}
	d.encodingCandidates()
}

// trimSecret removes whitespace and one pair of surrounding quotes, as a config file might add.
func trimSecret(s string) string {
	t := strings.TrimSpace(s)
	for _, q := range []string{`"`, `'`} {
		if len(t) >= 2 && strings.HasPrefix(t, q) && strings.HasSuffix(t, q) {
			t = strings.TrimSpace(t[1 : len(t)-1])
		}
	}
	return t
}

// encodingCandidates tries a whsec_ secret the other way: raw where the scheme decodes
// (standard), decoded where it uses the text (stripe and the other HMAC schemes).
func (d *doctor) encodingCandidates() {
	spec, ok := macSpecs[d.scheme]
	if !ok {
		return
	}
	for _, s := range d.p.Secrets {
		if !strings.HasPrefix(s.Value, whsecPrefix) || !d.canAfford() {
			continue
		}
		km, msg := keyDecoded, "the signature was computed with secret "+s.Label+" base64-decoded (after whsec_), but "+
			spec.name+" uses the whole whsec_… string as text: the sender's signing code decodes it when it should not"
		if spec.whsec {
			km, msg = keyRaw, "the signature was computed with secret "+s.Label+" used as raw text, but Standard Webhooks "+
				"signs with the base64-decoded bytes after whsec_: the sender's signing code must decode it"
		}
		if d.verifies(d.req, d.withSecret(s.Label, s.Value), km) {
			d.add(FindSecretEncoding, msg)
		}
	}
}

// urlCandidates (twilio) tries the other URLs the provider may have called.
func (d *doctor) urlCandidates() {
	if d.scheme != SchemeTwilio {
		return
	}
	base := twilioURL(d.p.PublicURL, d.req.URL)
	for _, c := range d.otherURLs(base) {
		if c == base || !d.canAfford() {
			continue
		}
		p := d.p
		p.PublicURL = c
		if d.verifies(d.req, p, keyAsScheme) {
			d.add(FindURLMismatch, "the signature matches the URL "+c+", not "+base+
				": Twilio signs the exact URL it called (scheme, host, port, path, query); set the route's public URL to it")
			return
		}
	}
}

// otherURLs lists the local URL, the forwarded (tunnel) URL and the other http/https scheme.
func (d *doctor) otherURLs(base string) []string {
	var out []string
	if d.p.PublicURL != "" && d.req.URL != "" {
		out = append(out, d.req.URL)
	}
	u, err := url.Parse(d.req.URL)
	if host := d.req.Header.Get("X-Forwarded-Host"); err == nil && host != "" {
		proto := firstNonEmpty(d.req.Header.Get("X-Forwarded-Proto"), "https")
		out = append(out, proto+"://"+host+u.RequestURI())
	}
	if rest, ok := strings.CutPrefix(base, "https://"); ok {
		out = append(out, "http://"+rest)
	} else if rest, ok := strings.CutPrefix(base, "http://"); ok {
		out = append(out, "https://"+rest)
	}
	return out
}
