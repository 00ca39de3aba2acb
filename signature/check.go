package signature

import (
	"fmt"
	"strings"
)

// PrepareCheck names the scheme from the headers when p leaves it empty and refuses inputs
// whose check could mean nothing: a scheme that cannot be told or is unknown, or no secret for
// a scheme that needs one. The CLI's `verify` and the MCP `diagnose` tool share its messages;
// param spells an input's name the way the caller's user types it ("--scheme", "scheme").
func PrepareCheck(req Request, p *Params, param func(name string) string) error {
	if p.Scheme == "" {
		p.Scheme = Detect(req.Header)
	}
	if p.Scheme == "" {
		return fmt.Errorf("cannot tell the scheme from these headers: pass %s (%s)", param("scheme"), strings.Join(schemeNames, ", "))
	}
	if !Known(p.Scheme) {
		return fmt.Errorf("unknown scheme %q; known: %s", p.Scheme, strings.Join(schemeNames, ", "))
	}
	if len(p.Secrets) == 0 && p.PublicKey == "" && p.Scheme != SchemeNone {
		return fmt.Errorf("%s is required for the %s scheme", param("secret"), p.Scheme)
	}
	return nil
}

// Check verifies req and, when that fails, runs the doctor on it. Diagnosis is never nil, so
// the JSON form always carries a list.
func Check(req Request, p Params) Outcome {
	o := Verify(req, p)
	if o.Result == Failed {
		o = Diagnose(req, p, o)
	}
	if o.Diagnosis == nil {
		o.Diagnosis = []Finding{}
	}
	return o
}
