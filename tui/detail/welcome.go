package detail

import (
	"fmt"
	"strings"

	"github.com/hooktap/hooktap/config"
)

// SetWelcome shows how to send a first request while the store holds no capture at all.
func (m *Model) SetWelcome(on bool) {
	if m.welcome == on {
		return
	}
	m.welcome = on
	if m.capture == nil {
		m.shown = docKey{}
		m.render()
	}
}

// emptyRows is the pane's text while no capture is selected.
func (m *Model) emptyRows() []row {
	p := &prose{st: m.common.Styles}
	for _, l := range strings.Split(strings.TrimRight(m.emptyText(), "\n"), "\n") {
		p.line(l)
	}
	return p.rows
}

func (m *Model) emptyText() string {
	st := m.common.Styles
	if !m.welcome {
		return st.Dim.Render("No capture selected.")
	}
	var b strings.Builder
	b.WriteString(st.PaneTitle.Render("No captures yet — send a first request") + "\n\n")
	routes := m.common.RouteList()
	if m.common.GatewayAddr == "" || len(routes) == 0 {
		b.WriteString("Start hooktap with its gateway (and routes in config.yaml) to receive webhooks.\n")
		return b.String()
	}
	base := config.LocalBaseURL(m.common.GatewayAddr)
	fmt.Fprintf(&b, "  curl -X POST %s \\\n", config.RouteURL(base, routes[0].Name))
	b.WriteString("    -H 'Content-Type: application/json' -d '{\"hello\":\"world\"}'\n\n")
	b.WriteString("An unsigned request to a route with a secret shows up as ✗ with the reason.\n")
	b.WriteString("Press n to craft a signed event (GitHub, Stripe, Slack, …) instead.\n\n")
	b.WriteString(st.Label.Render("Routes") + "\n")
	for _, r := range routes {
		fmt.Fprintf(&b, "  %-14s %s\n", r.Name, config.RouteURL(base, r.Name))
	}
	return b.String()
}
