package header

import (
	"context"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/hooktap/hooktap/config"
	"github.com/hooktap/hooktap/tunnel"
)

// TunnelMsg is one tunnel status change, as Follow's subscription delivers it.
type TunnelMsg struct{ Status tunnel.Status }

// Follow shows t's current status and returns the Cmd that waits for its next change, until ctx
// ends; feed the TunnelMsg it produces back through Update, which keeps the subscription going.
func (m *Model) Follow(ctx context.Context, t tunnel.Tunnel) tea.Cmd {
	if t == nil {
		return nil
	}
	m.Tunnel = t.Status()
	m.updates = t.Subscribe(ctx)
	return m.next()
}

// next waits for the next status on the subscription; nil when there is none.
func (m *Model) next() tea.Cmd {
	updates := m.updates
	if updates == nil {
		return nil
	}
	return func() tea.Msg {
		s, ok := <-updates
		if !ok {
			return nil
		}
		return TunnelMsg{Status: s}
	}
}

// Update applies a TunnelMsg and, when following a tunnel, waits for the one after it. Other
// messages change nothing.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	tm, ok := msg.(TunnelMsg)
	if !ok {
		return nil
	}
	m.Tunnel = tm.Status
	return m.next()
}

// PublicURL is the base URL the internet reaches the gateway at, as the gateway verifies Twilio
// against it: the tunnel's URL, else PublicBaseURL, else "" (local only).
func (m *Model) PublicURL() string {
	return config.Gateway{PublicBaseURL: m.PublicBaseURL}.PublicBase(m.Tunnel.URL)
}

// reachText says how the internet reaches the gateway (public URL or tunnel state) and, for a
// tunnel error, the hint that goes with it.
func (m *Model) reachText() (text, hint string) {
	st := m.common.Styles
	if m.common.Attached != "" {
		// The server's gateway and tunnel are not this machine's to report.
		return st.HeaderText.Render("the server's captures, live"), ""
	}
	s := m.Tunnel
	var tun string
	switch s.State {
	case tunnel.StateOnline:
		return st.HeaderOK.Render("●") + " " + st.HeaderText.Render("tunnel "+s.URL), ""
	case tunnel.StateConnecting:
		tun = st.HeaderWarn.Render("◌") + " " + st.HeaderText.Render("tunnel connecting…")
	case tunnel.StateReconnecting:
		tun = st.HeaderWarn.Render("◌") + " " + st.HeaderText.Render(strings.TrimSpace("tunnel reconnecting… "+s.URL))
	case tunnel.StateError:
		tun = st.HeaderFail.Render("●") + " " + st.HeaderFail.Render("tunnel error: "+s.Err)
		hint = s.Hint
	}
	if m.PublicBaseURL == "" {
		if tun == "" {
			return st.HeaderWarn.Render("○") + " " + st.HeaderText.Render(LocalOnlyHint), ""
		}
		return tun, hint
	}
	public := st.HeaderOK.Render("●") + " " + st.HeaderText.Render("public "+strings.TrimRight(m.PublicBaseURL, "/"))
	if tun == "" {
		return public, ""
	}
	return public + "  " + tun, hint
}
