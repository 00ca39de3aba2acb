package header

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hooktap/hooktap/tui/internal/tuitest"
	"github.com/hooktap/hooktap/tunnel"
)

// badToken is the status the ngrok tunnel reports when ngrok rejects the authtoken.
var badToken = tunnel.Status{State: tunnel.StateError,
	Err:  "authentication failed: The authtoken you specified does not look like a proper ngrok authtoken. ERR_NGROK_105",
	Hint: tunnel.HintBadToken}

// TestGoldenHeader drives the header through Update with the status messages the live
// subscription delivers, at both supported sizes.
func TestGoldenHeader(t *testing.T) {
	tests := []struct {
		name       string
		publicBase string
		statuses   []tunnel.Status
	}{
		{"local", "", []tunnel.Status{{State: tunnel.StateOff, Hint: tunnel.HintLocalOnly}}},
		{"connecting", "", []tunnel.Status{{State: tunnel.StateConnecting}}},
		{"online", "", []tunnel.Status{{State: tunnel.StateConnecting}, {State: tunnel.StateOnline, URL: "https://a1b2.ngrok.app"}}},
		{"reconnecting", "", []tunnel.Status{{State: tunnel.StateOnline, URL: "https://a1b2.ngrok.app"},
			{State: tunnel.StateReconnecting, URL: "https://a1b2.ngrok.app", Err: "session closed", Hint: "session to ngrok lost; reconnecting"}}},
		{"error", "", []tunnel.Status{{State: tunnel.StateConnecting}, badToken}},
		{"public_base_url", "https://hooks.example.com/", []tunnel.Status{{State: tunnel.StateOff, Hint: tunnel.HintLocalOnly}}},
	}
	for _, tt := range tests {
		for _, size := range []struct{ w, h int }{{80, 24}, {120, 40}} {
			m := New(tuitest.Common(size.w, size.h), "127.0.0.1:8644", 4)
			m.PublicBaseURL = tt.publicBase
			for _, s := range tt.statuses {
				if cmd := m.Update(TunnelMsg{Status: s}); cmd != nil {
					t.Fatalf("%s: Update returned a Cmd without a subscription", tt.name)
				}
			}
			view := m.View(size.w)
			for _, line := range strings.Split(tuitest.Plain(view), "\n") {
				if w := len([]rune(line)); w > size.w {
					t.Errorf("%s: line %d cells wide at %d: %q", tt.name, w, size.w, line)
				}
			}
			tuitest.Golden(t, fmt.Sprintf("header_%s_%dx%d", tt.name, size.w, size.h), view)
		}
	}
}

func TestPublicURL(t *testing.T) {
	online := tunnel.Status{State: tunnel.StateOnline, URL: "https://a1b2.ngrok.app/"}
	tests := []struct {
		name   string
		base   string
		status tunnel.Status
		want   string
	}{
		{"local only", "", tunnel.Status{State: tunnel.StateOff}, ""},
		{"tunnel online", "", online, "https://a1b2.ngrok.app"},
		{"tunnel wins over public_base_url", "https://hooks.example.com", online, "https://a1b2.ngrok.app"},
		{"public_base_url while connecting", "https://hooks.example.com/", tunnel.Status{State: tunnel.StateConnecting}, "https://hooks.example.com"},
		{"public_base_url after an error", "https://hooks.example.com", badToken, "https://hooks.example.com"},
	}
	for _, tt := range tests {
		m := New(tuitest.Common(120, 40), "127.0.0.1:8644", 1)
		m.PublicBaseURL = tt.base
		m.Update(TunnelMsg{Status: tt.status})
		if got := m.PublicURL(); got != tt.want {
			t.Errorf("%s: PublicURL() = %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestFollowSubscribes reads the first status off a real local-only tunnel's subscription
// and checks that applying it keeps the subscription going.
func TestFollowSubscribes(t *testing.T) {
	m := New(tuitest.Common(120, 40), "127.0.0.1:8644", 1)
	if m.Follow(t.Context(), nil) != nil {
		t.Fatal("Follow(nil) returned a Cmd")
	}
	cmd := m.Follow(t.Context(), tunnel.NewNone())
	msgs := tuitest.Run(cmd)
	if len(msgs) != 1 {
		t.Fatalf("subscription delivered %v, want one TunnelMsg", msgs)
	}
	msg, ok := msgs[0].(TunnelMsg)
	if !ok || msg.Status.State != tunnel.StateOff {
		t.Fatalf("subscription delivered %#v, want the off status", msgs[0])
	}
	if m.Update(msg) == nil {
		t.Fatal("Update dropped the subscription: no Cmd waits for the next status")
	}
	if got := tuitest.Plain(m.View(120)); !strings.Contains(got, LocalOnlyHint) {
		t.Fatalf("header %q lacks %q", got, LocalOnlyHint)
	}
}

func TestUpdateIgnoresOtherMessages(t *testing.T) {
	m := New(tuitest.Common(120, 40), "127.0.0.1:8644", 1)
	m.Update(TunnelMsg{Status: tunnel.Status{State: tunnel.StateOnline, URL: "https://a1b2.ngrok.app"}})
	if cmd := m.Update("something else"); cmd != nil || m.Tunnel.State != tunnel.StateOnline {
		t.Fatalf("a foreign message changed the header: state %s, cmd %v", m.Tunnel.State, cmd != nil)
	}
}

func TestWrapWords(t *testing.T) {
	tests := []struct {
		in    string
		width int
		want  []string
	}{
		{"", 10, nil},
		{"one two three", 7, []string{"one two", "three"}},
		{"see https://dashboard.ngrok.com/get-started/your-authtoken now", 20,
			[]string{"see", "https://dashboard.ngrok.com/get-started/your-authtoken", "now"}},
	}
	for _, tt := range tests {
		if got := wrapWords(tt.in, tt.width); fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("wrapWords(%q, %d) = %q, want %q", tt.in, tt.width, got, tt.want)
		}
	}
}

// TestHintIsCappedAtTwoLines: a long hint in a narrow header never takes more than two lines,
// and the second ends with an ellipsis when something was left out.
func TestHintIsCappedAtTwoLines(t *testing.T) {
	m := New(tuitest.Common(40, 24), "127.0.0.1:8644", 1)
	m.Update(TunnelMsg{Status: badToken})
	lines := strings.Split(strings.TrimRight(tuitest.Plain(m.View(40)), "\n"), "\n")
	if len(lines) != 2+hintLines || m.Height(40) != len(lines) {
		t.Fatalf("%d lines (Height %d), want %d:\n%s", len(lines), m.Height(40), 2+hintLines, strings.Join(lines, "\n"))
	}
	if last := lines[len(lines)-1]; !strings.HasSuffix(last, "…") || len([]rune(last)) > 40 {
		t.Fatalf("last hint line %q: want it cut to 40 cells with an ellipsis", last)
	}
}
