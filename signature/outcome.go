// Package signature verifies and signs webhook deliveries for every scheme hooktap knows,
// and explains failed checks (the signature doctor).
package signature

import (
	"net/http"
	"time"
)

// Result is the verdict of a verification.
type Result string

// The three verdicts a capture can carry.
const (
	Verified Result = "verified"
	Failed   Result = "failed"
	Skipped  Result = "skipped"
)

// Reason is a stable, searchable code that says why a verification ended as it did.
type Reason string

// Reason codes (docs/pipeline.md). Scripts match on these; never rename one.
const (
	ReasonOK                 Reason = "ok"
	ReasonMissingHeader      Reason = "missing_header"
	ReasonMalformedHeader    Reason = "malformed_header"
	ReasonMismatch           Reason = "mismatch"
	ReasonTimestampTolerance Reason = "timestamp_out_of_tolerance"
	ReasonNoSecret           Reason = "no_secret"
	ReasonSkipped            Reason = "skipped"
	// ReasonSchemeMismatch: the route accepts one scheme (its verify:, or the scheme its first
	// verified delivery pinned) and the request carries another scheme's headers.
	ReasonSchemeMismatch Reason = "scheme_mismatch"
)

// Finding is one explanation the doctor found for a failed check.
type Finding struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Outcome is the full result of checking one request: what was checked, the verdict, why, and
// (on failure) what the doctor found. It is a value stored with every capture.
type Outcome struct {
	Scheme        string    `json:"scheme"`
	Result        Result    `json:"result"`
	Reason        Reason    `json:"reason"`
	Detail        string    `json:"detail"`
	Diagnosis     []Finding `json:"diagnosis"`
	MatchedSecret string    `json:"matched_secret,omitempty"`
	// SignedString is the exact string the scheme signs (cut for display); the doctor fills it.
	SignedString string `json:"signed_string,omitempty"`
	// Expected is the signature computed with the first configured secret; Received the one sent.
	Expected string `json:"expected,omitempty"`
	Received string `json:"received,omitempty"`
}

// OK reports whether the request may pass: verified, or skipped because nothing is required.
func (o Outcome) OK() bool { return o.Result != Failed }

// Secret is one configured secret with the label that names it in outcomes (e.g. "github-pr#2").
type Secret struct {
	Label string
	Value string
}

// Request is what a verifier sees of an inbound delivery.
type Request struct {
	Method string
	// URL is the full URL the provider called (scheme, host, path, query); Twilio signs it.
	URL    string
	Header http.Header
	Body   []byte
}

// Params configures one verification.
type Params struct {
	// Scheme names the scheme; empty means detect it from the headers.
	Scheme  string
	Secrets []Secret
	// Tolerance bounds timestamp skew for timestamped schemes; zero means 300 s.
	Tolerance time.Duration
	// SignatureHeader and TimestampHeader override the header names of the hmac, timestamped
	// and header schemes.
	SignatureHeader string
	TimestampHeader string
	// PublicKey is the hex Ed25519 public key of a Discord application.
	PublicKey string
	// PublicURL is the URL a Twilio route was configured with at the provider.
	PublicURL string
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Others are other routes' secrets (Label = route name); the doctor tries them on a mismatch.
	Others []Secret
}
