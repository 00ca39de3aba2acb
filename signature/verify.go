package signature

import (
	"fmt"
	"time"
)

// insecureNoAuth is the secret literal that switches verification off for a route (tests only).
const insecureNoAuth = "INSECURE_NO_AUTH"

// defaultTolerance bounds timestamp skew when neither Params nor the scheme says otherwise.
const defaultTolerance = 300 * time.Second

// keyMode lets the doctor force a whsec_ secret to be used raw or base64-decoded.
type keyMode int

const (
	keyAsScheme keyMode = iota
	keyRaw
	keyDecoded
)

// env is one verification in progress.
type env struct {
	req *Request
	p   *Params
	km  keyMode
}

// failure is a reason and a sentence; the zero value means "no failure".
type failure struct {
	reason Reason
	detail string
}

func fail(r Reason, format string, args ...any) failure {
	return failure{reason: r, detail: fmt.Sprintf(format, args...)}
}

// Verify checks a request against the route's scheme and secrets; it detects the scheme when
// p.Scheme is empty.
func Verify(req Request, p Params) Outcome {
	return verifyEnv(&env{req: &req, p: &p})
}

func verifyEnv(e *env) Outcome {
	p := e.p
	name := p.Scheme
	if name == SchemeNone {
		return skipped(name, ReasonSkipped, "verification is off for this route (verify: none)")
	}
	if insecure(p.Secrets) {
		return skipped(name, ReasonSkipped, "the route's secret is INSECURE_NO_AUTH: anyone can post to it; use it for tests only")
	}
	if name == "" {
		name = Detect(e.req.Header)
	}
	if !hasKeys(name, p) {
		return skipped(name, ReasonNoSecret, "no secret is configured for this route, so the signature was not checked")
	}
	if name == "" {
		return failedOutcome("", failure{ReasonMissingHeader,
			"no signature header was found; looked for " + detectHeaders}, "")
	}
	if !Known(name) {
		return failedOutcome(name, fail(ReasonMalformedHeader, "hooktap does not know the scheme %q; known: %v", name, schemeNames), "")
	}
	switch name {
	case SchemeTwilio:
		return verifyTwilio(e)
	case SchemeDiscord:
		return verifyDiscord(e)
	case SchemeGitLab, SchemeHeader:
		return verifyToken(name, e)
	}
	return verifyMAC(macSpecs[name], e)
}

func insecure(secrets []Secret) bool {
	for _, s := range secrets {
		if s.Value == insecureNoAuth {
			return true
		}
	}
	return false
}

// hasKeys reports whether anything can verify: a secret, or for discord a public key.
func hasKeys(scheme string, p *Params) bool {
	return len(p.Secrets) > 0 || scheme == SchemeDiscord && p.PublicKey != ""
}

func skipped(scheme string, r Reason, detail string) Outcome {
	return Outcome{Scheme: scheme, Result: Skipped, Reason: r, Detail: detail}
}

func failedOutcome(scheme string, f failure, received string) Outcome {
	return Outcome{Scheme: scheme, Result: Failed, Reason: f.reason, Detail: f.detail, Received: received}
}

func verified(scheme, label string) Outcome {
	return Outcome{Scheme: scheme, Result: Verified, Reason: ReasonOK,
		Detail: "the signature matches a configured secret", MatchedSecret: label}
}

// single returns the one value of a header; absent or repeated headers are failures because a
// second value would let a sender smuggle a signature past a check that reads only the first.
func single(e *env, name string) (string, failure) {
	vs := headerValues(e.req.Header, name)
	switch len(vs) {
	case 0:
		return "", fail(ReasonMissingHeader, "the %s header is missing", name)
	case 1:
		return vs[0], failure{}
	}
	return vs[0], fail(ReasonMalformedHeader, "the %s header was sent %d times; it must be sent once", name, len(vs))
}

func (e *env) now() time.Time {
	if e.p.Now != nil {
		return e.p.Now()
	}
	return time.Now()
}

// tolerance is the route's, else the scheme's, else the default.
func tolerance(p *Params, schemeDefault time.Duration) time.Duration {
	switch {
	case p.Tolerance > 0:
		return p.Tolerance
	case schemeDefault > 0:
		return schemeDefault
	}
	return defaultTolerance
}

// skew is how far a timestamp is from now: positive when it is older.
type skew struct {
	ms  int64
	tol time.Duration
}

// outside reports whether the skew breaks the tolerance under the scheme's policy.
func (s skew) outside(policy tsPolicy) bool {
	limit := s.tol.Milliseconds()
	return s.ms > limit || policy == tsBoth && -s.ms > limit
}

// sentence says how far and which way, in whole seconds.
func (s skew) sentence() string {
	secs, dir := s.ms/1000, "older than"
	if s.ms < 0 {
		secs, dir = -secs, "ahead of"
	}
	return fmt.Sprintf("the timestamp is %d s %s this machine's clock (tolerance %d s)",
		secs, dir, int64(s.tol/time.Second))
}
