package gateway

import (
	"net"
	"net/http"
	"net/netip"
	"strings"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/tunnel"
)

func (s *Server) newExchange(w http.ResponseWriter, r *http.Request) *exchange {
	now := s.now()
	c := &capture.Capture{
		ID:          capture.NewID(now),
		ReceivedAt:  now,
		Source:      capture.SourceLocal,
		Peer:        r.RemoteAddr,
		Method:      r.Method,
		Path:        r.URL.Path,
		Query:       r.URL.RawQuery,
		Headers:     orderedHeaders(r),
		ContentType: r.Header.Get("Content-Type"),
	}
	if ip, ok := tunnel.FromTunnel(r); ok {
		c.Source, c.Peer = capture.SourceTunnel, ip
	} else if original, ok := replayOf(r); ok {
		c.Source, c.ReplayOf = capture.SourceReplay, original
		return &exchange{w: w, r: r, start: now, c: c, replay: true}
	} else if isLoopback(remoteIP(r.RemoteAddr)) {
		// A label only: a crafted or audit request is processed like any other.
		switch src := capture.Source(r.Header.Get(capture.HeaderSource)); src {
		case capture.SourceCraft, capture.SourceAudit:
			c.Source = src
		}
	}
	return &exchange{w: w, r: r, start: now, c: c}
}

// matchPath maps the three URL forms to a route name and, for the tenant form, an event type.
func matchPath(p string) (name, event string, ok bool) {
	rest, found := strings.CutPrefix(p, "/webhooks/")
	if !found {
		rest, found = strings.CutPrefix(p, "/webhook/")
	}
	if found {
		if rest == "" || strings.Contains(rest, "/") {
			return "", "", false
		}
		return rest, "", true
	}
	if rest, found = strings.CutPrefix(p, "/events/webhook/"); found {
		tenant, ev, two := strings.Cut(rest, "/")
		if !two || tenant == "" || ev == "" || strings.Contains(ev, "/") {
			return "", "", false
		}
		return tenant, ev, true
	}
	return "", "", false
}

// clientAddr is the address the allow-list checks: the tunnel's client, the forwarded client of a
// trusted proxy, or the peer itself.
func (s *Server) clientAddr(r *http.Request) netip.Addr {
	if ip, ok := tunnel.FromTunnel(r); ok {
		a, _ := netip.ParseAddr(ip)
		return a
	}
	peer := remoteIP(r.RemoteAddr)
	if len(s.trusted) == 0 || !allowed(s.trusted, peer) {
		return peer
	}
	return s.forwardedClient(r, peer)
}

// forwardedClient walks X-Forwarded-For from the right, skipping trusted proxies.
func (s *Server) forwardedClient(r *http.Request, peer netip.Addr) netip.Addr {
	vals := r.Header.Values("X-Forwarded-For")
	for i := len(vals) - 1; i >= 0; i-- {
		parts := strings.Split(vals[i], ",")
		for j := len(parts) - 1; j >= 0; j-- {
			a, err := netip.ParseAddr(strings.TrimSpace(parts[j]))
			if err != nil {
				return peer
			}
			if !allowed(s.trusted, a) {
				return a
			}
			peer = a
		}
	}
	return peer
}

func remoteIP(remote string) netip.Addr {
	host, _, err := net.SplitHostPort(remote)
	if err != nil {
		host = remote
	}
	a, _ := netip.ParseAddr(host)
	return a.Unmap()
}

func isLoopback(a netip.Addr) bool { return a.IsValid() && a.IsLoopback() }

// signedURL is the URL the provider called, as Twilio signs it: the route's public_url, else the
// public base (tunnel or public_base_url) plus the path, else what this request says.
func (s *Server) signedURL(x *exchange) string {
	if x.rt.cfg.PublicURL != "" {
		return x.rt.cfg.PublicURL
	}
	uri := x.r.URL.RequestURI()
	if base := strings.TrimRight(s.publicURL(), "/"); base != "" {
		return base + uri
	}
	scheme := "http"
	if x.r.TLS != nil || strings.EqualFold(x.r.Header.Get("X-Forwarded-Proto"), "https") {
		scheme = "https"
	}
	return scheme + "://" + x.r.Host + uri
}

func (s *Server) serveHealth(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		writeJSON(w, http.StatusMethodNotAllowed, bodyMethodNotAllowed)
		return
	}
	writeJSON(w, http.StatusOK, bodyHealth)
}
