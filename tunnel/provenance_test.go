package tunnel

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestProvenanceMapsForwardedForOnlyWhenWrapped(t *testing.T) {
	tests := []struct {
		name      string
		wrapped   bool
		remote    string
		forwarded []string
		wantIP    string
		wantOK    bool
	}{
		{name: "wrapped single", wrapped: true, remote: "10.0.0.1:4000", forwarded: []string{"203.0.113.7"}, wantIP: "203.0.113.7", wantOK: true},
		{name: "wrapped takes the last hop, not a forged first", wrapped: true, remote: "10.0.0.1:4000", forwarded: []string{"6.6.6.6, 203.0.113.7"}, wantIP: "203.0.113.7", wantOK: true},
		{name: "wrapped several header lines", wrapped: true, remote: "10.0.0.1:4000", forwarded: []string{"6.6.6.6", "198.51.100.2"}, wantIP: "198.51.100.2", wantOK: true},
		{name: "wrapped ipv6", wrapped: true, remote: "10.0.0.1:4000", forwarded: []string{"2001:db8::1"}, wantIP: "2001:db8::1", wantOK: true},
		{name: "wrapped bracketed ipv6 with port", wrapped: true, remote: "10.0.0.1:4000", forwarded: []string{"[2001:db8::2]:443"}, wantIP: "2001:db8::2", wantOK: true},
		{name: "wrapped skips garbage", wrapped: true, remote: "10.0.0.1:4000", forwarded: []string{"203.0.113.9, not-an-ip"}, wantIP: "203.0.113.9", wantOK: true},
		{name: "wrapped without header uses peer", wrapped: true, remote: "10.0.0.1:4000", wantIP: "10.0.0.1", wantOK: true},
		{name: "not wrapped ignores header", wrapped: false, remote: "10.0.0.1:4000", forwarded: []string{"203.0.113.7"}, wantOK: false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var gotIP string
			var gotOK bool
			var h http.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				gotIP, gotOK = FromTunnel(r.Context())
			})
			if tc.wrapped {
				h = Provenance(h)
			}
			req := httptest.NewRequest(http.MethodPost, "/webhooks/x", nil)
			req.RemoteAddr = tc.remote
			for _, v := range tc.forwarded {
				req.Header.Add("X-Forwarded-For", v)
			}
			h.ServeHTTP(httptest.NewRecorder(), req)
			if gotIP != tc.wantIP || gotOK != tc.wantOK {
				t.Fatalf("FromTunnel = %q, %v; want %q, %v", gotIP, gotOK, tc.wantIP, tc.wantOK)
			}
		})
	}
}

// The tunnel serves the handler given to Start wrapped by Provenance and nothing else: the admin
// API's paths reach the gateway, which answers 404 itself.
func TestProvenanceServesOnlyTheGivenHandler(t *testing.T) {
	srv := httptest.NewServer(Provenance(gatewayStandIn()))
	defer srv.Close()
	tests := []struct {
		path     string
		wantCode int
		wantBody string
	}{
		{"/api/v1/captures", http.StatusNotFound, `{"error":"gateway: not found"}`},
		{"/api/tunnels", http.StatusNotFound, `{"error":"gateway: not found"}`},
		{"/api/requests/http", http.StatusNotFound, `{"error":"gateway: not found"}`},
		{"/webhooks/github", http.StatusOK, `{"status":"ok"}`},
	}
	for _, tc := range tests {
		resp, err := http.Get(srv.URL + tc.path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tc.wantCode || string(body) != tc.wantBody {
			t.Errorf("%s: %d %s; want %d %s", tc.path, resp.StatusCode, body, tc.wantCode, tc.wantBody)
		}
	}
}
