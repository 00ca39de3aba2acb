package tui

import (
	"strings"
	"testing"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/tui/internal/tuitest"
)

// The Headers tab and the summary mask credentials (headers and query parameters) until the
// reveal key is pressed, and mask them again on the second press.
func TestCredentialsMaskedUntilRevealed(t *testing.T) {
	const bearer, qtoken = "sk_live_tui_0123456789", "qtok_tui_abcdef0123"
	c := &capture.Capture{
		ID: tuitest.ID(9), ReceivedAt: tuitest.Now, Source: capture.SourceLocal, Method: "POST",
		Path: "/webhooks/inspect", Query: "token=" + qtoken, Route: "inspect", Status: 200,
		Headers: []capture.Header{{Name: "Authorization", Value: "Bearer " + bearer},
			{Name: "X-Api-Key", Value: "key_tui_9876543210"}, {Name: "Content-Type", Value: "text/plain"}},
		Body: []byte("hello"),
	}
	r, _ := newTestRoot(t, 120, 40, c)
	press(r, "enter")
	summary := screen(r)
	press(r, "]")
	headers := screen(r)
	for _, view := range []string{summary, headers} {
		for _, secret := range []string{bearer, qtoken, "key_tui_9876543210"} {
			if strings.Contains(view, secret) {
				t.Fatalf("masked view shows %q:\n%s", secret, view)
			}
		}
	}
	if !strings.Contains(headers, "credentials masked") || !strings.Contains(headers, "Content-Type:") {
		t.Fatalf("headers tab:\n%s", headers)
	}
	press(r, "s")
	revealed := screen(r)
	for _, secret := range []string{bearer, "key_tui_9876543210"} {
		if !strings.Contains(revealed, secret) {
			t.Fatalf("revealed headers lack %q:\n%s", secret, revealed)
		}
	}
	press(r, "s")
	if again := screen(r); strings.Contains(again, bearer) {
		t.Fatalf("second press must mask again:\n%s", again)
	}
}
