package signature

import (
	"testing"
)

// BenchmarkVerify measures the hot path per scheme: a valid delivery checked against the
// second of two secrets (rotation), so one mismatch and one match per op.
func BenchmarkVerify(b *testing.B) {
	for _, scheme := range signingSchemes() {
		req := signedRequest(b, scheme, testBody)
		p := paramsFor(scheme)
		if o := Verify(req, p); o.Result != Verified {
			b.Fatalf("%s: %s %s", scheme, o.Reason, o.Detail)
		}
		b.Run(scheme, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Verify(req, p)
			}
		})
	}
}

// BenchmarkDiagnose measures the doctor on a mismatch it cannot explain (every candidate tried).
func BenchmarkDiagnose(b *testing.B) {
	req := signedRequest(b, SchemeGitHub, testBody)
	p := paramsFor(SchemeGitHub)
	p.Secrets = p.Secrets[:1]
	o := Verify(req, p)
	b.ReportAllocs()
	for b.Loop() {
		Diagnose(req, p, o)
	}
}
