package header

import (
	"strings"
	"testing"
	"time"

	"github.com/hooktap/hooktap/tui/internal/tuitest"
	"github.com/hooktap/hooktap/tunnel"
)

func TestTunnelStates(t *testing.T) {
	tests := []struct {
		status tunnel.Status
		want   string
	}{
		{tunnel.Status{State: tunnel.StateOff}, LocalOnlyHint},
		{tunnel.Status{State: tunnel.StateOnline, URL: "https://a1b2.ngrok.app"}, "tunnel https://a1b2.ngrok.app"},
		{tunnel.Status{State: tunnel.StateReconnecting}, "tunnel reconnecting…"},
		{tunnel.Status{State: tunnel.StateError, Err: "authentication failed", Hint: "check NGROK_AUTHTOKEN"}, "tunnel error: authentication failed — check NGROK_AUTHTOKEN"},
	}
	for _, tt := range tests {
		m := New(tuitest.Common(200, 24), "127.0.0.1:8644", 4)
		m.Tunnel = tt.status
		if got := tuitest.Plain(m.View(200)); !strings.Contains(got, tt.want) || !strings.Contains(got, "4 routes") {
			t.Fatalf("%s: header %q lacks %q", tt.status.State, got, tt.want)
		}
	}
}

func TestNarrowHeaderTakesTwoLines(t *testing.T) {
	m := New(tuitest.Common(80, 24), "127.0.0.1:8644", 1)
	if m.Height(200) != 1 || m.Height(80) != 2 {
		t.Fatalf("heights %d at 200 and %d at 80; want 1 and 2", m.Height(200), m.Height(80))
	}
	for _, line := range strings.Split(strings.TrimSpace(tuitest.Plain(m.View(80))), "\n") {
		if len([]rune(line)) > 80 {
			t.Fatalf("line wider than 80: %q", line)
		}
	}
}

func TestRatePerMinute(t *testing.T) {
	var r Rate
	now := tuitest.Now
	r.Add(now.Add(-90*time.Second), now.Add(-59*time.Second), now.Add(-time.Second), now)
	if got := r.PerMinute(now); got != 3 {
		t.Fatalf("PerMinute = %d, want 3 (the one 90 s ago is out)", got)
	}
	if got := r.PerMinute(now.Add(2 * time.Minute)); got != 0 {
		t.Fatalf("two minutes later PerMinute = %d, want 0", got)
	}
}
