package admin

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hooktap/hooktap/capture"
)

func saveCapture(t *testing.T, st *capture.SQLite, c *capture.Capture) *capture.Capture {
	t.Helper()
	if err := st.Save(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	return c
}

func getJSON(t *testing.T, url string, wantStatus int) map[string]any {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	if resp.StatusCode != wantStatus {
		t.Fatalf("GET %s = %d %v, want %d", url, resp.StatusCode, m, wantStatus)
	}
	return m
}

func keysOf(v any) []string {
	m, _ := v.(map[string]any)
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func wantKeys(t *testing.T, what string, v any, want ...string) {
	t.Helper()
	slices.Sort(want)
	if got := keysOf(v); !slices.Equal(got, want) {
		t.Fatalf("%s keys = %v, want %v", what, got, want)
	}
}

func TestCompatTunnels(t *testing.T) {
	tests := []struct {
		name string
		url  func() string
		want int
	}{{"no tunnel", nil, 0}, {"local only", func() string { return "" }, 0},
		{"online", func() string { return "https://abc.ngrok.app" }, 1}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newTestEnv(t, func(d *Deps) { d.TunnelURL = tc.url })
			m := getJSON(t, e.http.URL+"/api/tunnels", http.StatusOK)
			wantKeys(t, "list", m, "tunnels", "uri")
			tunnels := m["tunnels"].([]any)
			if m["uri"] != "/api/tunnels" || len(tunnels) != tc.want {
				t.Fatalf("answer %v", m)
			}
			if tc.want == 0 {
				return
			}
			tun := tunnels[0].(map[string]any)
			wantKeys(t, "tunnel", tun, "name", "ID", "uri", "public_url", "proto", "config", "metrics")
			wantKeys(t, "config", tun["config"], "addr", "inspect")
			wantKeys(t, "metrics", tun["metrics"], "conns", "http")
			wantKeys(t, "metrics.http", tun["metrics"].(map[string]any)["http"], "count", "gauge", "rate1", "rate5", "rate15", "p50", "p90", "p95", "p99")
			if tun["public_url"] != "https://abc.ngrok.app" || tun["proto"] != "https" || tun["name"] != "hooktap" ||
				tun["config"].(map[string]any)["addr"] != "http://127.0.0.1:8644" {
				t.Fatalf("tunnel %v", tun)
			}
		})
	}
}

func seedCaptures(t *testing.T, st *capture.SQLite) (tunnelCap, localCap *capture.Capture) {
	t.Helper()
	at := time.Date(2026, 11, 22, 10, 0, 0, 123000000, time.UTC)
	tunnelCap = saveCapture(t, st, &capture.Capture{
		ReceivedAt: at, Source: capture.SourceTunnel, Peer: "203.0.113.7:51000", Method: "POST",
		Path: "/webhooks/github", Query: "x=1", Route: "github",
		Headers: []capture.Header{
			{Name: "X-GitHub-Event", Value: "push"}, {Name: "x-dup", Value: "a"},
			{Name: "X-Dup", Value: "b"}, {Name: "Content-Type", Value: "application/json"},
		},
		Body: []byte(`{"ref":"main"}`), Status: 200, ResponseBody: []byte(`{"status":"ok"}`), Latency: 1500 * time.Microsecond,
	})
	localCap = saveCapture(t, st, &capture.Capture{
		ReceivedAt: at.Add(time.Second), Source: capture.SourceLocal, Peer: "127.0.0.1:40000", Method: "POST",
		Path: "/webhooks/stripe", Body: []byte("\x00binary"), Status: 401, ResponseBody: []byte(`{"error":"invalid signature"}`),
	})
	return tunnelCap, localCap
}

func TestCompatRequests(t *testing.T) {
	e := newTestEnv(t, nil)
	tunnelCap, localCap := seedCaptures(t, e.store)
	srv := e.http

	m := getJSON(t, srv.URL+"/api/requests/http", http.StatusOK)
	wantKeys(t, "list", m, "uri", "requests")
	reqs := m["requests"].([]any)
	if m["uri"] != "/api/requests/http" || len(reqs) != 2 {
		t.Fatalf("answer %v", m)
	}
	newest := reqs[0].(map[string]any)
	if newest["id"] != localCap.ID || newest["tunnel_name"] != "local" {
		t.Fatalf("newest first: %v", newest)
	}
	one := getJSON(t, srv.URL+"/api/requests/http/"+tunnelCap.ID, http.StatusOK)
	checkCompatRequest(t, one, tunnelCap)

	filtered := getJSON(t, srv.URL+"/api/requests/http?tunnel_name=hooktap&limit=1", http.StatusOK)["requests"].([]any)
	if len(filtered) != 1 || filtered[0].(map[string]any)["id"] != tunnelCap.ID {
		t.Fatalf("tunnel_name filter: %v", filtered)
	}
	if got := getJSON(t, srv.URL+"/api/requests/http?limit=1", http.StatusOK)["requests"].([]any); len(got) != 1 {
		t.Fatalf("limit=1 gave %d", len(got))
	}
	bad := getJSON(t, srv.URL+"/api/requests/http?limit=many", http.StatusBadRequest)
	wantKeys(t, "error", bad, "status_code", "msg", "details")
	getJSON(t, srv.URL+"/api/requests/http/01zzzzzzzzzzzzzzzzzzzzzzzz", http.StatusNotFound)
}

