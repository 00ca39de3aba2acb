package tunnel

import (
	"context"
	"net"
	"net/http"
	"strings"
)

type provenanceKey struct{}

// MarkConn is for an http.Server's ConnContext: a connection that came through the tunnel's
// listener marks its requests, so FromTunnel can tell them apart from local ones. Provenance is
// a property of the connection, never of anything the request says.
func MarkConn(ctx context.Context, c net.Conn) context.Context {
	if _, ok := c.(*conn); ok {
		return context.WithValue(ctx, provenanceKey{}, true)
	}
	return ctx
}

// FromTunnel reports whether r came through the tunnel and, when it did, the real client's IP
// address. ngrok appends the address it saw to X-Forwarded-For, so the last entry is the only one
// a client cannot forge; the header is trusted here, on tunnel connections, and nowhere else.
func FromTunnel(r *http.Request) (clientIP string, ok bool) {
	if on, _ := r.Context().Value(provenanceKey{}).(bool); !on {
		return "", false
	}
	if ip := lastForwardedFor(r.Header.Values("X-Forwarded-For")); ip != "" {
		return ip, true
	}
	return hostOnly(r.RemoteAddr), true
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
