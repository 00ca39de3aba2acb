// Package routes is the routes page: each route with its local and public URL (copyable),
// verification scheme, limits and capture counts.
package routes

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/config"
	"github.com/hooktap/hooktap/tui/common"
)

// Model is the routes page.
type Model struct {
	common    *common.Common
	cfg       *config.Config
	store     *capture.Store
	localBase string
	publicURL string
	counts    map[string]int
	cursor    int
	width     int
	height    int
}

type countsMsg struct {
	counts map[string]int
	err    error
}

// New returns the routes page for cfg's routes, served at gatewayAddr.
func New(c *common.Common, cfg *config.Config, store *capture.Store, gatewayAddr string) *Model {
	return &Model{common: c, cfg: cfg, store: store, localBase: "http://" + gatewayAddr, counts: map[string]int{}}
}

// SetPublicURL records the tunnel's URL ("" when offline).
func (m *Model) SetPublicURL(u string) { m.publicURL = strings.TrimRight(u, "/") }

func (m *Model) routes() config.Routes { return m.common.RouteList() }

// Activate refreshes the counts each time the page is shown.
func (m *Model) Activate() tea.Cmd {
	if m.store == nil {
		return nil
	}
	store, routes := m.store, m.routes()
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		counts := make(map[string]int, len(routes))
		for _, r := range routes {
			n, err := store.Count(ctx, capture.Filter{Route: r.Name})
			if err != nil {
				return countsMsg{err: err}
			}
			counts[r.Name] = n
		}
		return countsMsg{counts: counts}
	}
}

// Update moves the selection, copies URLs and applies counts.
func (m *Model) Update(msg tea.Msg) (common.Component, tea.Cmd) {
	switch msg := msg.(type) {
	case countsMsg:
		if msg.err != nil {
			return m, common.Error(msg.err)
		}
		m.counts = msg.counts
	case tea.KeyPressMsg:
		return m, m.handleKey(msg)
	}
	return m, nil
}

func (m *Model) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	k, n := m.common.Keys, len(m.routes())
	switch {
	case key.Matches(msg, k.Up):
		m.cursor = max(m.cursor-1, 0)
	case key.Matches(msg, k.Down):
		m.cursor = min(m.cursor+1, max(n-1, 0))
	case key.Matches(msg, k.Copy):
		if n == 0 {
			return nil
		}
		u := m.url(m.routes()[m.cursor])
		return tea.Batch(tea.SetClipboard(u), common.Status("Copied "+u+" to the clipboard."))
	}
	return nil
}

// url is the route's public URL when the tunnel is up, else its local one.
func (m *Model) url(r config.Route) string {
	if m.publicURL != "" {
		return m.publicURL + "/webhooks/" + url.PathEscape(r.Name)
	}
	return m.localBase + "/webhooks/" + url.PathEscape(r.Name)
}

// View draws the table and the selected route's details.
func (m *Model) View() string {
	st := m.common.Styles
	routes := m.routes()
	if len(routes) == 0 {
		return st.Dim.Render("No routes configured.")
	}
	var b strings.Builder
	b.WriteString(st.Dim.Render(common.Fit(fmt.Sprintf("%-18s %-12s %-9s %-18s %8s", "ROUTE", "VERIFY", "SECURITY", "LIMITS", "CAPTURES"), m.width)))
	for i, r := range routes {
		line := common.Fit(m.row(r), m.width)
		if i == m.cursor {
			line = st.RowSelected.Render(line)
		}
		b.WriteString("\n" + line)
	}
	b.WriteString("\n\n" + m.details(routes[m.cursor]))
	return b.String()
}

func (m *Model) row(r config.Route) string {
	eff := r.Effective(m.cfg.Gateway)
	limits := fmt.Sprintf("%d/min %s", eff.RateLimit, common.HumanSize(int(eff.MaxBodyBytes)))
	return fmt.Sprintf("%-18s %-12s %-9s %-18s %8d", common.Cut(r.Name, 18), common.Cut(orAuto(r.Verify), 12),
		security(eff), limits, m.counts[r.Name])
}

func (m *Model) details(r config.Route) string {
	st := m.common.Styles
	line := func(label, value string) string {
		return st.Label.Render(fmt.Sprintf("%-10s", label)) + " " + value
	}
	public := st.Dim.Render("— tunnel offline")
	if m.publicURL != "" {
		public = m.publicURL + "/webhooks/" + url.PathEscape(r.Name)
	}
	lines := []string{
		line("local", m.localBase+"/webhooks/"+url.PathEscape(r.Name)),
		line("public", public),
	}
	if r.Description != "" {
		lines = append(lines, line("about", r.Description))
	}
	if len(r.Events) > 0 {
		lines = append(lines, line("events", strings.Join(r.Events, ", ")))
	}
	deliver := r.Deliver
	if deliver == "" {
		deliver = "log"
	}
	lines = append(lines, line("deliver", deliver), "", st.Dim.Render("c copies the URL"))
	return strings.Join(lines, "\n")
}

func security(eff config.RouteSettings) string {
	switch {
	case eff.Insecure:
		return "INSECURE"
	case eff.NoSecret:
		return "none"
	}
	return fmt.Sprintf("%d secret", len(eff.Secrets))
}

func orAuto(s string) string {
	if s == "" {
		return "auto"
	}
	return s
}

// SetSize sets the page size.
func (m *Model) SetSize(width, height int) { m.width, m.height = width, height }

// InputFocused is false: the page has no text field.
func (m *Model) InputFocused() bool { return false }

// ShortHelp lists the page's keys.
func (m *Model) ShortHelp() []key.Binding {
	k := m.common.Keys
	return []key.Binding{k.Up, k.Down, k.Copy, k.Inspector, k.Help, k.Quit}
}

// FullHelp lists the page's own keys; the root adds the global ones.
func (m *Model) FullHelp() [][]key.Binding {
	k := m.common.Keys
	return [][]key.Binding{{k.Up, k.Down, k.Copy}}
}
