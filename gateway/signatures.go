package gateway

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/hooktap/hooktap/config"
	"github.com/hooktap/hooktap/signature"
)

// ruleParams picks, on a route verified per provider, the rule whose signature header the request
// carries, and builds its parameters: each provider is checked only with its own scheme and
// secrets, so one provider's signature can never pass as another's. ok is false when the request
// carries none of the rules' headers.
func (r *route) ruleParams(h http.Header, now func() time.Time) (signature.Params, bool) {
	for _, rule := range r.cfg.Signatures {
		p := r.paramsFor(rule, now)
		if carries(h, signature.SignatureHeaders(rule.Verify, p)) {
			return p, true
		}
	}
	return signature.Params{}, false
}

// paramsFor builds the parameters of one rule, its secrets labelled route/rule#n.
func (r *route) paramsFor(rule config.SignatureRule, now func() time.Time) signature.Params {
	p := signature.Params{
		Scheme:          rule.Verify,
		Tolerance:       r.settings.Tolerance,
		SignatureHeader: rule.SignatureHeader,
		TimestampHeader: rule.TimestampHeader,
		PublicURL:       r.cfg.PublicURL,
		Now:             now,
	}
	for i, v := range rule.Secret {
		if v != "" {
			p.Secrets = append(p.Secrets, signature.Secret{Label: r.cfg.Name + "/" + rule.Name + "#" + strconv.Itoa(i+1), Value: v})
		}
	}
	return p
}

// carries reports whether any of the named headers is present.
func carries(h http.Header, names []string) bool {
	for _, n := range names {
		if len(h.Values(n)) > 0 {
			return true
		}
	}
	return false
}

// noRuleOutcome is the failure of a request that carries none of a route's signature headers.
func (r *route) noRuleOutcome() signature.Outcome {
	var want []string
	for _, rule := range r.cfg.Signatures {
		p := r.paramsFor(rule, nil)
		want = append(want, rule.Name+" ("+strings.Join(signature.SignatureHeaders(rule.Verify, p), " or ")+")")
	}
	return signature.Outcome{Result: signature.Failed, Reason: signature.ReasonMissingHeader,
		Detail: "none of this route's signature headers was sent; it accepts " + strings.Join(want, ", ")}
}
