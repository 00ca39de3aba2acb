package capture

import "strings"

// Headers hooktap adds to the requests it sends itself (replays, crafted events) so the gateway
// records where a capture came from. The gateway honours them only from loopback peers, and
// records them like any other header; a forward or a replay never sends them on.
const (
	HeaderSource   = "X-Hooktap-Source"
	HeaderReplayOf = "X-Hooktap-Replay-Of"
	// HeaderNonce tells apart two replays of the same capture so each finds its own capture.
	HeaderNonce = "X-Hooktap-Replay-Nonce"
)

// hopByHop are the headers that describe one connection, not the message (RFC 9110 §7.6.1),
// plus Host and Content-Length, which are rewritten for the new target and body. Every Proxy-*
// header is hop-by-hop too (see IsHopByHop).
var hopByHop = map[string]bool{
	"connection": true, "keep-alive": true, "te": true, "trailer": true, "transfer-encoding": true,
	"upgrade": true, "host": true, "content-length": true,
}

// IsHopByHop reports whether header name (any case) belongs to one connection and is never sent
// on by a forward, a replay or a curl export. Proxy-* headers address the proxy of that hop;
// sending them on would hand a proxy's credentials (Proxy-Authorization) to the target.
func IsHopByHop(name string) bool {
	n := strings.ToLower(name)
	return hopByHop[n] || strings.HasPrefix(n, "proxy-")
}

// IsMarker reports whether header name is one of hooktap's own source markers. Other
// X-Hooktap-* headers (X-Hooktap-Signature of hooktap's outgoing alerts) are part of the message.
func IsMarker(name string) bool {
	return equalFold(name, HeaderSource) || equalFold(name, HeaderReplayOf) || equalFold(name, HeaderNonce)
}

// Forwardable returns hs in their order without the hop-by-hop headers and hooktap's markers:
// what a forward or a replay sends on (a replay of a replay must not claim the first original).
func Forwardable(hs []Header) []Header {
	out := make([]Header, 0, len(hs))
	for _, h := range hs {
		if !IsHopByHop(h.Name) && !IsMarker(h.Name) {
			out = append(out, h)
		}
	}
	return out
}
