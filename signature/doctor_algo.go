package signature

import (
	"strings"
)

// sigForm is how a received signature was written: hash, text encoding and prefix.
type sigForm struct {
	alg    algo
	enc    string // "lowercase hex", "uppercase hex", "hex", "base64"
	prefix string
}

func (f sigForm) String() string {
	alg := "HMAC-SHA256"
	if f.alg == algSHA1 {
		alg = "HMAC-SHA1"
	}
	prefix := "no prefix"
	if f.prefix != "" {
		prefix = "prefix " + f.prefix
	}
	return alg + ", " + f.enc + ", " + prefix
}

// knownPrefixes are the prefixes providers put before a signature value.
var knownPrefixes = []string{"sha256=", "sha1=", "v0=", "v1=", "v1,", "h1="}

func splitPrefix(v string) (prefix, core string) {
	for _, p := range knownPrefixes {
		if len(v) >= len(p) && strings.EqualFold(v[:len(p)], p) {
			return v[:len(p)], v[len(p):]
		}
	}
	return "", v
}

// composite schemes carry their signatures inside a structured header; their prefix is not
// part of the form being compared.
func composite(scheme string) bool {
	return scheme == SchemeStripe || scheme == SchemePaddle || scheme == SchemeStandard
}

// algorithmCandidates recomputes the signature with SHA-1 and SHA-256 in hex and base64, and
// reports when a configured secret made the received value but it is written in another form.
func (d *doctor) algorithmCandidates() {
	spec, ok := macSpecs[d.scheme]
	if !ok || !d.canAfford() {
		return
	}
	sh, parsed := d.macHeader(spec)
	values := []string{sh.received}
	if composite(d.scheme) {
		if !parsed {
			return
		}
		values = sh.candidates()
	}
	want := expectedForm(spec, &sh)
	for _, s := range d.p.Secrets {
		for _, v := range values {
			got, ok := d.identify(spec, &sh, s.Value, v)
			if ok && !sameForm(d.scheme, got, want) {
				d.add(FindWrongAlgorithm, "the signature was made with secret "+s.Label+" but written as "+got.String()+
					"; "+d.scheme+" expects "+want.String())
			}
		}
	}
}

// expectedForm is the form the scheme's verifier accepts.
func expectedForm(spec *macSpec, sh *sigHeader) sigForm {
	f := sigForm{alg: sh.alg, enc: "lowercase hex"}
	switch spec.enc {
	case encBase64:
		f.enc = "base64"
	case encHexAnyCase:
		f.enc = "hex"
	}
	if !composite(spec.name) {
		f.prefix = formatSignature(spec.name, sh, "")
	}
	return f
}

func sameForm(scheme string, got, want sigForm) bool {
	if got.alg != want.alg {
		return false
	}
	if scheme == SchemeHMAC {
		return got.enc != "base64" // any hex case, prefix optional
	}
	if composite(scheme) {
		got.prefix = ""
	}
	return got == want
}

// identify finds which hash and encoding produce v with this secret, if any.
func (d *doctor) identify(spec *macSpec, sh *sigHeader, secret, v string) (sigForm, bool) {
	if !d.spend(len(d.req.Body), 2) {
		return sigForm{}, false
	}
	prefix, core := splitPrefix(v)
	if composite(spec.name) {
		prefix, core = "", v
	}
	for _, a := range []algo{algSHA256, algSHA1} {
		m := getMAC(a)
		key, err := m.keyBytes(secret, spec.whsec)
		if err != nil {
			putMAC(m)
			return sigForm{}, false
		}
		m.prefix = signedPrefix(spec.name, m.prefix[:0], sh)
		mac := m.mac(key, m.prefix, d.req.Body)
		hexSig := string(m.encode(encHex, mac)) // copy before encode reuses the buffer
		b64Sig := string(m.encode(encBase64, mac))
		putMAC(m)
		// Constant-time even here: this runs on the 401 path and compares against real MACs.
		switch {
		case equalStringsCT(hexSig, core):
			return sigForm{a, "lowercase hex", prefix}, true
		case equalHexFoldCT([]byte(hexSig), core):
			return sigForm{a, "uppercase hex", prefix}, true
		case equalStringsCT(b64Sig, core):
			return sigForm{a, "base64", prefix}, true
		}
	}
	return sigForm{}, false
}
