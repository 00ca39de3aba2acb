package capture

import (
	"reflect"
	"strings"
	"testing"
)

func TestMaskHeaders(t *testing.T) {
	in := []Header{
		{"Authorization", "Bearer sk_live_abcdefghijklmnop1234"},
		{"Content-Type", "application/json"},
		{"cookie", "sid=short"},
		{"X-Route-Token", "a-long-route-specific-token-WXYZ"},
		{"X-Gitlab-Token", ""},
		{"X-Hub-Signature-256", "sha256=abcdef0123456789"},
	}
	got := MaskHeaders(in, []string{"x-route-token"})
	want := []Header{
		{"Authorization", "••••1234"},
		{"Content-Type", "application/json"},
		{"cookie", "••••"},
		{"X-Route-Token", "••••WXYZ"},
		{"X-Gitlab-Token", "••••"},
		{"X-Hub-Signature-256", "sha256=abcdef0123456789"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("MaskHeaders:\n got %q\nwant %q", got, want)
	}
	if in[0].Value != "Bearer sk_live_abcdefghijklmnop1234" {
		t.Fatal("MaskHeaders must not change its input")
	}
	for _, h := range got {
		if strings.Contains(h.Value, "sk_live") || strings.Contains(h.Value, "sid=") {
			t.Fatalf("secret leaked: %q", h)
		}
	}
}

func TestIsSecretHeader(t *testing.T) {
	tests := []struct {
		name  string
		extra []string
		want  bool
	}{
		{"authorization", nil, true}, {"PROXY-AUTHORIZATION", nil, true}, {"Set-Cookie", nil, true},
		{"X-Webhook-Secret", nil, true}, {"X-Custom", []string{"x-custom"}, true},
		{"Content-Type", nil, false}, {"X-Custom", nil, false}, {"", nil, false},
	}
	for _, tt := range tests {
		if got := IsSecretHeader(tt.name, tt.extra); got != tt.want {
			t.Errorf("IsSecretHeader(%q, %v) = %v", tt.name, tt.extra, got)
		}
	}
}
