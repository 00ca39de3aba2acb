package tui

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/hooktap/hooktap/tui/header"
	"github.com/hooktap/hooktap/tui/internal/tuitest"
	"github.com/hooktap/hooktap/tunnel"
)

// TestTunnelStatusReachesHeaderAndRoutes: the root follows the tunnel's subscription and each
// status change reaches the header and the routes page; public_base_url stands in while the
// tunnel has no URL.
func TestTunnelStatusReachesHeaderAndRoutes(t *testing.T) {
	cfg := testConfig()
	cfg.Gateway.PublicBaseURL = "https://hooks.example.com"
	r := newRoot(Deps{Config: cfg, GatewayAddr: "127.0.0.1:8644", Tunnel: tunnel.NewNone()}, true)
	t.Cleanup(r.close)
	r.common.Now = func() time.Time { return tuitest.Now }
	send(r, tea.WindowSizeMsg{Width: 120, Height: 40})
	if msgs := tuitest.Run(r.header.Follow(t.Context(), r.deps.Tunnel)); len(msgs) != 1 {
		t.Fatalf("the local-only tunnel's subscription delivered %v", msgs)
	}
	press(r, "4")
	if s := screen(r); !strings.Contains(s, "● public https://hooks.example.com") || !strings.Contains(s, "https://hooks.example.com/webhooks/stripe") {
		t.Fatalf("public_base_url not shown:\n%s", s)
	}
	r.Update(header.TunnelMsg{Status: tunnel.Status{State: tunnel.StateOnline, URL: "https://a1b2.ngrok.app"}})
	if s := screen(r); !strings.Contains(s, "● tunnel https://a1b2.ngrok.app") || !strings.Contains(s, "https://a1b2.ngrok.app/webhooks/stripe") {
		t.Fatalf("tunnel URL not shown:\n%s", s)
	}
	r.Update(header.TunnelMsg{Status: tunnel.Status{State: tunnel.StateError, Err: "authentication failed", Hint: tunnel.HintBadToken}})
	if s := screen(r); !strings.Contains(s, "tunnel error: authentication failed") || !strings.Contains(s, "https://hooks.example.com/webhooks/stripe") {
		t.Fatalf("error with public_base_url not shown:\n%s", s)
	}
}
