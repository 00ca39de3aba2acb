// Package routes is the routes page: each route with its local and public URL (copyable),
// verification scheme, limits and capture counts.
package routes

import (
	"context"
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
	store     capture.Reader
	localBase string
	// tunnelURL is the embedded tunnel's URL; with gateway's public_base_url it makes the public
	// URL (config.Gateway.PublicBase), as the gateway's own is.
	tunnelURL string
	gateway   config.Gateway
	counts    map[string]int
	pins      map[string]capture.RoutePin
	cursor    int
	width     int
	height    int
}

type countsMsg struct {
	counts map[string]int
	pins   map[string]capture.RoutePin
	err    error
}

// New returns the routes page for cfg's routes, served at gatewayAddr.
func New(c *common.Common, cfg *config.Config, store capture.Reader, gatewayAddr string) *Model {
	m := &Model{common: c, cfg: cfg, store: store, localBase: config.LocalBaseURL(gatewayAddr), counts: map[string]int{}}
	if cfg != nil {
		m.gateway = cfg.Gateway
	}
	return m
}

// SetPublicURL records the tunnel's URL ("" when it has none); gateway.public_base_url stands
// in while it is empty.
func (m *Model) SetPublicURL(u string) { m.tunnelURL = u }

// PublicURL is the base the internet reaches the gateway at, "" when local only.
func (m *Model) PublicURL() string { return m.gateway.PublicBase(m.tunnelURL) }

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
		pins, err := store.RoutePins(ctx)
		return countsMsg{counts: counts, pins: pins, err: err}
	}
}

// Update moves the selection, copies URLs and applies counts.
func (m *Model) Update(msg tea.Msg) (common.Component, tea.Cmd) {
	switch msg := msg.(type) {
	case countsMsg:
		if msg.err != nil {
			return m, common.Error(msg.err)
		}
		m.counts, m.pins = msg.counts, msg.pins
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
		return m.common.Copy(u, u)
	}
	return nil
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
