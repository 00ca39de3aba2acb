package tunnel

import (
	"net"
	"sync"
)

// listener is what the tunnel hands the gateway: the connections that arrive through the
// tunnel, across reconnects, until it is closed. The gateway serves it like its own listener, so
// tunnel traffic gets the same timeouts, limits and graceful shutdown. Every connection it
// returns is marked as tunnel traffic (see MarkConn).
type listener struct {
	conns chan net.Conn
	done  chan struct{}
	once  sync.Once
}

func newListener() *listener {
	return &listener{conns: make(chan net.Conn), done: make(chan struct{})}
}

// Accept waits for the next connection through the tunnel.
func (l *listener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}

// Close stops Accept; connections arriving afterwards are closed at once.
func (l *listener) Close() error {
	l.once.Do(func() { close(l.done) })
	return nil
}

// Addr names the tunnel rather than a local socket.
func (l *listener) Addr() net.Addr { return tunnelAddr{} }

// feed hands c, marked, to Accept; when the listener is closed it closes c and reports false.
func (l *listener) feed(c net.Conn) bool {
	select {
	case l.conns <- &conn{Conn: c}:
		return true
	case <-l.done:
		_ = c.Close()
		return false
	}
}

// pump moves connections from one ngrok endpoint into l until the endpoint fails (its error is
// returned) or l is closed (nil).
func (l *listener) pump(from net.Listener) error {
	for {
		c, err := from.Accept()
		if err != nil {
			return err
		}
		if !l.feed(c) {
			return nil
		}
	}
}

// conn is a connection that came through the tunnel.
type conn struct{ net.Conn }

// tunnelAddr is the listener's address: the tunnel, not a local socket.
type tunnelAddr struct{}

func (tunnelAddr) Network() string { return "ngrok" }
func (tunnelAddr) String() string  { return "tunnel" }
