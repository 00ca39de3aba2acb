package signature

import (
	"bytes"
	"errors"
	"strings"
)

// maxCands bounds how many signatures one header may carry (rotation sends a few).
const maxCands = 8

// sigHeader is what a scheme reads from a request before any secret is tried.
type sigHeader struct {
	header   string // the header the signature came from
	received string // its value, shown in the outcome
	ts       string // timestamp as sent; "" when the scheme has none
	tsHeader string
	id       string // Standard Webhooks message id
	alg      algo
	cands    [maxCands]string
	n        int
	tsMs     int64 // parsed timestamp in unix milliseconds
	hasTS    bool
}

func (sh *sigHeader) add(c string) {
	if sh.n < maxCands {
		sh.cands[sh.n] = c
		sh.n++
	}
}

// candidates returns the received signatures.
func (sh *sigHeader) candidates() []string { return sh.cands[:sh.n] }

var (
	errNoTimestamp = errors.New("has no timestamp entry")
	errNoSignature = errors.New("has no signature entry")
	errEmpty       = errors.New("is empty")
	errNotHex      = errors.New("is not a 64-character hex value")
)

// parseStripeHeader reads `t=<unix>,v1=<hex>[,v1=…][,v0=…]`; v0 and unknown keys are ignored.
func parseStripeHeader(v string, sh *sigHeader) error {
	return parseKeyedList(v, ',', "t", "v1", sh)
}

// parsePaddleHeader reads `ts=<unix>;h1=<hex>[;h1=…]`.
func parsePaddleHeader(v string, sh *sigHeader) error {
	return parseKeyedList(v, ';', "ts", "h1", sh)
}

func parseKeyedList(v string, sep byte, tsKey, sigKey string, sh *sigHeader) error {
	for v != "" {
		var part string
		if i := strings.IndexByte(v, sep); i >= 0 {
			part, v = v[:i], v[i+1:]
		} else {
			part, v = v, ""
		}
		k, val, ok := strings.Cut(strings.TrimSpace(part), "=")
		switch {
		case !ok:
			continue
		case k == tsKey && sh.ts == "":
			sh.ts = val
		case k == sigKey:
			sh.add(val)
		}
	}
	if sh.ts == "" {
		return errNoTimestamp
	}
	if sh.n == 0 {
		return errNoSignature
	}
	return nil
}

// parseStandardHeader reads space-separated `v1,<base64>` entries; other versions (v1a) are ignored.
func parseStandardHeader(v string, sh *sigHeader) error {
	for v != "" {
		var field string
		if i := strings.IndexByte(v, ' '); i >= 0 {
			field, v = v[:i], v[i+1:]
		} else {
			field, v = v, ""
		}
		if ver, sig, ok := strings.Cut(field, ","); ok && ver == "v1" && sig != "" {
			sh.add(sig)
		}
	}
	if sh.n == 0 {
		return errors.New("has no v1,<base64> entry")
	}
	return nil
}

// parsePrefixedHex reads `<prefix><64 hex>` (slack and zoom `v0=`, github/bitbucket `sha256=`).
// Hex of either case is accepted here; schemes that demand lowercase reject it as a mismatch.
func parsePrefixedHex(v, prefix string, hexLen int) (string, error) {
	rest, ok := strings.CutPrefix(v, prefix)
	if !ok {
		return "", errors.New("does not start with " + prefix)
	}
	if !isHex(rest, hexLen) {
		return "", notHex(hexLen)
	}
	return rest, nil
}

// parseGitHubHeader reads the X-Hub-Signature-256 value (sha1=true: the legacy X-Hub-Signature).
func parseGitHubHeader(v string, sha1 bool) (string, error) {
	if sha1 {
		if strings.HasPrefix(v, "sha256=") {
			return "", errors.New("carries sha256= (Bitbucket's format; use verify: bitbucket)")
		}
		return parsePrefixedHex(v, "sha1=", 40)
	}
	if strings.HasPrefix(v, "sha1=") {
		return "", errors.New("carries a sha1= value (GitHub sends sha1 in X-Hub-Signature)")
	}
	return parsePrefixedHex(v, "sha256=", 64)
}

// parseLooseHex reads a hex value with an optional `sha256=` prefix in either case (hmac scheme),
// or with a required one (timestamped scheme).
func parseLooseHex(v string, prefixRequired bool) (string, error) {
	if len(v) >= 7 && strings.EqualFold(v[:7], "sha256=") {
		v = v[7:]
	} else if prefixRequired {
		return "", errors.New("does not start with sha256=")
	}
	if !isHex(v, 64) {
		return "", errNotHex
	}
	return v, nil
}

func isHex(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

func notHex(n int) error {
	if n == 64 {
		return errNotHex
	}
	return errors.New("is not a 40-character hex value")
}

// parseUnix reads a decimal unix time; unit is seconds, milliseconds, or auto (ms when the value
// is too large to be seconds: 1e11 s is the year 5138).
func parseUnix(s string, unit tsUnit) (ms int64, ok bool) {
	if s == "" || len(s) > 18 {
		return 0, false
	}
	var n int64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	if unit == unitMillis || unit == unitAuto && n >= 1e11 {
		return n, true
	}
	return n * 1000, true
}

// tsUnit is the unit a scheme's timestamp is written in.
type tsUnit int

const (
	unitSeconds tsUnit = iota
	unitMillis
	unitAuto
)

var webhookTimestampKey = []byte(`"webhookTimestamp"`)

// linearBodyTimestamp finds `"webhookTimestamp": <ms>` in a Linear body without decoding it.
func linearBodyTimestamp(body []byte) string {
	i := bytes.Index(body, webhookTimestampKey)
	if i < 0 {
		return ""
	}
	rest := body[i+len(webhookTimestampKey):]
	j := 0
	for j < len(rest) && (rest[j] == ' ' || rest[j] == ':' || rest[j] == '\t' || rest[j] == '\n' || rest[j] == '\r') {
		j++
	}
	k := j
	for k < len(rest) && rest[k] >= '0' && rest[k] <= '9' {
		k++
	}
	return string(rest[j:k])
}
