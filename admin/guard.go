package admin

import (
	"crypto/subtle"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
)

// IsLoopbackHost reports whether a Host header (or listen host), with or without a port, names
// this machine's loopback interface: "localhost", 127.0.0.0/8 or ::1. Anything else — including
// names that merely start with a loopback address, such as "127.0.0.1.evil.com" — is refused,
// which is what stops a DNS-rebinding page from talking to the admin API.
func IsLoopbackHost(host string) bool {
	h := stripPort(strings.TrimSpace(host))
	if h == "" {
		return false
	}
	if strings.EqualFold(h, "localhost") || strings.EqualFold(h, "localhost.") {
		return true
	}
	addr, err := netip.ParseAddr(h)
	if err != nil {
		return false
	}
	// A zone ("::1%lo") is not something a browser sends; refuse it rather than reason about it.
	return addr.Zone() == "" && addr.Unmap().IsLoopback()
}

// stripPort removes an optional ":port" and the brackets of an IPv6 literal.
func stripPort(host string) string {
	if h, _, err := net.SplitHostPort(host); err == nil {
		return h
	}
	if strings.HasPrefix(host, "[") && strings.HasSuffix(host, "]") {
		return host[1 : len(host)-1]
	}
	return host
}

// CheckLoopbackAddr refuses a listen address that is not on the loopback interface: the admin
// API reads and replays captures and must never be served to the network.
func CheckLoopbackAddr(addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("admin address %q: want HOST:PORT on loopback, e.g. 127.0.0.1:8645", addr)
	}
	if host == "" {
		return fmt.Errorf("admin address %q listens on every interface; use 127.0.0.1:%s", addr, port)
	}
	if !IsLoopbackHost(host) {
		return fmt.Errorf("admin address %q is not a loopback address; the admin API only listens on 127.0.0.1, ::1 or localhost", addr)
	}
	return nil
}

// guard applies the DNS-rebinding Host check and, when a token is configured, the bearer-token
// check to every request before next sees it.
func guard(token string, next http.Handler) http.Handler {
	want := []byte(token)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !IsLoopbackHost(r.Host) {
			writeError(w, http.StatusForbidden, apiError{Message: "host not allowed"})
			return
		}
		if !loopbackOrigin(r.Header.Get("Origin")) {
			writeError(w, http.StatusForbidden, apiError{Message: "origin not allowed"})
			return
		}
		if token != "" && !tokenMatches(r.Header.Get("Authorization"), want) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="hooktap admin"`)
			writeError(w, http.StatusUnauthorized, apiError{Message: "missing or wrong bearer token (admin.token)"})
			return
		}
		next.ServeHTTP(w, r)
	})
}

// loopbackOrigin accepts requests without an Origin (curl, the CLI, the TUI) and from pages served
// on loopback. A page on any other site could otherwise make the browser POST to 127.0.0.1 (a
// replay, a new outgoing webhook) even though it can never read the answer.
func loopbackOrigin(origin string) bool {
	if origin == "" {
		return true
	}
	u, err := url.Parse(origin)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && IsLoopbackHost(u.Host)
}

// tokenMatches compares the bearer token in an Authorization header in constant time.
func tokenMatches(header string, want []byte) bool {
	const prefix = "bearer "
	if len(header) < len(prefix) || !strings.EqualFold(header[:len(prefix)], prefix) {
		return false
	}
	got := []byte(strings.TrimSpace(header[len(prefix):]))
	return subtle.ConstantTimeCompare(got, want) == 1
}
