package config

import "strings"

// DefaultTokenHeader is the header scheme's header when a route names none.
const DefaultTokenHeader = "X-Webhook-Secret"

// CredentialHeaders lists the header names the given routes carry their plain shared secret in
// (routes verified with the header scheme), for masking: mask.IsCredentialHeader knows the
// well-known credential headers, these are the ones only the configuration knows.
func CredentialHeaders(routes []Route) []string {
	names := []string{DefaultTokenHeader}
	for _, rt := range routes {
		if rt.SignatureHeader != "" && strings.EqualFold(rt.Verify, "header") {
			names = append(names, rt.SignatureHeader)
		}
		for _, rule := range rt.Signatures {
			if rule.SignatureHeader != "" && strings.EqualFold(rule.Verify, "header") {
				names = append(names, rule.SignatureHeader)
			}
		}
	}
	return names
}
