package signature

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// checkParsed asserts the invariants every header parser keeps on success.
func checkParsed(t *testing.T, sh *sigHeader, err error, needTS bool) {
	if err != nil {
		return
	}
	if sh.n == 0 || sh.n > maxCands || needTS && sh.ts == "" {
		t.Fatalf("parsed without a signature or timestamp: %+v", sh)
	}
}

func FuzzParseStripeHeader(f *testing.F) {
	for _, s := range []string{"t=1700000000,v1=abc,v1=def,v0=123", "t=1,v1=", ",,,=", "v1=a", "t=1;v1=a", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		var sh sigHeader
		checkParsed(t, &sh, parseStripeHeader(v, &sh), true)
	})
}

func FuzzParsePaddleHeader(f *testing.F) {
	for _, s := range []string{"ts=1671552777;h1=eb4d0dc8", "ts=;h1=", "h1=a;h1=b", ";;;", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		var sh sigHeader
		checkParsed(t, &sh, parsePaddleHeader(v, &sh), true)
	})
}

func FuzzParseStandardHeader(f *testing.F) {
	for _, s := range []string{"v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", "v1,a v1,b v1a,c", "v1,", "  ", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		var sh sigHeader
		checkParsed(t, &sh, parseStandardHeader(v, &sh), false)
	})
}

func FuzzParseSlackHeader(f *testing.F) {
	for _, s := range []string{"v0=" + strings.Repeat("a", 64), "v0=", "v1=abc", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		if sig, err := parsePrefixedHex(v, "v0=", 64); err == nil && "v0="+sig != v {
			t.Fatalf("parsed %q from %q", sig, v)
		}
	})
}

func FuzzParseGitHubHeader(f *testing.F) {
	for _, s := range []string{"sha256=" + strings.Repeat("0", 64), "sha1=" + strings.Repeat("f", 40), "sha256=", "SHA256=ab", ""} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, v string, sha1 bool) {
		sig, err := parseGitHubHeader(v, sha1)
		if err == nil && !strings.HasSuffix(v, sig) {
			t.Fatalf("parsed %q from %q", sig, v)
		}
	})
}

func FuzzParseTimestampedHeader(f *testing.F) {
	for _, s := range []string{"sha256=" + strings.Repeat("a", 64), "Sha256=" + strings.Repeat("A", 64), strings.Repeat("a", 64), "sha256", ""} {
		f.Add(s, "1700000000")
	}
	f.Add("", "99999999999999999999")
	f.Fuzz(func(t *testing.T, v, ts string) {
		if sig, err := parseLooseHex(v, true); err == nil && len(sig) != 64 {
			t.Fatalf("parsed %q from %q", sig, v)
		}
		if ms, ok := parseUnix(ts, unitAuto); ok && ms < 0 {
			t.Fatalf("negative time %d from %q", ms, ts)
		}
	})
}

// FuzzVerifyAndDiagnose feeds arbitrary headers and bodies to every scheme: no panic, and a
// failed outcome always carries a reason and a detail.
func FuzzVerifyAndDiagnose(f *testing.F) {
	f.Add(uint8(0), "sha256=abc", "1700000000", []byte(`{"a":[1,2.50,"\u2028"]}`))
	f.Add(uint8(5), "t=1,v1=zz", "x", []byte("a=1&b=%20+"))
	f.Add(uint8(9), "v1,abc v1,def", "1700000000", []byte("line\r\n"))
	f.Fuzz(func(t *testing.T, idx uint8, sig, ts string, body []byte) {
		names := Schemes()
		scheme := names[int(idx)%len(names)]
		h := hdr("Content-Type", "application/x-www-form-urlencoded")
		for _, name := range SignatureHeaders(scheme, Params{}) {
			h.Set(name, sig)
		}
		h.Set(hWebhookTS, ts)
		h.Set(hSlackTS, ts)
		req := Request{URL: "https://example.com/h?x=" + ts, Header: h, Body: body}
		p := Params{Scheme: scheme, Secrets: secrets("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", " sk_x "),
			Others: []Secret{{Label: "o", Value: sig}}, Now: func() time.Time { return time.Unix(testNow, 0) }}
		o := Diagnose(req, p, Verify(req, p))
		if o.Result == Failed && (o.Reason == "" || o.Detail == "") {
			t.Fatalf("failed outcome without reason or detail: %+v", o)
		}
	})
}

// FuzzDoctorMemoryBound diagnoses arbitrary bodies (JSON nested at will, forms, text) and holds
// the doctor to its memory bound: never more than a fixed multiple of the body plus a constant.
func FuzzDoctorMemoryBound(f *testing.F) {
	f.Add([]byte(`{"a":[1,2,{"b":"c"}]}`), uint8(2))
	f.Add(bytes.Repeat([]byte("["), 5000), uint8(1))
	f.Add([]byte(`{"k":"\u2028<&>","n":1e21}`), uint8(4))
	f.Fuzz(func(t *testing.T, body []byte, repeat uint8) {
		// Repeating the input reaches depths and sizes the mutator alone would take long to find.
		body = bytes.Repeat(body, 1+int(repeat%64))
		req := Request{URL: "https://example.com/h", Header: hdr("X-Hub-Signature-256", "sha256="+strings.Repeat("0", 64),
			"Content-Type", "application/json"), Body: body}
		p := Params{Scheme: SchemeGitHub, Secrets: secrets(" s3cret "), Others: []Secret{{Label: "o", Value: "x"}}}
		limit := uint64(16*len(body)) + 8<<20
		var o Outcome
		if alloc := allocatedBy(func() { o = Diagnose(req, p, Verify(req, p)) }); alloc > limit {
			t.Fatalf("Diagnose of %d bytes allocated %d bytes (bound %d)", len(body), alloc, limit)
		}
		if o.Result != Failed {
			t.Fatalf("verdict %s for an all-zero signature", o.Result)
		}
	})
}

// FuzzIndentJSON checks the capped pretty-printer against encoding/json's on any valid JSON.
func FuzzIndentJSON(f *testing.F) {
	f.Add([]byte(`{"a":[1,{"b":"[,:]\""},[]],"c":{}}`))
	f.Add([]byte(`[[[[]]]]`))
	f.Fuzz(func(t *testing.T, in []byte) {
		var compact, want bytes.Buffer
		if json.Compact(&compact, in) != nil || json.Indent(&want, compact.Bytes(), "", "  ") != nil {
			return
		}
		if n, ok := indentedSize(compact.Bytes(), 2, 1<<30); !ok || n != want.Len() {
			t.Fatalf("indentedSize(%q) = %d, want %d", compact.Bytes(), n, want.Len())
		}
		got, ok := indentJSON(compact.Bytes(), "  ", want.Len())
		if !ok || !bytes.Equal(got, want.Bytes()) {
			t.Fatalf("indentJSON(%q) = %q, %v; want %q", compact.Bytes(), got, ok, want.Bytes())
		}
		if _, ok := indentJSON(compact.Bytes(), "  ", want.Len()-1); ok {
			t.Fatalf("indentJSON fit %d bytes under a cap of %d", want.Len(), want.Len()-1)
		}
	})
}
