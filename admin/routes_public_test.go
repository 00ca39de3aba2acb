package admin

import (
	"net/http"
	"testing"
)

// TestRoutesPublicURLSources: each route's public_url comes from the tunnel when it is online,
// else from gateway.public_base_url (an own tunnel such as cloudflared), else it is null.
func TestRoutesPublicURLSources(t *testing.T) {
	tests := []struct {
		name    string
		tunnel  string
		base    string
		want    string
		wantNil bool
	}{
		{name: "tunnel online", tunnel: "https://a1b2.ngrok.app", want: "https://a1b2.ngrok.app"},
		{name: "tunnel wins over public_base_url", tunnel: "https://a1b2.ngrok.app", base: "https://hooks.example.com", want: "https://a1b2.ngrok.app"},
		{name: "public_base_url while the tunnel is down", base: "https://hooks.example.com/", want: "https://hooks.example.com"},
		{name: "local only", wantNil: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newTestEnv(t, func(d *Deps) {
				d.PublicURL = func() string { return tt.tunnel }
				d.Config.Gateway.PublicBaseURL = tt.base
			})
			var got struct {
				Routes    []RouteJSON `json:"routes"`
				PublicURL *string     `json:"public_url"`
			}
			if code := e.get(t, "/api/v1/routes", &got); code != http.StatusOK || len(got.Routes) != 2 {
				t.Fatalf("status %d, routes %+v", code, got.Routes)
			}
			if tt.wantNil {
				if got.PublicURL != nil || got.Routes[0].PublicURL != nil {
					t.Fatalf("local only: public URLs %v %v, want null", got.PublicURL, got.Routes[0].PublicURL)
				}
				return
			}
			if got.PublicURL == nil || *got.PublicURL != tt.want {
				t.Fatalf("public_url %v, want %s", got.PublicURL, tt.want)
			}
			for _, r := range got.Routes {
				if want := tt.want + "/webhooks/" + r.Name; r.PublicURL == nil || *r.PublicURL != want {
					t.Errorf("route %s public_url %v, want %s", r.Name, r.PublicURL, want)
				}
			}
		})
	}
}
