package signature

import (
	"bytes"
	"encoding/json"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"
)

// delivery is a request signed one way (signedBody, signSecret, signURL) and sent another.
type delivery struct {
	scheme      string
	signedBody  string
	sentBody    string
	signSecret  string
	km          keyMode
	contentType string
	signURL     string
	sentURL     string
	sentHeader  []string // extra headers on the sent request
	mutate      func(h http.Header)
}

func (d delivery) request(t *testing.T) Request {
	t.Helper()
	ct := firstNonEmpty(d.contentType, "application/json")
	in := SignInput{URL: d.signURL, Header: hdr("Content-Type", ct), Body: []byte(d.signedBody),
		Secret: d.signSecret, Timestamp: time.Unix(testNow, 0)}
	var h http.Header
	var err error
	if spec, ok := macSpecs[d.scheme]; ok {
		h, err = signMAC(spec, &in, in.Timestamp, d.km)
	} else {
		h, err = Sign(d.scheme, in)
	}
	if err != nil {
		t.Fatal(err)
	}
	h.Set("Content-Type", ct)
	for i := 0; i+1 < len(d.sentHeader); i += 2 {
		h.Set(d.sentHeader[i], d.sentHeader[i+1])
	}
	if d.mutate != nil {
		d.mutate(h)
	}
	return Request{Method: http.MethodPost, URL: firstNonEmpty(d.sentURL, d.signURL), Header: h, Body: []byte(d.sentBody)}
}

