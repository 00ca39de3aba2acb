package tunnel

import (
	"crypto/x509"
	"errors"
	"net"
	"strings"
)

// Hints shown with an error status; each says what the user can do about it.
const (
	HintBadToken      = "ngrok rejected the authtoken: check NGROK_AUTHTOKEN (or tunnel.authtoken) — https://dashboard.ngrok.com/get-started/your-authtoken"
	HintSessionLimit  = "another ngrok agent is already online with this account: stop it, or use a plan that allows more sessions"
	HintDomain        = "the domain in tunnel.url is taken or not reserved for this account: reserve it at https://dashboard.ngrok.com/domains, or leave tunnel.url empty"
	HintTrafficPolicy = "ngrok rejected the traffic policy: check the file named by tunnel.traffic_policy"
	HintTLS           = "the TLS handshake with ngrok failed (a proxy or firewall may intercept it); retrying"
	HintRetrying      = "retrying"
)

// codeHints maps ngrok error codes (https://ngrok.com/docs/errors) to what the user should do.
var codeHints = map[string]string{
	"ERR_NGROK_105":  HintBadToken,
	"ERR_NGROK_106":  HintBadToken,
	"ERR_NGROK_107":  HintBadToken,
	"ERR_NGROK_4018": HintBadToken,
	"ERR_NGROK_108":  HintSessionLimit,
	"ERR_NGROK_313":  HintDomain,
	"ERR_NGROK_320":  HintDomain,
	"ERR_NGROK_334":  HintDomain,
}

// messageHints catches the same problems by wording when the error carries no code.
var messageHints = []struct{ words, hint string }{
	{"authtoken", HintBadToken},
	{"authentication failed", HintBadToken},
	{"already online", HintDomain},
	{"reserved", HintDomain},
	{"traffic policy", HintTrafficPolicy},
	{"policy", HintTrafficPolicy},
}

// explain turns an agent error into a one-line reason and a hint.
func explain(err error) (reason, hint string) {
	reason = oneLine(err.Error())
	if code := errorCode(err); code != "" {
		if h, ok := codeHints[code]; ok {
			return reason, h
		}
	}
	lower := strings.ToLower(reason)
	for _, m := range messageHints {
		if strings.Contains(lower, m.words) {
			return reason, m.hint
		}
	}
	var certErr x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	if errors.As(err, &certErr) || errors.As(err, &hostErr) {
		return reason, HintTLS
	}
	var netErr net.Error
	if errors.As(err, &netErr) || strings.Contains(lower, "failed to dial") {
		return reason, "cannot reach ngrok: check the network or proxy; retrying"
	}
	return reason, HintRetrying
}

// errorCode extracts an ngrok error code from either of the library's error shapes.
func errorCode(err error) string {
	var legacyErr interface{ ErrorCode() string }
	if errors.As(err, &legacyErr) {
		return legacyErr.ErrorCode()
	}
	var coded interface{ Code() string }
	if errors.As(err, &coded) {
		return coded.Code()
	}
	return ""
}

// oneLine folds the library's multi-line messages (message, blank line, docs URL) into one line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
