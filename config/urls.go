package config

import (
	"net"
	"net/url"
	"strings"
)

// Where routes are reached. Every URL hooktap shows or signs against is built here, so the
// TUI, the admin API, the CLI and the gateway's Twilio check agree.

// RoutePath is the path a route is served at.
func RoutePath(name string) string { return "/webhooks/" + url.PathEscape(name) }

// RouteURL is a route's URL under base, "" when base is "" (no public URL).
func RouteURL(base, name string) string {
	if base == "" {
		return ""
	}
	return strings.TrimRight(base, "/") + RoutePath(name)
}

// LocalBaseURL turns a listen address into a URL a local caller can use: a wildcard bind
// ("0.0.0.0:8644", ":8644", "[::]:8644") is reachable as 127.0.0.1.
func LocalBaseURL(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "http://" + addr
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// PublicBase is the base URL the internet reaches the gateway at: the tunnel's URL while it has
// one, else gateway.public_base_url (an own tunnel such as cloudflared), else "" (local only).
// It has no trailing slash.
func (g Gateway) PublicBase(tunnelURL string) string {
	if tunnelURL != "" {
		return strings.TrimRight(tunnelURL, "/")
	}
	return strings.TrimRight(g.PublicBaseURL, "/")
}
