package config

import "github.com/hooktap/hooktap/signature"

// CompleteVerifyParams fills what p leaves unset from the configuration of route (found among
// routes, which may include dynamic ones): scheme, secrets, tolerance, header names, public key
// and public URL. recorded is the scheme a capture was verified with when it arrived; it names
// the scheme when neither p nor the route does. Every other route's secrets go to p.Others so
// the doctor can say "this was signed with route X's secret".
func CompleteVerifyParams(p *signature.Params, routes []Route, g Gateway, route, recorded string) {
	var rt Route
	found := false
	for _, r := range routes {
		if r.Name == route {
			rt, found = r, true
			break
		}
	}
	if p.Scheme == "" && found && rt.Verify != "" {
		p.Scheme = rt.Verify
	}
	if p.Scheme == "" && recorded != "" && recorded != signature.SchemeNone {
		p.Scheme = recorded
	}
	p.Others = OtherRouteSecrets(routes, g, route)
	if !found {
		return
	}
	set := rt.Effective(g)
	if len(p.Secrets) == 0 {
		p.Secrets = set.Secrets
	}
	if p.Tolerance == 0 {
		p.Tolerance = set.Tolerance
	}
	if p.SignatureHeader == "" {
		p.SignatureHeader = rt.SignatureHeader
	}
	if p.TimestampHeader == "" {
		p.TimestampHeader = rt.TimestampHeader
	}
	if p.PublicKey == "" {
		p.PublicKey = rt.PublicKey
	}
	if p.PublicURL == "" {
		p.PublicURL = rt.PublicURL
	}
}
