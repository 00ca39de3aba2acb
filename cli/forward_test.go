package cli

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/config"
	"github.com/hooktap/hooktap/gateway"
	"github.com/hooktap/hooktap/replay"
)

// appReceiver is the developer's app: it records what arrives and answers 201.
type appReceiver struct {
	mu     sync.Mutex
	bodies [][]byte
	header http.Header
}

func (a *appReceiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	a.mu.Lock()
	a.bodies, a.header = append(a.bodies, b), r.Header.Clone()
	a.mu.Unlock()
	w.WriteHeader(http.StatusCreated)
}

// startForwarding runs the real gateway as `hooktap --forward-to URL [--provider --secret]`
// configures it (no config file), and returns its inspect URL and store.
func startForwarding(t *testing.T, provider, secret, to string) (string, *capture.SQLite) {
	t.Helper()
	dir := t.TempDir()
	e := &env{ov: config.Overrides{ConfigFile: filepath.Join(dir, "none.yaml"), DataDir: dir, Forward: config.Forward{URL: to, Secret: secret}},
		forwardProvider: provider, getenv: func(string) string { return "" }}
	e.ov.ConfigFile = ""
	cfg, err := e.config()
	if err != nil {
		t.Fatal(err)
	}
	st, err := capture.Open(cfg.StorePath())
	if err != nil {
		t.Fatal(err)
	}
	gw, err := gateway.New(cfg, st)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { _ = gw.Serve(ctx, ln); close(done) }()
	t.Cleanup(func() { cancel(); <-done; st.Close() })
	return "http://" + ln.Addr().String() + "/webhooks/" + config.InspectRoute, st
}

func TestForwardToDeliversByteExactAndRecordsTheAnswer(t *testing.T) {
	app := &appReceiver{}
	srv := httptest.NewServer(app)
	defer srv.Close()
	inspect, st := startForwarding(t, "", "", srv.URL+"/hook")
	body := []byte("{\n  \"amount\" : 4200,\"note\":\"caf\u00e9 \\u2028 <b>\"}\r\n\n")
	req, _ := http.NewRequest(http.MethodPost, inspect+"?attempt=1", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Custom-Sig", "abc==")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || len(app.bodies) != 1 || !bytes.Equal(app.bodies[0], body) {
		t.Fatalf("answer %d; app got %q, want %q", resp.StatusCode, app.bodies, body)
	}
	if app.header.Get("X-Custom-Sig") != "abc==" {
		t.Errorf("headers not forwarded: %v", app.header)
	}
	page, err := st.List(context.Background(), capture.Filter{Limit: 1})
	if err != nil || len(page.Captures) != 1 {
		t.Fatalf("captures: %v %v", page, err)
	}
	c := page.Captures[0]
	if len(c.Deliveries) != 1 || c.Deliveries[0].Status != http.StatusCreated || c.Deliveries[0].Target != srv.URL+"/hook" {
		t.Fatalf("the app's answer is not on the capture: %+v", c.Deliveries)
	}
}

func TestForwardToVerifiesFirst(t *testing.T) {
	app := &appReceiver{}
	srv := httptest.NewServer(app)
	defer srv.Close()
	const secret = "whsec_forward_test"
	inspect, _ := startForwarding(t, "stripe", secret, srv.URL)
	post := func(c *replay.Crafted) int {
		req, _ := http.NewRequest(http.MethodPost, inspect, bytes.NewReader(c.Body))
		for k, v := range c.Header {
			req.Header[k] = v
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	good, _ := replay.Craft("stripe", "payment_intent.succeeded", replay.CraftOptions{Secret: secret, Now: time.Now()})
	bad, _ := replay.Craft("stripe", "payment_intent.succeeded", replay.CraftOptions{Secret: "whsec_other", Now: time.Now()})
	if got := post(bad); got != http.StatusUnauthorized || len(app.bodies) != 0 {
		t.Fatalf("a wrongly signed delivery: %d, %d forwarded; want 401 and none", got, len(app.bodies))
	}
	if got := post(good); got != http.StatusOK || len(app.bodies) != 1 || !bytes.Equal(app.bodies[0], good.Body) {
		t.Fatalf("a signed delivery: %d, forwarded %d", got, len(app.bodies))
	}
}

func TestForwardToUsage(t *testing.T) {
	dir := t.TempDir()
	for name, tc := range map[string]struct {
		ov       config.Overrides
		provider string
		want     string
	}{
		"bad url":          {ov: config.Overrides{Forward: config.Forward{URL: "localhost:3000"}}, want: "not an http(s) URL"},
		"provider alone":   {ov: config.Overrides{Forward: config.Forward{Secret: "s"}}, provider: "stripe", want: "go with --forward-to"},
		"secret missing":   {ov: config.Overrides{Forward: config.Forward{URL: "http://127.0.0.1:3000"}}, provider: "stripe", want: "go together"},
		"unknown provider": {ov: config.Overrides{Forward: config.Forward{URL: "http://127.0.0.1:3000", Secret: "s"}}, provider: "acme", want: "valid providers"},
	} {
		tc.ov.DataDir = dir
		e := &env{ov: tc.ov, forwardProvider: tc.provider, getenv: func(string) string { return "" }}
		if _, err := e.config(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want %q", name, err, tc.want)
		}
	}
}
