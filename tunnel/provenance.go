package tunnel

import (
	"context"
	"net"
	"net/http"
	"strings"
)

type provenanceKey struct{}

// Provenance marks every request h receives as having come through the tunnel and records the
// real client address. ngrok appends the address it saw to X-Forwarded-For, so the last entry
// is the only one a client cannot forge; the header is trusted here and nowhere else.
// The ngrok tunnel wraps the gateway with it; it adds no routes of its own.
func Provenance(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ip := lastForwardedFor(r.Header.Values("X-Forwarded-For"))
		if ip == "" {
			ip = hostOnly(r.RemoteAddr)
		}
		ctx := context.WithValue(r.Context(), provenanceKey{}, ip)
		h.ServeHTTP(w, r.WithContext(ctx))
	})
}

// FromTunnel reports whether the request behind ctx came through the tunnel, and the real
// client's IP address when it did.
func FromTunnel(ctx context.Context) (clientIP string, ok bool) {
	clientIP, ok = ctx.Value(provenanceKey{}).(string)
	return clientIP, ok
}

// lastForwardedFor returns the right-most valid address across all X-Forwarded-For lines.
func lastForwardedFor(lines []string) string {
	for i := len(lines) - 1; i >= 0; i-- {
		parts := strings.Split(lines[i], ",")
		for j := len(parts) - 1; j >= 0; j-- {
			if ip := parseIP(parts[j]); ip != "" {
				return ip
			}
		}
	}
	return ""
}

// parseIP accepts "1.2.3.4", "1.2.3.4:5678", "::1" and "[::1]:80"; anything else is "".
func parseIP(s string) string {
	s = strings.TrimSpace(s)
	if ip := net.ParseIP(strings.Trim(s, "[]")); ip != nil {
		return ip.String()
	}
	if host, _, err := net.SplitHostPort(s); err == nil {
		if ip := net.ParseIP(host); ip != nil {
			return ip.String()
		}
	}
	return ""
}

func hostOnly(addr string) string {
	if host, _, err := net.SplitHostPort(addr); err == nil {
		return host
	}
	return addr
}
