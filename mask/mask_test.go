package mask

import (
	"strings"
	"testing"
)

func TestValue(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", Prefix},
		{"short", Prefix},
		{"fifteen-chars-x", Prefix},
		{"sixteen-chars-xy", Prefix + "s-xy"},
		{"Bearer sk_live_abcdefghijklmnop1234", Prefix + "1234"},
		// Characters, not bytes: a multi-byte tail is never cut in half.
		{"geheimnis-schlüssel-äöüß", Prefix + "äöüß"},
	}
	for _, tt := range tests {
		if got := Value(tt.in); got != tt.want {
			t.Errorf("Value(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if !IsMasked(Value(tt.in)) {
			t.Errorf("IsMasked(Value(%q)) = false", tt.in)
		}
	}
	if IsMasked("sk_live_1234") {
		t.Error("IsMasked of a clear value")
	}
}

func TestIsCredentialHeader(t *testing.T) {
	credentials := []string{
		"Authorization", "proxy-authorization", "Cookie", "SET-COOKIE", "X-Gitlab-Token",
		"X-Webhook-Secret", "X-Api-Key", "X-API-KEY", "Api-Key", "X-ApiKey", "apikey", "X-Auth-Token",
		"X-Amz-Security-Token", "X-Hook-Secret", "X-Access-Key", "X-Csrf-Token", "Password",
		"X-Goog-Channel-Token", "X-Session-Id",
	}
	for _, name := range credentials {
		if !IsCredentialHeader(name, nil) {
			t.Errorf("IsCredentialHeader(%q) = false, want true", name)
		}
	}
	// Signatures sign one body and the doctor compares them; delivery ids identify, not grant.
	plain := []string{
		"Content-Type", "X-Hub-Signature-256", "Stripe-Signature", "X-Slack-Signature", "Idempotency-Key",
		"X-GitHub-Delivery", "X-Gitlab-Event", "webhook-id", "Host", "User-Agent", "X-Twilio-Signature",
		"Keep-Alive", "X-Request-ID", "",
	}
	for _, name := range plain {
		if IsCredentialHeader(name, nil) {
			t.Errorf("IsCredentialHeader(%q) = true, want false", name)
		}
	}
	if !IsCredentialHeader("x-my-route", []string{"X-My-Route"}) {
		t.Error("a route's own header named in extra is not a credential")
	}
}

func TestIsCredentialParam(t *testing.T) {
	for _, name := range []string{"token", "key", "secret", "signature", "access_token", "api_key",
		"apiKey", "client_secret", "sig", "X-Amz-Signature", "X-Amz-Credential", "hub.verify_token",
		"password", "auth"} {
		if !IsCredentialParam(name) {
			t.Errorf("IsCredentialParam(%q) = false, want true", name)
		}
	}
	for _, name := range []string{"page", "limit", "event", "id", "monkey", "keyboard", "designer", ""} {
		if IsCredentialParam(name) {
			t.Errorf("IsCredentialParam(%q) = true, want false", name)
		}
	}
}

func TestQuery(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"a=1&b=2", "a=1&b=2"},
		{"token=abc&page=2", "token=" + Prefix + "&page=2"},
		{"page=2&access_token=0123456789abcdefWXYZ", "page=2&access_token=" + Prefix + "WXYZ"},
		// Decoded before the tail is taken; repeats and order kept; an empty value stays empty.
		{"key=aaaaaaaaaaaaaaa%2F1234&key=x&secret=&flag", "key=" + Prefix + "1234&key=" + Prefix + "&secret=&flag"},
		{"api%5Fkey=zzz&x=%ZZ", "api%5Fkey=" + Prefix + "&x=%ZZ"},
		{"signature=s1;a=b", "signature=" + Prefix},
	}
	for _, tt := range tests {
		if got := Query(tt.in); got != tt.want {
			t.Errorf("Query(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"http://127.0.0.1:3000/hooks", "http://127.0.0.1:3000/hooks"},
		{"https://x.test/h?token=abc&a=1#frag", "https://x.test/h?token=" + Prefix + "&a=1#frag"},
		{"https://user:hunter2@x.test/h", "https://user:" + Prefix + "@x.test/h"},
		{"https://user@x.test/h", "https://user@x.test/h"},
		{"/webhooks/gh?sig=zz", "/webhooks/gh?sig=" + Prefix},
		{"not a url", "not a url"},
	}
	for _, tt := range tests {
		got := URL(tt.in)
		if got != tt.want {
			t.Errorf("URL(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if strings.Contains(got, "hunter2") {
			t.Errorf("URL(%q) leaks the password", tt.in)
		}
	}
}

func FuzzQuery(f *testing.F) {
	for _, s := range []string{"token=abc", "a=1&key=%zz", "=&&=", "signature=ü&x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		got := Query(raw)
		if strings.Count(got, "&") != strings.Count(raw, "&") {
			t.Fatalf("Query(%q) = %q changes the number of parameters", raw, got)
		}
	})
}
