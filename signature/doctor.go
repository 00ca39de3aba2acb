package signature

import "unicode/utf8"

// Finding codes (docs/signatures.md). Scripts match on these; never rename one.
const (
	FindBodyReserialized = "body_reserialized"
	FindTrailingNewline  = "trailing_newline"
	FindCRLF             = "crlf"
	FindFormReencoded    = "form_reencoded"
	FindSecretWhitespace = "secret_whitespace"
	FindOtherRoute       = "other_route_secret"
	FindSecretEncoding   = "secret_encoding"
	FindAPIKey           = "api_key_not_signing_secret"
	FindWrongAlgorithm   = "wrong_algorithm"
	FindTimestampSkew    = "timestamp_skew"
	FindURLMismatch      = "url_mismatch"
)

// signedStringMax cuts the signed string shown to the user.
const signedStringMax = 512

// doctor holds one diagnosis in progress.
type doctor struct {
	req      Request
	p        Params
	scheme   string
	findings []Finding
	// spent counts the bytes fed to MACs so far, against doctorWorkBudget (doctor_budget.go).
	spent     int
	exhausted bool
	tooDeep   bool
}

// Diagnose explains a failed outcome; it returns o with Diagnosis, SignedString, Expected and
// Received filled. Outcomes that did not fail come back unchanged.
func Diagnose(req Request, p Params, o Outcome) Outcome {
	if o.Result != Failed {
		return o
	}
	scheme := firstNonEmpty(o.Scheme, p.Scheme, Detect(req.Header))
	if !Known(scheme) || scheme == SchemeNone {
		return o
	}
	p.Scheme = scheme
	d := &doctor{req: req, p: p, scheme: scheme}
	if len(req.Body) > doctorMaxBody {
		o.Diagnosis = append(o.Diagnosis, Finding{Code: FindBodyTooLarge, Message: "the body (" + itoa(len(req.Body)) +
			" bytes) is larger than the " + itoa(doctorMaxBody>>20) + " MiB the doctor diagnoses: too large to diagnose; " +
			"the verdict stands, with the reason above"})
		return o
	}
	d.fillValues(&o)
	d.facts()
	if o.Reason == ReasonMismatch || o.Reason == ReasonMalformedHeader {
		d.explain()
	}
	d.reportLimits()
	o.Diagnosis = append(o.Diagnosis, d.findings...)
	return o
}

func firstNonEmpty(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

func (d *doctor) add(code, msg string) {
	for _, f := range d.findings {
		if f.Code == code && f.Message == msg {
			return
		}
	}
	d.findings = append(d.findings, Finding{Code: code, Message: msg})
}

// facts are findings reported whether or not they explain the mismatch.
func (d *doctor) facts() {
	d.apiKeyFacts()
	d.timestampFact()
}

// explain tries the usual culprits, cheapest first, each recomputed with the scheme's signer.
func (d *doctor) explain() {
	if len(d.p.Secrets) == 0 && d.p.PublicKey == "" {
		return
	}
	d.secretCandidates()
	d.algorithmCandidates()
	d.urlCandidates()
	d.bodyCandidates()
}

// verifies reports whether the request verifies with these params (a stale timestamp counts:
// the signature itself matched). A candidate the work budget cannot pay for is not tried.
func (d *doctor) verifies(req Request, p Params, km keyMode) bool {
	if !d.spend(len(req.Body), len(p.Secrets)) {
		return false
	}
	p.Scheme = d.scheme
	p.Others = nil
	o := verifyEnv(&env{req: &req, p: &p, km: km})
	return o.Result == Verified || o.Reason == ReasonTimestampTolerance
}

// withSecret returns the route's params with one secret in place of the configured ones.
func (d *doctor) withSecret(label, value string) Params {
	p := d.p
	p.Secrets = []Secret{{Label: label, Value: value}}
	if d.scheme == SchemeDiscord {
		p.PublicKey = ""
	}
	return p
}

// cut shortens s for display without splitting a UTF-8 sequence.
func cut(s string) string {
	if len(s) <= signedStringMax {
		return s
	}
	n := signedStringMax
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "… (" + itoa(len(s)-n) + " more bytes)"
}
