package admin

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/config"
	"github.com/hooktap/hooktap/signature"
)

func TestHostGuard(t *testing.T) {
	mounted := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, `{"ok":true}`) })
	e := newTestEnv(t, func(d *Deps) { d.Mounts = map[string]http.Handler{"/api/v1/events": mounted} })
	tests := []struct {
		host string
		want int
	}{
		{"", http.StatusOK}, // the test server's own 127.0.0.1:port
		{"localhost:8645", http.StatusOK},
		{"[::1]:8645", http.StatusOK},
		{"evil.com", http.StatusForbidden},
		{"evil.com:8645", http.StatusForbidden},
		{"127.0.0.1.evil.com", http.StatusForbidden},
		{"192.168.1.2:8645", http.StatusForbidden},
	}
	for _, path := range []string{"/api/v1/captures", "/api/v1/events", "/api/v1/routes", "/nothing"} {
		for _, tt := range tests {
			hdr := map[string]string{}
			if tt.host != "" {
				hdr["Host"] = tt.host
			}
			var got errBody
			code := e.do(t, http.MethodGet, path, hdr, nil, &got)
			want := tt.want
			if want == http.StatusOK && path == "/nothing" {
				want = http.StatusNotFound
			}
			if code != want || (want == http.StatusForbidden && got.Error != "host not allowed") {
				t.Errorf("%s Host %q: %d %+v, want %d", path, tt.host, code, got, want)
			}
		}
	}
}

func TestOriginGuard(t *testing.T) {
	e := newTestEnv(t, nil)
	c := e.save(t, sample("github-pr", "push", signature.Verified, 200, "{}"))
	tests := []struct {
		origin string
		want   int
	}{
		{"http://localhost:3000", http.StatusNotImplemented},
		{"http://127.0.0.1:8645", http.StatusNotImplemented},
		{"https://evil.com", http.StatusForbidden},
		{"http://127.0.0.1.evil.com", http.StatusForbidden},
		{"null", http.StatusForbidden},
	}
	for _, tt := range tests {
		var got errBody
		code := e.do(t, http.MethodPost, "/api/v1/captures/"+c.ID+"/replay", map[string]string{"Origin": tt.origin}, nil, &got)
		if code != tt.want {
			t.Errorf("Origin %q: %d %+v, want %d", tt.origin, code, got, tt.want)
		}
	}
}

func TestBearerToken(t *testing.T) {
	mounted := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, `{}`) })
	e := newTestEnv(t, func(d *Deps) {
		d.Config.Admin.Token = "admin-token-123"
		d.Mounts = map[string]http.Handler{"/api/tunnels": mounted}
	})
	tests := []struct {
		auth string
		want int
	}{
		{"", http.StatusUnauthorized},
		{"Bearer wrong", http.StatusUnauthorized},
		{"Bearer admin-token-12", http.StatusUnauthorized},
		{"Basic admin-token-123", http.StatusUnauthorized},
		{"Bearer admin-token-123", http.StatusOK},
	}
	for _, path := range []string{"/api/v1/captures", "/api/tunnels"} {
		for _, tt := range tests {
			hdr := map[string]string{}
			if tt.auth != "" {
				hdr["Authorization"] = tt.auth
			}
			var got map[string]any
			if code := e.do(t, http.MethodGet, path, hdr, nil, &got); code != tt.want {
				t.Errorf("%s %q: %d, want %d", path, tt.auth, code, tt.want)
			}
		}
	}
}

func TestRoutes(t *testing.T) {
	e := newTestEnv(t, func(d *Deps) {
		d.GatewayAddr = "0.0.0.0:9000"
		d.PublicURL = func() string { return "https://abc.ngrok.app/" }
	})
	var got struct {
		Routes    []RouteJSON `json:"routes"`
		PublicURL *string     `json:"public_url"`
	}
	if code := e.get(t, "/api/v1/routes", &got); code != http.StatusOK {
		t.Fatalf("status %d", code)
	}
	if len(got.Routes) != 2 || got.Routes[0].Name != "github-pr" || got.Routes[1].Name != "internal" {
		t.Fatalf("routes %+v", got.Routes)
	}
	r := got.Routes[0]
	if r.LocalURL != "http://127.0.0.1:9000/webhooks/github-pr" || r.PublicURL == nil ||
		*r.PublicURL != "https://abc.ngrok.app/webhooks/github-pr" || r.SecretCount != 1 || r.Security != "secret" {
		t.Errorf("route %+v", r)
	}

	local := newTestEnv(t, nil)
	local.get(t, "/api/v1/routes", &got)
	if got.Routes[0].PublicURL != nil || got.PublicURL != nil {
		t.Errorf("local-only: public URL should be null, got %+v", got.Routes[0].PublicURL)
	}
}

