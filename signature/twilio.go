package signature

import (
	"crypto/sha256"
	"encoding/hex"
	"maps"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// verifyTwilio checks HMAC-SHA1(auth token, URL + sorted form params) in base64, trying the URL
// with and without its default port as Twilio's own validators do.
func verifyTwilio(e *env) Outcome {
	sig, f := single(e, hTwilio)
	if f.reason != "" {
		return failedOutcome(SchemeTwilio, f, sig)
	}
	base := twilioURL(e.p.PublicURL, e.req.URL)
	params, f := twilioParams(base, e.req.Header.Get("Content-Type"), e.req.Body)
	if f.reason != "" {
		return failedOutcome(SchemeTwilio, f, sig)
	}
	m := getMAC(algSHA1)
	defer putMAC(m)
	for _, u := range urlVariants(base) {
		for _, s := range e.p.Secrets {
			if matches(encBase64, twilioMAC(m, s.Value, u, params), sig) {
				return verified(SchemeTwilio, s.Label)
			}
		}
	}
	o := failedOutcome(SchemeTwilio, fail(ReasonMismatch,
		"the %s signature for %s does not match any configured auth token", hTwilio, base), sig)
	o.Expected = string(twilioMAC(m, e.p.Secrets[0].Value, base, params))
	return o
}

// twilioMAC returns base64(HMAC-SHA1(token, url + params)); it aliases m.
func twilioMAC(m *macState, token, u, params string) []byte {
	m.key = append(m.key[:0], token...)
	m.scratch = append(append(m.scratch[:0], u...), params...)
	return m.encode(encBase64, m.mac(m.key, m.scratch, nil))
}

// twilioURL is the URL the provider called: the configured public URL when there is one (behind
// a tunnel the local URL differs), carrying the request's query if the public URL has none.
func twilioURL(public, local string) string {
	if public == "" {
		return local
	}
	if !strings.Contains(public, "?") {
		if _, q, ok := strings.Cut(local, "?"); ok {
			return public + "?" + q
		}
	}
	return public
}

// twilioParams is the part of the signed string after the URL: sorted name+value pairs of a form
// body, or nothing for JSON (whose URL carries bodySHA256, checked here).
func twilioParams(rawURL, contentType string, body []byte) (string, failure) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "", fail(ReasonMismatch, "the URL %q cannot be parsed: %v", rawURL, err)
	}
	if want := u.Query().Get("bodySHA256"); want != "" {
		sum := sha256.Sum256(body)
		if !equalCT([]byte(hex.EncodeToString(sum[:])), strings.ToLower(want)) {
			return "", failure{ReasonMismatch, "the body's SHA-256 does not match bodySHA256 in the URL"}
		}
		return "", failure{}
	}
	if mt, _, _ := mime.ParseMediaType(contentType); mt != "application/x-www-form-urlencoded" {
		return "", failure{}
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return "", fail(ReasonMismatch, "the form body cannot be parsed: %v", err)
	}
	return sortedParams(form), failure{}
}

func sortedParams(form url.Values) string {
	var b strings.Builder
	for _, k := range slices.Sorted(maps.Keys(form)) {
		vals := slices.Clone(form[k])
		slices.Sort(vals)
		// Twilio's SDKs sign each distinct value once: a repeated identical value counts once.
		for _, v := range slices.Compact(vals) {
			b.WriteString(k)
			b.WriteString(v)
		}
	}
	return b.String()
}

// urlVariants is the URL as given, then with its default port added or removed. It edits the
// string rather than re-serialising a url.URL, which could re-escape the path the provider signed.
func urlVariants(raw string) []string {
	out := []string{raw}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return out
	}
	def := map[string]string{"https": "443", "http": "80"}[u.Scheme]
	if def == "" {
		return out
	}
	start := strings.Index(raw, "://") + 3
	end := len(raw)
	if i := strings.IndexAny(raw[start:], "/?#"); i >= 0 {
		end = start + i
	}
	host := raw[start:end]
	switch u.Port() {
	case "":
		out = append(out, raw[:start]+host+":"+def+raw[end:])
	case def:
		out = append(out, raw[:start]+strings.TrimSuffix(host, ":"+def)+raw[end:])
	}
	return out
}

// signTwilio signs the request's URL (and form params when the body is a form).
func signTwilio(in *SignInput, _ time.Time) (http.Header, error) {
	params, f := twilioParams(in.URL, in.Header.Get("Content-Type"), in.Body)
	if f.reason != "" {
		return nil, errorf("twilio: %s", f.detail)
	}
	m := getMAC(algSHA1)
	defer putMAC(m)
	h := http.Header{}
	h.Set(hTwilio, string(twilioMAC(m, in.Secret, in.URL, params)))
	return h, nil
}
