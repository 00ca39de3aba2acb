package tunnel

import (
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// serveThrough serves h on a tunnel listener fed from a real loopback socket, as the gateway
// serves the tunnel's listener, and returns the socket's URL.
func serveThrough(t *testing.T, h http.Handler) string {
	t.Helper()
	raw, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	l := newListener()
	go func() { _ = l.pump(raw) }()
	srv := &http.Server{Handler: h, ConnContext: MarkConn, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(l) }()
	t.Cleanup(func() { srv.Close(); raw.Close() })
	return "http://" + raw.Addr().String()
}

func TestProvenanceComesFromTheConnection(t *testing.T) {
	tests := []struct {
		name      string
		tunnel    bool
		forwarded []string
		wantIP    string
		wantOK    bool
	}{
		{name: "single", tunnel: true, forwarded: []string{"203.0.113.7"}, wantIP: "203.0.113.7", wantOK: true},
		{name: "takes the last hop, not a forged first", tunnel: true, forwarded: []string{"6.6.6.6, 203.0.113.7"}, wantIP: "203.0.113.7", wantOK: true},
		{name: "several header lines", tunnel: true, forwarded: []string{"6.6.6.6", "198.51.100.2"}, wantIP: "198.51.100.2", wantOK: true},
		{name: "ipv6", tunnel: true, forwarded: []string{"2001:db8::1"}, wantIP: "2001:db8::1", wantOK: true},
		{name: "bracketed ipv6 with port", tunnel: true, forwarded: []string{"[2001:db8::2]:443"}, wantIP: "2001:db8::2", wantOK: true},
		{name: "skips garbage", tunnel: true, forwarded: []string{"203.0.113.9, not-an-ip"}, wantIP: "203.0.113.9", wantOK: true},
		{name: "without header uses the peer", tunnel: true, wantIP: "127.0.0.1", wantOK: true},
		{name: "a local connection ignores the header", tunnel: false, forwarded: []string{"203.0.113.7"}, wantOK: false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := make(chan [2]any, 1)
			h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				ip, ok := FromTunnel(r)
				got <- [2]any{ip, ok}
			})
			url := serveThrough(t, h)
			if !tc.tunnel {
				local, err := net.Listen("tcp", "127.0.0.1:0")
				if err != nil {
					t.Fatal(err)
				}
				srv := &http.Server{Handler: h, ConnContext: MarkConn, ReadHeaderTimeout: 5 * time.Second}
				go func() { _ = srv.Serve(local) }()
				defer srv.Close()
				url = "http://" + local.Addr().String()
			}
			req, _ := http.NewRequest(http.MethodPost, url+"/webhooks/x", strings.NewReader("{}"))
			for _, v := range tc.forwarded {
				req.Header.Add("X-Forwarded-For", v)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if g := <-got; g[0] != tc.wantIP || g[1] != tc.wantOK {
				t.Fatalf("FromTunnel = %v, %v; want %q, %v", g[0], g[1], tc.wantIP, tc.wantOK)
			}
		})
	}
}

// Closing the listener (the gateway shutting down) ends Accept and the pump; a connection that
// arrives afterwards is closed rather than left hanging.
func TestListenerClose(t *testing.T) {
	raw, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	l := newListener()
	pumped := make(chan error, 1)
	go func() { pumped <- l.pump(raw) }()
	l.Close()
	if _, err := l.Accept(); !errors.Is(err, net.ErrClosed) {
		t.Fatalf("Accept after Close = %v, want net.ErrClosed", err)
	}
	c, err := net.DialTimeout("tcp", raw.Addr().String(), 2*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.ReadAll(c); err != nil {
		t.Fatalf("a connection after Close must be closed, got %v", err)
	}
	select {
	case err := <-pumped:
		if err != nil {
			t.Fatalf("pump = %v, want nil once the listener is closed", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("pump did not stop after Close")
	}
	if !strings.Contains(l.Addr().String(), "tunnel") {
		t.Fatalf("Addr = %v", l.Addr())
	}
}