func TestReplayEndpoint(t *testing.T) {
	none := newTestEnv(t, nil)
	c := none.save(t, sample("github-pr", "push", signature.Verified, 200, "{}"))
	var eb errBody
	if code := none.do(t, http.MethodPost, "/api/v1/captures/"+c.ID+"/replay", nil, nil, &eb); code != http.StatusNotImplemented || eb.Error == "" {
		t.Fatalf("replay without engine: %d %+v", code, eb)
	}

	var gotID, gotTo string
	var gotResign bool
	e := newTestEnv(t, func(d *Deps) {
		d.Replay = func(_ context.Context, id string, o ReplayOptions) (*capture.Capture, error) {
			to := o.To
			gotID, gotTo, gotResign = id, o.To, o.Resign
			if to == "http://127.0.0.1:1/fail" {
				return nil, errors.New("connection refused")
			}
			return &capture.Capture{ID: "01replay000000000000000000", ReplayOf: id, Source: capture.SourceReplay}, nil
		}
	})
	c = e.save(t, sample("github-pr", "push", signature.Verified, 200, "{}"))
	var out capture.CaptureJSON
	body := strings.NewReader(`{"to":"http://127.0.0.1:3000/hook","resign":true}`)
	if code := e.do(t, http.MethodPost, "/api/v1/captures/"+c.ID[:12]+"/replay", nil, body, &out); code != http.StatusOK {
		t.Fatalf("replay: %d", code)
	}
	if gotID != c.ID || gotTo != "http://127.0.0.1:3000/hook" || !gotResign || out.ReplayOf != c.ID {
		t.Errorf("replay got id=%s to=%s resign=%v out=%+v", gotID, gotTo, gotResign, out)
	}
	bad := []struct {
		body string
		want int
	}{
		{`{"to":"ftp://x"}`, http.StatusBadRequest},
		{`{"to":`, http.StatusBadRequest},
		{`{"target":"http://x"}`, http.StatusBadRequest},
		{`{"to":"http://127.0.0.1:1/fail"}`, http.StatusBadGateway},
	}
	for _, tt := range bad {
		if code := e.do(t, http.MethodPost, "/api/v1/captures/"+c.ID+"/replay", nil, strings.NewReader(tt.body), &eb); code != tt.want {
			t.Errorf("replay %s: %d, want %d", tt.body, code, tt.want)
		}
	}
	if code := e.do(t, http.MethodPost, "/api/v1/captures/01zzzz/replay", nil, nil, &eb); code != http.StatusNotFound {
		t.Errorf("replay unknown id: %d", code)
	}
}

func TestServeShutsDownWithOpenStream(t *testing.T) {
	st, err := capture.Open(t.TempDir() + "/hooktap.db")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	cfg := config.Default()
	s := New(Deps{Config: &cfg, Store: st})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()

	resp, err := http.Get(fmt.Sprintf("http://%s/api/v1/captures/stream", ln.Addr()))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("content type %q", ct)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Serve: %v", err)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("Serve did not return after cancel with a stream open")
	}
}

func TestMountsConflictingPrefixSkipped(t *testing.T) {
	h := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, `{"mounted":true}`) })
	e := newTestEnv(t, func(d *Deps) {
		d.Mounts = map[string]http.Handler{"/api/v1/captures": h, "/api/extra/": h, "relative": h}
	})
	var list listBody
	if code := e.get(t, "/api/v1/captures", &list); code != http.StatusOK || list.Captures == nil {
		t.Errorf("built-in list replaced by a conflicting mount: %d %+v", code, list)
	}
	var got map[string]bool
	if code := e.get(t, "/api/extra/thing", &got); code != http.StatusOK || !got["mounted"] {
		t.Errorf("mount under /api/extra/: %d %v", code, got)
	}
}