func TestDiagnoseFindings(t *testing.T) {
	const compact = `{"id":"evt_1","data":{"amount":2000,"tags":["a","b"]}}`
	pretty2 := "{\n  \"id\": \"evt_1\",\n  \"data\": {\n    \"amount\": 2000,\n    \"tags\": [\n      \"a\",\n      \"b\"\n    ]\n  }\n}"
	pretty4 := strings.ReplaceAll(pretty2, "  ", "    ")
	tests := []struct {
		name    string
		d       delivery
		p       Params
		code    string
		contain string
	}{
		{"pretty-printed on the way", delivery{scheme: SchemeGitHub, signedBody: pretty2, sentBody: compact}, Params{}, FindBodyReserialized, "2 spaces"},
		{"compacted on the way", delivery{scheme: SchemeStripe, signedBody: compact, sentBody: pretty4}, Params{}, FindBodyReserialized, "compact"},
		{"pretty 4", delivery{scheme: SchemeShopify, signedBody: pretty4, sentBody: compact}, Params{}, FindBodyReserialized, "4 spaces"},
		{"keys sorted by provider", delivery{scheme: SchemeHMAC, signedBody: `{"a":2,"b":1}`, sentBody: `{"b":1,"a":2}`}, Params{}, FindBodyReserialized, "sorted"},
		{"escapes changed", delivery{scheme: SchemeSlack, signedBody: "{\"u\":\"a/b\u2028\"}", sentBody: `{"u":"a\/b\u2028"}`}, Params{}, FindBodyReserialized, "JSON.stringify"},
		{"go html escaping", delivery{scheme: SchemeStandard, signedBody: `{"h":"\u003cb\u003e"}`, sentBody: `{"h":"<b>"}`}, Params{}, FindBodyReserialized, "Go"},
		{"newline removed", delivery{scheme: SchemeGitHub, signedBody: compact + "\n", sentBody: compact}, Params{}, FindTrailingNewline, "with a trailing newline"},
		{"newline added", delivery{scheme: SchemePaddle, signedBody: compact, sentBody: compact + "\n"}, Params{}, FindTrailingNewline, "without"},
		{"crlf", delivery{scheme: SchemeBitbucket, signedBody: "line1\nline2", sentBody: "line1\r\nline2"}, Params{}, FindCRLF, "CRLF"},
		{"form plus", delivery{scheme: SchemeSlack, contentType: "application/x-www-form-urlencoded",
			signedBody: "text=hello%20world&user=bob", sentBody: "text=hello+world&user=bob"}, Params{}, FindFormReencoded, "%20"},
		{"form order", delivery{scheme: SchemeZoom, contentType: "application/x-www-form-urlencoded",
			signedBody: "a=1&b=2", sentBody: "b=2&a=1"}, Params{}, FindFormReencoded, "order"},
		{"secret whitespace", delivery{scheme: SchemeGitHub, signedBody: compact, sentBody: compact, signSecret: "abc"},
			Params{Secrets: secrets("  \"abc\"\n")}, FindSecretWhitespace, "route#1"},
		{"other route", delivery{scheme: SchemeLinear, signedBody: compact, sentBody: compact, signSecret: "theirs"},
			Params{Secrets: secrets("mine"), Others: []Secret{{Label: "billing", Value: "theirs"}}}, FindOtherRoute, "route billing"},
		{"gitlab other route", delivery{scheme: SchemeGitLab, signedBody: compact, sentBody: compact, signSecret: "theirs"},
			Params{Secrets: secrets("mine"), Others: []Secret{{Label: "ci", Value: "theirs"}}}, FindOtherRoute, "route ci"},
		{"standard secret used raw", delivery{scheme: SchemeStandard, signedBody: compact, sentBody: compact, km: keyRaw},
			Params{}, FindSecretEncoding, "base64-decoded bytes"},
		{"stripe secret decoded", delivery{scheme: SchemeStripe, signedBody: compact, sentBody: compact, signSecret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", km: keyDecoded},
			Params{Secrets: secrets("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")}, FindSecretEncoding, "as text"},
		{"api key", delivery{scheme: SchemeStripe, signedBody: compact, sentBody: compact},
			Params{Secrets: secrets("sk_test_51Habc")}, FindAPIKey, "whsec_"},
		{"sha1 in the 256 header", delivery{scheme: SchemeGitHub, signedBody: compact, sentBody: compact, mutate: func(h http.Header) {
			h.Set(hGitHub256, h.Get(hHubSignature))
		}}, Params{}, FindWrongAlgorithm, "HMAC-SHA1"},
		{"uppercase hex", delivery{scheme: SchemeLinear, signedBody: compact, sentBody: compact, mutate: func(h http.Header) {
			h.Set(hLinear, strings.ToUpper(h.Get(hLinear)))
		}}, Params{}, FindWrongAlgorithm, "uppercase hex"},
		{"missing prefix", delivery{scheme: SchemeSlack, signedBody: compact, sentBody: compact, mutate: func(h http.Header) {
			h.Set(hSlackSig, strings.TrimPrefix(h.Get(hSlackSig), "v0="))
		}}, Params{}, FindWrongAlgorithm, "no prefix"},
		{"stale", delivery{scheme: SchemeStandard, signedBody: compact, sentBody: compact},
			Params{Now: fixedClock(testNow + 612)}, FindTimestampSkew, "612 s older than this machine's clock (tolerance 300 s)"},
		{"future", delivery{scheme: SchemeSlack, signedBody: compact, sentBody: compact},
			Params{Now: fixedClock(testNow - 400)}, FindTimestampSkew, "400 s ahead of"},
		{"twilio public url", delivery{scheme: SchemeTwilio, contentType: "application/x-www-form-urlencoded", signedBody: "Digits=1",
			sentBody: "Digits=1", signURL: "https://abc.ngrok.app/webhooks/twilio", sentURL: "http://127.0.0.1:8644/webhooks/twilio",
			sentHeader: []string{"X-Forwarded-Host", "abc.ngrok.app", "X-Forwarded-Proto", "https"}}, Params{}, FindURLMismatch, "https://abc.ngrok.app/webhooks/twilio"},
		{"twilio local url", delivery{scheme: SchemeTwilio, contentType: "application/x-www-form-urlencoded", signedBody: "Digits=1",
			sentBody: "Digits=1", signURL: "http://127.0.0.1:8644/webhooks/twilio"},
			Params{PublicURL: "https://abc.ngrok.app/webhooks/twilio"}, FindURLMismatch, "not https://abc.ngrok.app"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.d.signSecret = firstNonEmpty(tt.d.signSecret, secretFor(tt.d.scheme))
			p := tt.p
			p.Scheme = tt.d.scheme
			p.Now = firstClock(p.Now, fixedClock(testNow))
			if p.Secrets == nil {
				p.Secrets = secrets(secretFor(tt.d.scheme))
			}
			req := tt.d.request(t)
			o := Verify(req, p)
			if o.Result != Failed {
				t.Fatalf("delivery verified (%s); the case does not test the doctor", o.Reason)
			}
			o = Diagnose(req, p, o)
			f := findingFor(o, tt.code)
			if f == nil {
				t.Fatalf("no %s finding in %+v", tt.code, o.Diagnosis)
			}
			if !strings.Contains(f.Message, tt.contain) {
				t.Errorf("message %q lacks %q", f.Message, tt.contain)
			}
		})
	}
}

