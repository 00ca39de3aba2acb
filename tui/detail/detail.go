// Package detail is the capture detail pane: tabs for the summary (verdict, the step that
// answered and the doctor's findings), headers, body (pretty, raw, hex) and response with
// deliveries. Content is laid out when the capture, tab, mode, width or theme changes, never in
// View; a large body is laid out by a Cmd off the UI goroutine and cached, and View draws only
// the lines on screen.
package detail

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/tui/bodyview"
	"github.com/hooktap/hooktap/tui/common"
	"github.com/hooktap/hooktap/tui/pager"
)

// Tab is one detail tab.
type Tab int

// The tabs, in display order.
const (
	TabSummary Tab = iota
	TabHeaders
	TabBody
	TabResponse
	tabCount
)

var tabNames = [...]string{"Summary", "Headers", "Body", "Response"}

// BodyMode is how the Body tab shows the bytes.
type BodyMode = bodyview.Mode

// The body modes.
const (
	BodyPretty = bodyview.Pretty
	BodyRaw    = bodyview.Raw
	BodyHex    = bodyview.Hex
)

// Model is the detail pane.
type Model struct {
	common  *common.Common
	capture *capture.Capture
	tab     Tab
	mode    BodyMode
	pager   pager.Model
	width   int
	height  int
	// welcome is on while the store is empty: the pane says how to send a first request.
	welcome bool
	// shown is what the pager holds; bodies tracks laid-out bodies and the one being laid out.
	shown  docKey
	bodies *bodies
}

// New returns an empty detail pane.
func New(c *common.Common) *Model {
	return &Model{common: c, bodies: newBodies()}
}

// SetCapture shows c (nil clears the pane), keeping the tab and the body mode.
func (m *Model) SetCapture(c *capture.Capture) tea.Cmd {
	same := c != nil && m.capture != nil && c.ID == m.capture.ID
	m.capture = c
	m.shown = docKey{} // the capture may have changed (a delivery landed): lay out again
	if !same {
		m.pager.GotoTop()
	}
	return m.render()
}

// Capture returns the capture on show, or nil.
func (m *Model) Capture() *capture.Capture { return m.capture }

// Tab returns the active tab.
func (m *Model) Tab() Tab { return m.tab }

// SetTab switches to t.
func (m *Model) SetTab(t Tab) tea.Cmd {
	m.tab = (t%tabCount + tabCount) % tabCount
	m.pager.GotoTop()
	return m.render()
}

// Mode returns the body view mode.
func (m *Model) Mode() BodyMode { return m.mode }

// SetSize sets the pane's inner size; two lines go to the tab bar. The same size again does
// nothing: a tunnel message or a help toggle must not lay a body out again.
func (m *Model) SetSize(width, height int) {
	if width == m.width && height == m.height {
		return
	}
	m.width, m.height = width, height
	m.pager.SetSize(width, max(height-2, 1))
	m.bodies.deferred = m.render()
}

// Deferred returns the Cmd that lays out a large body after a resize or a theme change (nil
// when there is nothing to do); the owner runs it, as SetSize has no way to.
func (m *Model) Deferred() tea.Cmd {
	cmd := m.bodies.deferred
	m.bodies.deferred = nil
	return cmd
}

// Restyle lays the content out again for a new theme.
func (m *Model) Restyle() tea.Cmd {
	m.shown = docKey{}
	return m.render()
}

// Update handles tab, mode and scroll keys and finished layouts.
func (m *Model) Update(msg tea.Msg) (common.Component, tea.Cmd) {
	switch msg := msg.(type) {
	case laidOutMsg:
		return m, m.applyLaidOut(msg)
	case tea.KeyPressMsg:
		return m, m.handleKey(msg)
	case tea.MouseWheelMsg:
		m.pager.Update(msg)
	}
	return m, nil
}

// HandleKey reports whether msg is one of the pane's tab or mode keys, and runs it; the
// inspector sends these from any focus.
func (m *Model) HandleKey(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	k := m.common.Keys
	switch {
	case key.Matches(msg, k.NextTab):
		return m.SetTab(m.tab + 1), true
	case key.Matches(msg, k.PrevTab):
		return m.SetTab(m.tab - 1), true
	case key.Matches(msg, k.BodyMode):
		return m.cycleMode(), true
	}
	return nil, false
}

func (m *Model) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	if cmd, ok := m.HandleKey(msg); ok {
		return cmd
	}
	m.pager.HandleKey(m.common.Keys, msg)
	return nil
}

func (m *Model) cycleMode() tea.Cmd {
	m.mode = m.mode.Next()
	m.tab = TabBody
	m.pager.GotoTop()
	return m.render()
}

// View draws the tab bar and the lines on screen.
func (m *Model) View() string {
	return m.tabBar() + "\n\n" + m.pager.View()
}

func (m *Model) tabBar() string {
	st := m.common.Styles
	parts := make([]string, 0, len(tabNames))
	for i, name := range tabNames {
		if Tab(i) == TabBody {
			name += " (" + m.mode.String() + ")"
		}
		if Tab(i) == m.tab {
			parts = append(parts, st.TabActive.Render(name))
		} else {
			parts = append(parts, st.TabInactive.Render(name))
		}
	}
	bar := strings.Join(parts, "  ")
	if pos := m.pager.Position(); pos != "" {
		bar = common.Spread(bar, st.Dim.Render(pos), m.width)
	}
	return common.Cut(bar, m.width)
}

// revealHint says, above the headers, whether credentials are masked and which key changes it.
func (m *Model) revealHint() string {
	k := m.common.Keys.Reveal.Help().Key
	if m.common.Reveal {
		return "credentials shown — " + k + " masks them"
	}
	return "credentials masked — " + k + " shows them"
}

// ShortHelp lists the pane's main keys.
func (m *Model) ShortHelp() []key.Binding {
	k := m.common.Keys
	return []key.Binding{k.PrevTab, k.NextTab, k.BodyMode, k.Up, k.Down}
}

// FullHelp lists every key of the pane.
func (m *Model) FullHelp() [][]key.Binding {
	k := m.common.Keys
	return [][]key.Binding{{k.PrevTab, k.NextTab, k.BodyMode, k.Reveal}, {k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom}}
}
