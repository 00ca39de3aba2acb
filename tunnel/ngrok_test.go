package tunnel

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hooktap/hooktap/config"
)

// loopbackDialer counts dials and refuses any address that is not loopback, so a test can never
// reach the internet even if the connect address were ignored.
type loopbackDialer struct {
	mu    sync.Mutex
	addrs []string
}

func (d *loopbackDialer) Dial(network, address string) (net.Conn, error) {
	return d.DialContext(context.Background(), network, address)
}

func (d *loopbackDialer) DialContext(ctx context.Context, network, address string) (net.Conn, error) {
	d.mu.Lock()
	d.addrs = append(d.addrs, address)
	d.mu.Unlock()
	if !strings.HasPrefix(address, "127.0.0.1:") {
		return nil, &net.OpError{Op: "dial", Net: network, Err: os.ErrPermission}
	}
	var nd net.Dialer
	return nd.DialContext(ctx, network, address)
}

func (d *loopbackDialer) dials() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]string(nil), d.addrs...)
}

// closedPort returns a loopback address nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

func gatewayStandIn() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/webhooks/") {
			io.WriteString(w, `{"status":"ok"}`)
			return
		}
		w.WriteHeader(http.StatusNotFound)
		io.WriteString(w, `{"error":"gateway: not found"}`)
	})
}

func waitForState(t *testing.T, tun Tunnel, want State, within time.Duration) Status {
	t.Helper()
	deadline := time.After(within)
	updates := tun.Subscribe(t.Context())
	for {
		select {
		case st := <-updates:
			if st.State == want {
				return st
			}
		case <-deadline:
			t.Fatalf("no %s status within %s; last %+v", want, within, tun.Status())
		}
	}
}

func TestNgrokUnreachableEndsInErrorAndCloseStopsRetries(t *testing.T) {
	addr := closedPort(t)
	dialer := &loopbackDialer{}
	tun := NewNgrok(config.Tunnel{Mode: "ngrok", Authtoken: "bogus-token"}, slog.New(slog.DiscardHandler),
		WithConnectURL(addr), WithDialer(dialer))
	h := gatewayStandIn()

	began := time.Now()
	if _, err := tun.Start(context.Background()); err != nil {
		t.Fatalf("Start: %v", err)
	}
	if took := time.Since(began); took > time.Second {
		t.Fatalf("Start blocked for %s", took)
	}
	st := waitForState(t, tun, StateError, 5*time.Second)
	if !strings.Contains(st.Err, addr) || !strings.Contains(st.Hint, "cannot reach ngrok") {
		t.Fatalf("error status = %+v, want the address and a reachability hint", st)
	}
	if tun.URL() != "" {
		t.Fatalf("URL = %q while not online", tun.URL())
	}

	local := httptest.NewServer(h)
	defer local.Close()
	resp, err := http.Post(local.URL+"/webhooks/x", "application/json", strings.NewReader("{}"))
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("local gateway while tunnel is down: %v %v", resp, err)
	}
	resp.Body.Close()

	waitFor(t, 5*time.Second, func() bool { return len(dialer.dials()) >= 2 })
	if err := tun.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if st := tun.Status(); st.State != StateOff {
		t.Fatalf("status after Close = %+v", st)
	}
	before := len(dialer.dials())
	time.Sleep(1500 * time.Millisecond)
	if after := dialer.dials(); len(after) != before {
		t.Fatalf("dials went on after Close: %d → %d", before, len(after))
	}
	for _, a := range dialer.dials() {
		if a != addr {
			t.Fatalf("dialled %s, want only %s", a, addr)
		}
	}
}

func waitFor(t *testing.T, within time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met in time")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestNgrokStartRejects(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "missing.yml")
	tests := []struct {
		name    string
		cfg     config.Tunnel
		prepare func(Tunnel)
		want    string
	}{
		{name: "missing policy file", cfg: config.Tunnel{TrafficPolicy: missing}, want: "tunnel.traffic_policy"},
		{name: "after close", prepare: func(tun Tunnel) { tun.Close() }, want: "closed"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.cfg.Authtoken = "bogus"
			tun := NewNgrok(tc.cfg, nil, WithConnectURL(closedPort(t)), WithDialer(&loopbackDialer{}))
			defer tun.Close()
			if tc.prepare != nil {
				tc.prepare(tun)
			}
			_, err := tun.Start(context.Background())
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Start err = %v, want it to mention %q", err, tc.want)
			}
		})
	}
}

func TestNgrokStartTwice(t *testing.T) {
	tun := NewNgrok(config.Tunnel{Authtoken: "bogus"}, nil, WithConnectURL(closedPort(t)), WithDialer(&loopbackDialer{}))
	defer tun.Close()
	if ln, err := tun.Start(context.Background()); err != nil || ln == nil {
		t.Fatalf("Start = %v, %v; want a listener", ln, err)
	}
	if _, err := tun.Start(context.Background()); err == nil || !strings.Contains(err.Error(), "already started") {
		t.Fatalf("second Start err = %v", err)
	}
}

func TestNgrokStopsWhenStartContextEnds(t *testing.T) {
	tun := NewNgrok(config.Tunnel{Authtoken: "bogus"}, nil, WithConnectURL(closedPort(t)), WithDialer(&loopbackDialer{}))
	ctx, cancel := context.WithCancel(context.Background())
	if _, err := tun.Start(ctx); err != nil {
		t.Fatal(err)
	}
	waitForState(t, tun, StateError, 5*time.Second)
	cancel()
	done := make(chan struct{})
	go func() { tun.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Close hung after the start context ended")
	}
}
