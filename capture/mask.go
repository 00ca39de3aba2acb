package capture

// maskPrefix replaces the hidden part of a credential.
const maskPrefix = "••••"

// minRevealLen is the shortest value whose last 4 characters may be shown: below it, those
// characters would be too large a share of the secret.
const minRevealLen = 16

// credentialHeaders carry secrets whatever the route; routes add their own token headers.
var credentialHeaders = []string{
	"Authorization", "Proxy-Authorization", "X-Gitlab-Token", "X-Webhook-Secret", "Cookie", "Set-Cookie",
}

// IsSecretHeader reports whether name (case-insensitive) carries a credential: one of the
// well-known ones or one of extra.
func IsSecretHeader(name string, extra []string) bool {
	for _, n := range credentialHeaders {
		if equalFold(n, name) {
			return true
		}
	}
	for _, n := range extra {
		if equalFold(n, name) {
			return true
		}
	}
	return false
}

// MaskHeaders returns a copy of h with credential values masked: "••••" plus the last 4
// characters of a long value, "••••" alone for a short one. Order and repeats are kept.
func MaskHeaders(h []Header, extra []string) []Header {
	out := make([]Header, len(h))
	for i, hd := range h {
		out[i] = hd
		if IsSecretHeader(hd.Name, extra) {
			out[i].Value = maskValue(hd.Value)
		}
	}
	return out
}

func maskValue(v string) string {
	r := []rune(v)
	if len(r) < minRevealLen {
		return maskPrefix
	}
	return maskPrefix + string(r[len(r)-4:])
}
