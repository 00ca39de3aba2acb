package gateway

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"net/textproto"
	"sort"
	"strings"
	"sync"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/tunnel"
)

// net/http parses headers into a map and loses their order. To record headers exactly as
// received, each connection keeps the last bytes it read; the handler finds its request head
// there and uses it only if it matches what net/http parsed, header for header.

const headLogSize = 64 << 10

type connLogKey struct{}

// recordingConn keeps a bounded tail of the bytes read from the connection.
type recordingConn struct {
	net.Conn
	mu  sync.Mutex
	log []byte
	// skip counts body bytes still to come that need no recording: once a request's head is
	// found, its declared body is passed over, so the log holds little more than heads.
	skip int64
}

func (c *recordingConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if n > 0 {
		c.mu.Lock()
		c.record(p[:n])
		c.mu.Unlock()
	}
	return n, err
}

func (c *recordingConn) record(b []byte) {
	if c.skip > 0 {
		passed := min(c.skip, int64(len(b)))
		c.skip -= passed
		b = b[passed:]
	}
	if len(b) > 0 {
		c.append(b)
	}
}

// consumed drops the log up to the end of a found head and arranges to pass over its body.
func (c *recordingConn) consumed(headEnd int, contentLength int64) {
	rest := c.log[headEnd:]
	if contentLength < 0 {
		c.log = append(c.log[:0], rest...)
		return
	}
	if int64(len(rest)) >= contentLength {
		c.log = append(c.log[:0], rest[contentLength:]...)
		return
	}
	c.skip = contentLength - int64(len(rest))
	c.log = c.log[:0]
}

func (c *recordingConn) append(b []byte) {
	if len(b) >= headLogSize {
		c.log = append(c.log[:0], b[len(b)-headLogSize:]...)
		return
	}
	if over := len(c.log) + len(b) - headLogSize; over > 0 {
		c.log = c.log[:copy(c.log, c.log[over:])]
	}
	c.log = append(c.log, b...)
}

// recordingListener wraps accepted connections in recordingConn.
type recordingListener struct{ net.Listener }

func (l recordingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &recordingConn{Conn: c, log: make([]byte, 0, 8<<10)}, nil
}

// connContext puts the recording connection into each request's context, and marks the
// requests of a connection that came through the tunnel (tunnel.FromTunnel).
func connContext(ctx context.Context, c net.Conn) context.Context {
	if rc, ok := c.(*recordingConn); ok {
		return tunnel.MarkConn(context.WithValue(ctx, connLogKey{}, rc), rc.Conn)
	}
	return tunnel.MarkConn(ctx, c)
}

// orderedHeaders returns the request's headers in wire order when the raw head can be found and
// agrees with the parsed headers; otherwise the parsed headers sorted by name.
func orderedHeaders(r *http.Request) []capture.Header {
	if rc, ok := r.Context().Value(connLogKey{}).(*recordingConn); ok {
		if hs := rc.findHead(r); hs != nil {
			return hs
		}
	}
	return sortedHeaders(r)
}

func (c *recordingConn) findHead(r *http.Request) []capture.Header {
	line := []byte(r.Method + " " + r.RequestURI + " ")
	c.mu.Lock()
	defer c.mu.Unlock()
	// Once a head is consumed the log starts where the next request does: try there first.
	if bytes.HasPrefix(c.log, line) {
		if hs, n, ok := parseHead(c.log); ok && sameHeaders(hs, r.Header) {
			c.consumed(n, r.ContentLength)
			return hs
		}
	}
	end := len(c.log)
	for tries := 0; tries < 4; tries++ {
		i := bytes.LastIndex(c.log[:end], line)
		if i < 0 {
			return nil
		}
		if i == 0 || c.log[i-1] == '\n' {
			if hs, n, ok := parseHead(c.log[i:]); ok && sameHeaders(hs, r.Header) {
				c.consumed(i+n, r.ContentLength)
				return hs
			}
		}
		end = i
	}
	return nil
}

// parseHead reads the header lines after the request line, up to the blank line; n is the
// length of the whole head.
func parseHead(b []byte) (hs []capture.Header, n int, ok bool) {
	stop := bytes.Index(b, []byte("\r\n\r\n"))
	if stop < 0 {
		return nil, 0, false
	}
	hs, ok = parseLines(b[:stop])
	return hs, stop + 4, ok
}

func parseLines(b []byte) ([]capture.Header, bool) {
	lines := strings.Split(string(b), "\r\n")[1:]
	hs := make([]capture.Header, 0, len(lines))
	for _, l := range lines {
		if l != "" && (l[0] == ' ' || l[0] == '\t') {
			return nil, false // obsolete line folding: let the parsed form stand
		}
		name, value, ok := strings.Cut(l, ":")
		if !ok {
			return nil, false
		}
		hs = append(hs, capture.Header{Name: name, Value: strings.Trim(value, " \t")})
	}
	return hs, true
}

// movedByServer are the headers net/http takes out of Request.Header into fields of its own.
var movedByServer = map[string]bool{"Host": true, "Transfer-Encoding": true}

// sameHeaders reports whether hs holds exactly the parsed headers (aside from those net/http
// moves out of the map).
func sameHeaders(hs []capture.Header, h http.Header) bool {
	n := 0
	for _, x := range hs {
		key := textproto.CanonicalMIMEHeaderKey(x.Name)
		if movedByServer[key] {
			continue
		}
		vals := h[key]
		if len(vals) == 0 {
			return false
		}
		n++
	}
	total := 0
	for _, v := range h {
		total += len(v)
	}
	return n == total && matchValues(hs, h)
}

func matchValues(hs []capture.Header, h http.Header) bool {
	seen := map[string]int{}
	for _, x := range hs {
		key := textproto.CanonicalMIMEHeaderKey(x.Name)
		if movedByServer[key] {
			continue
		}
		i := seen[key]
		if i >= len(h[key]) || h[key][i] != x.Value {
			return false
		}
		seen[key] = i + 1
	}
	return true
}

// sortedHeaders is the fallback: Host first, then the parsed headers by name.
func sortedHeaders(r *http.Request) []capture.Header {
	h := r.Header
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]capture.Header, 0, len(keys)+1)
	if r.Host != "" {
		out = append(out, capture.Header{Name: "Host", Value: r.Host})
	}
	for _, k := range keys {
		for _, v := range h[k] {
			out = append(out, capture.Header{Name: k, Value: v})
		}
	}
	if len(r.TransferEncoding) > 0 {
		out = append(out, capture.Header{Name: "Transfer-Encoding", Value: strings.Join(r.TransferEncoding, ", ")})
	}
	return out
}