func firstClock(c, def func() time.Time) func() time.Time {
	if c != nil {
		return c
	}
	return def
}

func findingFor(o Outcome, code string) *Finding {
	for i := range o.Diagnosis {
		if o.Diagnosis[i].Code == code {
			return &o.Diagnosis[i]
		}
	}
	return nil
}

// TestDiagnoseFindsNothingForAPlainWrongSecret guards against findings that do not explain.
func TestDiagnoseFindsNothingForAPlainWrongSecret(t *testing.T) {
	for _, scheme := range signingSchemes() {
		t.Run(scheme, func(t *testing.T) {
			req := signedRequest(t, scheme, testBody)
			p := paramsFor(scheme)
			p.Secrets = p.Secrets[:1]
			p.Others = []Secret{{Label: "unrelated", Value: "nope"}}
			o := Diagnose(req, p, Verify(req, p))
			if len(o.Diagnosis) != 0 {
				t.Errorf("findings for a plain wrong secret: %+v", o.Diagnosis)
			}
			if scheme != SchemeGitLab && scheme != SchemeHeader && o.SignedString == "" {
				t.Error("signed string not filled")
			}
		})
	}
}

func TestDiagnoseLeavesPassingOutcomes(t *testing.T) {
	req := signedRequest(t, SchemeGitHub, testBody)
	p := paramsFor(SchemeGitHub)
	o := Verify(req, p)
	if got := Diagnose(req, p, o); got.SignedString != "" || got.Diagnosis != nil {
		t.Errorf("Diagnose changed a verified outcome: %+v", got)
	}
}

func TestDiagnoseSignedStringCut(t *testing.T) {
	body := bytes.Repeat([]byte("é"), 1000)
	req := signedRequest(t, SchemeStripe, body)
	p := paramsFor(SchemeStripe)
	p.Secrets = p.Secrets[:1]
	o := Diagnose(req, p, Verify(req, p))
	if !strings.HasPrefix(o.SignedString, "1700000000.é") || !strings.HasSuffix(o.SignedString, "more bytes)") {
		t.Errorf("signed string = %q", o.SignedString)
	}
}

func TestDiagnoseIsBoundedOnLargeBodies(t *testing.T) {
	body := append([]byte(`{"items":[`), bytes.Repeat([]byte(`{"name":"x","n":1},`), 55_000)...)
	body = append(body[:len(body)-1], []byte("]}\n")...)
	req := signedRequest(t, SchemeGitHub, body)
	req.Body = append(body[:len(body)-1:len(body)-1], ' ')
	p := paramsFor(SchemeGitHub)
	p.Others = []Secret{{Label: "a", Value: "b"}, {Label: "c", Value: "d"}}
	o := Verify(req, p)
	if alloc := allocatedBy(func() { o = Diagnose(req, p, o) }); alloc > 48<<20 {
		t.Errorf("Diagnose on %d bytes allocated %d MiB", len(body), alloc>>20)
	}
	if o.Result != Failed {
		t.Errorf("verdict = %s, want failed", o.Result)
	}
}

