package redisstate_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/config"
	"github.com/hooktap/hooktap/gateway"
	"github.com/hooktap/hooktap/redisstate"
)

// open opens a State on rawURL, closed when the test ends.
func open(t testing.TB, rawURL string) *redisstate.State {
	t.Helper()
	st, err := redisstate.Open(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	return st
}

// instance is one real gateway on 127.0.0.1:0, with its own SQLite store, sharing state with
// the other instances of a test through Redis.
type instance struct {
	t     testing.TB
	url   string
	store *capture.SQLite
	logs  *lockedBuffer
	clock *steppedClock
}

func startInstance(t testing.TB, yaml string, st *redisstate.State) *instance {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(config.Overrides{ConfigFile: path, DataDir: dir}, nil)
	if err != nil {
		t.Fatal(err)
	}
	store, err := capture.Open(filepath.Join(dir, "hooktap.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = store.Close() })
	in := &instance{t: t, store: store, logs: &lockedBuffer{}, clock: newSteppedClock()}
	opts := append(st.Options(), gateway.WithLogger(slog.New(slog.NewTextHandler(in.logs, nil))),
		gateway.WithClock(in.clock.now))
	srv, err := gateway.New(cfg, store, opts...)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { _ = srv.Serve(ctx, ln); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	in.url = "http://" + ln.Addr().String()
	return in
}

// post sends body to path with a delivery id and returns the status, answer and headers.
func (in *instance) post(path, deliveryID string) (int, string, http.Header) {
	in.t.Helper()
	req, err := http.NewRequest(http.MethodPost, in.url+path, strings.NewReader(`{"zen":"hi"}`))
	if err != nil {
		in.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-GitHub-Event", "push")
	req.Header.Set("X-GitHub-Delivery", deliveryID)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		in.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

// ready asks /ready, after moving the instance's clock past the reuse of the last answer.
func (in *instance) ready() (int, string) {
	in.t.Helper()
	in.clock.step(2 * time.Second)
	resp, err := http.Get(in.url + "/ready")
	if err != nil {
		in.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func (in *instance) count() int {
	in.t.Helper()
	n, err := in.store.Count(context.Background(), capture.Filter{})
	if err != nil {
		in.t.Fatal(err)
	}
	return n
}

// lockedBuffer collects log output written from several goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// steppedClock is a clock tests move by hand (it only ages /ready's cached answer here: Redis
// keeps the time of keys and limits).
type steppedClock struct{ ns atomic.Int64 }

func newSteppedClock() *steppedClock {
	c := &steppedClock{}
	c.ns.Store(time.Now().UnixNano())
	return c
}

func (c *steppedClock) now() time.Time       { return time.Unix(0, c.ns.Load()) }
func (c *steppedClock) step(d time.Duration) { c.ns.Add(int64(d)) }

// proxy is a TCP relay to Redis that a test can take down and bring back, to make Redis
// unreachable for one gateway without touching the server other tests share. Down, it cuts
// every open connection and closes new ones as soon as they are accepted.
type proxy struct {
	ln     net.Listener
	target string
	mu     sync.Mutex
	down   bool
	conns  map[net.Conn]struct{}
}

func startProxy(t testing.TB, rawURL string) (*proxy, string) {
	t.Helper()
	u, err := url.Parse(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	target := u.Host
	if u.Port() == "" {
		target = net.JoinHostPort(u.Hostname(), "6379")
	}
	p := &proxy{ln: ln, target: target, conns: map[net.Conn]struct{}{}}
	go p.serve()
	t.Cleanup(func() { _ = ln.Close(); p.setDown(true) })
	u.Host = ln.Addr().String()
	return p, u.String()
}

func (p *proxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		if !p.track(c) {
			_ = c.Close()
			continue
		}
		go p.relay(c)
	}
}

// track remembers c to cut it later; false while the proxy is down.
func (p *proxy) track(c net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.down {
		return false
	}
	p.conns[c] = struct{}{}
	return true
}

func (p *proxy) relay(c net.Conn) {
	defer c.Close()
	up, err := net.Dial("tcp", p.target)
	if err != nil {
		return
	}
	defer up.Close()
	if !p.track(up) {
		return
	}
	go func() { _, _ = io.Copy(up, c); _ = up.Close() }()
	_, _ = io.Copy(c, up)
}

func (p *proxy) setDown(down bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down = down
	if down {
		for c := range p.conns {
			_ = c.Close()
		}
		clear(p.conns)
	}
}
