package capture

import (
	"reflect"
	"strings"
	"testing"

	"github.com/hooktap/hooktap/mask"
)

func TestMaskHeaders(t *testing.T) {
	in := []Header{
		{"Authorization", "Bearer sk_live_abcdefghijklmnop1234"},
		{"Content-Type", "application/json"},
		{"cookie", "sid=short"},
		{"X-Route-Header", "a-long-route-specific-token-WXYZ"},
		{"X-Gitlab-Token", ""},
		{"X-Api-Key", "ak_0123456789abcdef"},
		{"X-Hub-Signature-256", "sha256=abcdef0123456789"},
	}
	got := MaskHeaders(in, []string{"x-route-header"})
	want := []Header{
		{"Authorization", "••••1234"},
		{"Content-Type", "application/json"},
		{"cookie", "••••"},
		{"X-Route-Header", "••••WXYZ"},
		{"X-Gitlab-Token", "••••"},
		{"X-Api-Key", "••••cdef"},
		{"X-Hub-Signature-256", "sha256=abcdef0123456789"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("MaskHeaders:\n got %q\nwant %q", got, want)
	}
	if in[0].Value != "Bearer sk_live_abcdefghijklmnop1234" {
		t.Fatal("MaskHeaders must not change its input")
	}
}

// Masked hides every credential a capture carries outside its body, and leaves the capture it
// was called on untouched (the store's copy must stay byte-exact for replays).
func TestCaptureMasked(t *testing.T) {
	const bearer, qtoken, target = "Bearer sk_live_abcdefghijklmnop1234", "qtok_0123456789abcdef", "tgt-secret-000111"
	c := &Capture{
		Path: "/webhooks/x", Query: "page=1&token=" + qtoken,
		Headers: []Header{{"Authorization", bearer}, {"X-Trace", "t1"}},
		Deliveries: []Delivery{{Target: "https://hooks.example/in?access_token=" + target, Status: 0,
			Error: `Post "https://hooks.example/in?access_token=` + target + `": dial tcp: connection refused`}},
		Body: []byte(`{"token":"in-the-body-stays"}`),
	}
	m := c.Masked(nil)
	text := strings.Join([]string{m.Query, m.Headers[0].Value, m.Deliveries[0].Target, m.Deliveries[0].Error}, " ")
	for _, secret := range []string{"sk_live", qtoken, target} {
		if strings.Contains(text, secret) {
			t.Errorf("Masked shows %q: %s", secret, text)
		}
	}
	if m.Query != "page=1&token="+mask.Value(qtoken) || m.Headers[1].Value != "t1" || string(m.Body) != string(c.Body) {
		t.Errorf("Masked changed what is not a credential: %+v", m)
	}
	if c.Query != "page=1&token="+qtoken || c.Headers[0].Value != bearer || !strings.Contains(c.Deliveries[0].Target, target) {
		t.Errorf("Masked changed the original: %+v", c)
	}
	if shown := (JSONOptions{Reveal: true}).Shown(c); shown != c {
		t.Error("Shown with Reveal must be the capture itself")
	}
}