func checkCompatRequest(t *testing.T, m map[string]any, c *capture.Capture) {
	t.Helper()
	wantKeys(t, "request", m, "uri", "id", "tunnel_name", "remote_addr", "start", "duration", "request", "response")
	wantKeys(t, "request.request", m["request"], "method", "proto", "headers", "uri", "raw")
	wantKeys(t, "request.response", m["response"], "status", "status_code", "proto", "headers", "raw")
	if m["uri"] != "/api/requests/http/"+c.ID || m["remote_addr"] != "203.0.113.7" || m["tunnel_name"] != "hooktap" ||
		m["duration"] != float64(1500000) || m["start"] != "2026-11-22T10:00:00.123Z" {
		t.Fatalf("request %v", m)
	}
	req := m["request"].(map[string]any)
	dup := req["headers"].(map[string]any)["X-Dup"].([]any)
	if req["uri"] != "/webhooks/github?x=1" || req["method"] != "POST" || fmt.Sprint(dup) != "[a b]" {
		t.Fatalf("request half %v", req)
	}
	raw, err := base64.StdEncoding.DecodeString(req["raw"].(string))
	if err != nil || !bytes.Equal(raw, capture.ExportRaw(c, capture.JSONOptions{})) {
		t.Fatalf("raw = %q, %v", raw, err)
	}
	parsed, err := http.ReadRequest(bufio.NewReader(bytes.NewReader(raw)))
	if err != nil {
		t.Fatalf("raw request does not parse: %v", err)
	}
	if body, _ := io.ReadAll(parsed.Body); string(body) != `{"ref":"main"}` {
		t.Fatalf("raw body %q", body)
	}
	resp := m["response"].(map[string]any)
	if resp["status"] != "200 OK" || resp["status_code"] != float64(200) {
		t.Fatalf("response half %v", resp)
	}
	rawResp, _ := base64.StdEncoding.DecodeString(resp["raw"].(string))
	parsedResp, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(rawResp)), nil)
	if err != nil || parsedResp.StatusCode != 200 || parsedResp.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("raw response %q: %v", rawResp, err)
	}
}

func TestCompatReplay(t *testing.T) {
	var mu sync.Mutex
	var replayed []string
	var st *capture.SQLite
	replay := func(ctx context.Context, id string, o ReplayOptions) (*capture.Capture, error) {
		if o.To != "" || o.Resign || o.Body != nil {
			t.Errorf("replay %+v: ngrok's replay sends the capture again unchanged", o)
		}
		c, err := st.Get(ctx, id)
		if err != nil {
			return nil, err
		}
		mu.Lock()
		replayed = append(replayed, c.ID)
		mu.Unlock()
		return c, nil
	}
	e := newTestEnv(t, func(d *Deps) { d.Replay = replay })
	st = e.store
	tunnelCap, _ := seedCaptures(t, st)
	srv := e.http
	tests := []struct {
		name, body string
		want       int
	}{
		{"replay by id", fmt.Sprintf(`{"id":%q,"tunnel_name":"hooktap"}`, tunnelCap.ID), http.StatusNoContent},
		{"unknown id", `{"id":"01zzzzzzzzzzzzzzzzzzzzzzzz"}`, http.StatusNotFound},
		{"missing id", `{}`, http.StatusBadRequest},
		{"not json", `id=1`, http.StatusBadRequest},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := http.Post(srv.URL+"/api/requests/http", "application/json", strings.NewReader(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tc.want {
				t.Fatalf("status %d, want %d", resp.StatusCode, tc.want)
			}
		})
	}
	if len(replayed) != 1 || replayed[0] != tunnelCap.ID {
		t.Fatalf("replayed %v", replayed)
	}
}

// The ngrok-shaped answers mask credentials like every other surface: in the headers, in the
// URI's query and inside the base64 raw request; ?reveal=1 shows them.
func TestCompatMasksCredentials(t *testing.T) {
	const bearer, token, custom = "Bearer sk_live_compat_0123456789", "qtok-0123456789abcdef", "internal-tok-98765"
	e := newTestEnv(t, nil)
	c := saveCapture(t, e.store, &capture.Capture{
		Source: capture.SourceTunnel, Method: "POST", Path: "/webhooks/internal", Query: "token=" + token + "&page=2",
		Headers: []capture.Header{{Name: "Authorization", Value: bearer}, {Name: "X-Internal-Token", Value: custom},
			{Name: "Content-Type", Value: "application/json"}},
		Body: []byte(`{}`), Status: 202,
	})
	for _, path := range []string{"/api/requests/http", "/api/requests/http/" + c.ID} {
		masked := compatAnswerText(t, e.http.URL+path)
		for _, secret := range []string{bearer, "sk_live_compat", token, custom} {
			if strings.Contains(masked, secret) {
				t.Errorf("GET %s shows %q:\n%s", path, secret, masked)
			}
		}
		if !strings.Contains(masked, "page=2") {
			t.Errorf("GET %s lost the plain query parameter:\n%s", path, masked)
		}
		revealed := compatAnswerText(t, e.http.URL+path+"?reveal=1")
		for _, secret := range []string{bearer, token, custom} {
			if !strings.Contains(revealed, secret) {
				t.Errorf("GET %s?reveal=1 does not show %q", path, secret)
			}
		}
	}
}

// compatAnswerText is an answer with every raw field decoded next to it, so a grep sees inside.
func compatAnswerText(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	text := string(body)
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				if s, ok := x.(string); ok && k == "raw" {
					raw, err := base64.StdEncoding.DecodeString(s)
					if err != nil {
						t.Fatalf("raw is not base64: %v", err)
					}
					text += "\n" + string(raw)
				}
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	var doc any
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	walk(doc)
	return text
}
