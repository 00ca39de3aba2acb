package admin

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/config"
	"github.com/hooktap/hooktap/signature"
)

// testEnv is a real store in a temp dir behind the admin handler on a loopback test server.
type testEnv struct {
	store *capture.SQLite
	srv   *Server
	http  *httptest.Server
}

func newTestEnv(t testing.TB, mutate func(*Deps)) *testEnv {
	t.Helper()
	st, err := capture.Open(filepath.Join(t.TempDir(), "hooktap.db"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := config.Default()
	cfg.Gateway.Routes = config.Routes{
		{Name: "github-pr", Secret: config.Secrets{"gh-secret"}, Verify: "github"},
		{Name: "internal", Secret: config.Secrets{"tok"}, Verify: "header", SignatureHeader: "X-Internal-Token"},
	}
	d := Deps{Config: &cfg, Store: st, GatewayAddr: "127.0.0.1:8644"}
	if mutate != nil {
		mutate(&d)
	}
	s := New(d)
	hs := httptest.NewServer(s.Handler())
	t.Cleanup(func() {
		hs.CloseClientConnections()
		hs.Close()
		st.Close()
	})
	return &testEnv{store: st, srv: s, http: hs}
}

// save records a capture and returns it with its assigned id.
func (e *testEnv) save(t testing.TB, c *capture.Capture) *capture.Capture {
	t.Helper()
	if err := e.store.Save(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	return c
}

// sample builds a capture with the given route, event, verdict and status.
func sample(route, event string, result signature.Result, status int, body string) *capture.Capture {
	return &capture.Capture{
		Source: capture.SourceLocal, Peer: "127.0.0.1:5555", Method: "POST", Path: "/webhooks/" + route,
		Route: route, Event: event, ContentType: "application/json", Body: []byte(body), Status: status,
		Headers: []capture.Header{
			{Name: "Content-Type", Value: "application/json"},
			{Name: "X-Trace", Value: "one"},
			{Name: "X-Trace", Value: "two"},
		},
		Verification: signature.Outcome{Scheme: "github", Result: result},
		Latency:      3 * time.Millisecond,
	}
}

// get performs a GET and decodes the JSON answer into out (when out is not nil).
func (e *testEnv) get(t testing.TB, path string, out any) int {
	t.Helper()
	return e.do(t, http.MethodGet, path, nil, nil, out)
}

func (e *testEnv) do(t testing.TB, method, path string, hdr map[string]string, body io.Reader, out any) int {
	t.Helper()
	req, err := http.NewRequest(method, e.http.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range hdr {
		if strings.EqualFold(k, "Host") {
			req.Host = v
			continue
		}
		req.Header.Set(k, v)
	}
	resp, err := e.http.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			t.Fatalf("%s %s: answer is not JSON: %v\n%s", method, path, err, raw)
		}
	}
	return resp.StatusCode
}

// listBody is the decoded answer of GET /api/v1/captures.
type listBody struct {
	Captures []capture.CaptureJSON `json:"captures"`
	Next     *string               `json:"next"`
}

// errBody is the decoded error answer.
type errBody struct {
	Error      string   `json:"error"`
	Param      string   `json:"param"`
	Candidates []string `json:"candidates"`
}

func ids(cs []capture.CaptureJSON) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.ID
	}
	return out
}
