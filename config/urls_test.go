package config

import "testing"

func TestRouteURLs(t *testing.T) {
	g := Gateway{PublicBaseURL: "https://hooks.example.com/"}
	tests := []struct{ got, want string }{
		{RoutePath("github-pr"), "/webhooks/github-pr"},
		{RouteURL("http://127.0.0.1:8644", "a b"), "http://127.0.0.1:8644/webhooks/a%20b"},
		{RouteURL("https://x.ngrok.app/", "gh"), "https://x.ngrok.app/webhooks/gh"},
		{RouteURL("", "gh"), ""},
		{LocalBaseURL("0.0.0.0:8644"), "http://127.0.0.1:8644"},
		{LocalBaseURL(":8644"), "http://127.0.0.1:8644"},
		{LocalBaseURL("[::]:8644"), "http://127.0.0.1:8644"},
		{LocalBaseURL("[::1]:8644"), "http://[::1]:8644"},
		{LocalBaseURL("127.0.0.1:9000"), "http://127.0.0.1:9000"},
		{g.PublicBase(""), "https://hooks.example.com"},
		{g.PublicBase("https://a1.ngrok.app/"), "https://a1.ngrok.app"},
		{Gateway{}.PublicBase(""), ""},
	}
	for i, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("case %d: got %q, want %q", i, tt.got, tt.want)
		}
	}
}
