package signature

// verifyToken checks the plain-secret schemes (gitlab, header): the header carries the secret
// itself, so neither Received nor Expected is filled — both would print a secret.
func verifyToken(scheme string, e *env) Outcome {
	name := headerName(e.p.SignatureHeader, tokenDefaults[scheme])
	if scheme == SchemeGitLab {
		name = hGitLabToken
	}
	v, f := single(e, name)
	if f.reason != "" {
		return failedOutcome(scheme, f, "")
	}
	for _, s := range e.p.Secrets {
		if equalStringsCT(s.Value, v) {
			return verified(scheme, s.Label)
		}
	}
	return failedOutcome(scheme, fail(ReasonMismatch, "the %s header does not match any configured secret", name), "")
}