// allocatedBy reports the bytes the process allocated while fn ran.
func allocatedBy(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// Nested JSON made pretty-printed variants grow with the square of the depth: 8 KB of "[[[…]]]"
// cost 353 MB. Past the depth cap the body is not re-serialised and the finding says so.
func TestDiagnoseDeepJSONIsBounded(t *testing.T) {
	for _, depth := range []int{4_000, 32_000} {
		body := append(bytes.Repeat([]byte("["), depth), bytes.Repeat([]byte("]"), depth)...)
		req := signedRequest(t, SchemeGitHub, []byte(`{}`))
		req.Body = body
		p := paramsFor(SchemeGitHub)
		var o Outcome
		if alloc := allocatedBy(func() { o = Diagnose(req, p, Verify(req, p)) }); alloc > 4<<20 {
			t.Fatalf("depth %d: Diagnose allocated %d MiB", depth, alloc>>20)
		}
		if o.Result != Failed || !hasFinding(o, FindBodyTooDeep) {
			t.Fatalf("depth %d: outcome %s with findings %+v, want failed with %s", depth, o.Result, o.Diagnosis, FindBodyTooDeep)
		}
	}
}

// Just under the depth cap, every variant is still built, each within its byte cap.
func TestDiagnoseVariantsStayUnderTheirCap(t *testing.T) {
	depth := doctorMaxDepth
	body := append(bytes.Repeat([]byte(`{"k":[`), depth/2), bytes.Repeat([]byte(`]}`), depth/2)...)
	for _, v := range append(jsonTextVariants(body), jsonTreeVariants(body)...) {
		if len(v.body) > variantCap(len(body)) {
			t.Fatalf("variant %q is %d bytes, cap %d", v.msg, len(v.body), variantCap(len(body)))
		}
	}
	if n := len(jsonTreeVariants(body)); n != 8 {
		t.Errorf("%d tree variants under the caps, want 8", n)
	}
}

func TestDiagnoseRefusesBodiesOverItsCap(t *testing.T) {
	req := signedRequest(t, SchemeGitHub, []byte(`{}`))
	req.Body = bytes.Repeat([]byte("a"), doctorMaxBody+1)
	p := paramsFor(SchemeGitHub)
	o := Diagnose(req, p, Verify(req, p))
	if o.Result != Failed || o.Reason != ReasonMismatch || !hasFinding(o, FindBodyTooLarge) {
		t.Errorf("outcome = %+v, want failed mismatch with %s", o, FindBodyTooLarge)
	}
}

// A pretty-printed variant that would pass its cap is dropped, not built.
func TestIndentJSONStopsAtItsCap(t *testing.T) {
	compact := []byte(`{"a":[1,{"b":"[,:]"},[]],"c":{}}`)
	var want bytes.Buffer
	_ = json.Indent(&want, compact, "", "  ")
	if got, ok := indentJSON(compact, "  ", 1<<10); !ok || string(got) != want.String() {
		t.Fatalf("indentJSON = %q, %v; want %q", got, ok, want.String())
	}
	if got, ok := indentJSON(compact, "  ", want.Len()-1); ok || len(got) > want.Len()-1 {
		t.Errorf("over the cap: %d bytes, ok=%v", len(got), ok)
	}
}

func hasFinding(o Outcome, code string) bool {
	for _, f := range o.Diagnosis {
		if f.Code == code {
			return true
		}
	}
	return false
}

// A long string is counted against the cap while it is scanned, not only at the next bracket.
func TestIndentedSizeStopsInsideLongString(t *testing.T) {
	body := []byte(`"` + strings.Repeat("a", 10_000) + `"`)
	if size, ok := indentedSize(body, 2, 100); ok || size > 101 {
		t.Fatalf("indentedSize over a 10 000-byte string with max 100 = %d, %v; want it to stop past 100", size, ok)
	}
	if size, ok := indentedSize([]byte(`{"a":[],"b":{}}`), 2, 1<<20); !ok || size != len("{\n  \"a\": [],\n  \"b\": {}\n}") {
		t.Fatalf("indentedSize of a small object = %d, %v", size, ok)
	}
}
