package routes

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/hooktap/hooktap/config"
	"github.com/hooktap/hooktap/tui/internal/tuitest"
)

func testPage(t *testing.T, width, height int, publicBase string) *Model {
	t.Helper()
	cfg := config.Default()
	cfg.Gateway.PublicBaseURL = publicBase
	cfg.Gateway.Routes = config.Routes{
		{Name: "github-pr", Verify: "github", Secret: config.Secrets{"s3cret"}, Description: "GitHub pull requests"},
		{Name: "stripe", Verify: "stripe", Secret: config.Secrets{"whsec_x"}},
		{Name: "inspect"},
	}
	c := tuitest.Common(width, height)
	c.Routes = func() []config.Route { return cfg.Gateway.Routes }
	m := New(c, &cfg, nil, "127.0.0.1:8644")
	m.SetSize(width, height)
	return m
}

// TestGoldenRoutesPublicURL: with a tunnel online or a public_base_url, each route's public URL
// shows in the table (next to the local one when both fit) and in the details.
func TestGoldenRoutesPublicURL(t *testing.T) {
	tests := []struct {
		name, tunnel, base string
	}{
		{"tunnel", "https://a1b2.ngrok.app", ""},
		{"public_base_url", "", "https://hooks.example.com/"},
	}
	for _, tt := range tests {
		for _, size := range []struct{ w, h int }{{120, 40}, {160, 40}} {
			m := testPage(t, size.w, size.h, tt.base)
			m.SetPublicURL(tt.tunnel)
			view := m.View()
			for _, line := range strings.Split(tuitest.Plain(view), "\n") {
				if w := len([]rune(line)); w > size.w {
					t.Errorf("%s: line %d cells wide at %d: %q", tt.name, w, size.w, line)
				}
			}
			tuitest.Golden(t, fmt.Sprintf("routes_%s_%dx%d", tt.name, size.w, size.h), view)
		}
	}
}

func TestURLColumns(t *testing.T) {
	const public = "https://a1b2.ngrok.app/webhooks/github-pr"
	tests := []struct {
		name        string
		width       int
		tunnel      string
		wantLocal   bool
		wantPublic  bool
		wantInTable string
	}{
		{"local only leaves the table as it was", 200, "", false, false, ""},
		{"wide: both", 160, "https://a1b2.ngrok.app", true, true, public},
		{"medium: the public one", 120, "https://a1b2.ngrok.app", false, true, public},
		{"narrow: none", 80, "https://a1b2.ngrok.app", false, false, ""},
	}
	for _, tt := range tests {
		m := testPage(t, tt.width, 24, "")
		m.SetPublicURL(tt.tunnel)
		table := strings.SplitN(tuitest.Plain(m.View()), "\n\n", 2)[0]
		head := strings.SplitN(table, "\n", 2)[0]
		if strings.Contains(head, "LOCAL URL") != tt.wantLocal || strings.Contains(head, "PUBLIC URL") != tt.wantPublic {
			t.Errorf("%s: header %q", tt.name, head)
		}
		if tt.wantInTable != "" && !strings.Contains(table, tt.wantInTable) {
			t.Errorf("%s: table lacks %s:\n%s", tt.name, tt.wantInTable, table)
		}
	}
}

// TestCopyFollowsThePublicURL: c copies the public URL while there is one and the local URL
// once the tunnel drops and no public_base_url stands in.
func TestCopyFollowsThePublicURL(t *testing.T) {
	tests := []struct {
		name, base, tunnel, want string
	}{
		{"tunnel", "", "https://a1b2.ngrok.app/", "https://a1b2.ngrok.app/webhooks/github-pr"},
		{"tunnel over public_base_url", "https://hooks.example.com", "https://a1b2.ngrok.app", "https://a1b2.ngrok.app/webhooks/github-pr"},
		{"public_base_url", "https://hooks.example.com", "", "https://hooks.example.com/webhooks/github-pr"},
		{"local only", "", "", "http://127.0.0.1:8644/webhooks/github-pr"},
	}
	for _, tt := range tests {
		m := testPage(t, 120, 40, tt.base)
		m.SetPublicURL(tt.tunnel)
		_, cmd := m.Update(tuitest.Key("c"))
		msgs := tuitest.Run(cmd)
		if !tuitest.HasClipboard(msgs) || !clipboardHolds(msgs, tt.want) {
			t.Errorf("%s: copied %v, want %s", tt.name, msgs, tt.want)
		}
		if got := tuitest.Plain(m.View()); !strings.Contains(got, tt.want) {
			t.Errorf("%s: page lacks %s:\n%s", tt.name, tt.want, got)
		}
	}
}

// clipboardHolds reports whether msgs set the clipboard to exactly want.
func clipboardHolds(msgs []tea.Msg, want string) bool {
	for _, msg := range msgs {
		if reflect.TypeOf(msg).Name() == "setClipboardMsg" && reflect.ValueOf(msg).String() == want {
			return true
		}
	}
	return false
}
