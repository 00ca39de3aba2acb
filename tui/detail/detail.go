// Package detail is the capture detail pane: tabs for the summary (verdict and the doctor's
// findings), headers, body (pretty, raw, hex) and response with deliveries. Content is rendered
// (and highlighted) when the capture, tab or size changes, never in View.
package detail

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/tui/common"
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

// Model is the detail pane.
type Model struct {
	common  *common.Common
	capture *capture.Capture
	tab     Tab
	mode    BodyMode
	vp      viewport.Model
	width   int
	height  int
	// welcome is on while the store is empty: the pane says how to send a first request.
	welcome bool
}

// New returns an empty detail pane.
func New(c *common.Common) *Model {
	vp := viewport.New()
	vp.SoftWrap = true
	vp.MouseWheelEnabled = true
	return &Model{common: c, vp: vp}
}

// SetCapture shows c (nil clears the pane), keeping the tab and the body mode.
func (m *Model) SetCapture(c *capture.Capture) {
	same := c != nil && m.capture != nil && c.ID == m.capture.ID
	m.capture = c
	m.render()
	if !same {
		m.vp.GotoTop()
	}
}

// Capture returns the capture on show, or nil.
func (m *Model) Capture() *capture.Capture { return m.capture }

// Tab returns the active tab.
func (m *Model) Tab() Tab { return m.tab }

// SetTab switches to t.
func (m *Model) SetTab(t Tab) {
	m.tab = (t%tabCount + tabCount) % tabCount
	m.render()
	m.vp.GotoTop()
}

// Mode returns the body view mode.
func (m *Model) Mode() BodyMode { return m.mode }

// SetSize sets the pane's inner size; one line goes to the tab bar.
func (m *Model) SetSize(width, height int) {
	m.width, m.height = width, height
	m.vp.SetWidth(width)
	m.vp.SetHeight(max(height-2, 1))
	m.render()
}

// Update handles tab, mode and scroll keys; the inspector sends keys only while the pane has
// focus.
func (m *Model) Update(msg tea.Msg) (common.Component, tea.Cmd) {
	k := m.common.Keys
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, k.NextTab):
			m.SetTab(m.tab + 1)
		case key.Matches(msg, k.PrevTab):
			m.SetTab(m.tab - 1)
		case key.Matches(msg, k.BodyMode):
			m.cycleMode()
		case key.Matches(msg, k.Down):
			m.vp.ScrollDown(1)
		case key.Matches(msg, k.Up):
			m.vp.ScrollUp(1)
		case key.Matches(msg, k.PageDown):
			m.vp.PageDown()
		case key.Matches(msg, k.PageUp):
			m.vp.PageUp()
		case key.Matches(msg, k.Top):
			m.vp.GotoTop()
		case key.Matches(msg, k.Bottom):
			m.vp.GotoBottom()
		}
	case tea.MouseWheelMsg:
		var cmd tea.Cmd
		m.vp, cmd = m.vp.Update(msg)
		return m, cmd
	}
	return m, nil
}

func (m *Model) cycleMode() {
	m.mode = (m.mode + 1) % 3
	if m.tab != TabBody {
		m.tab = TabBody
	}
	m.render()
	m.vp.GotoTop()
}

// View draws the tab bar and the cached content.
func (m *Model) View() string {
	return m.tabBar() + "\n\n" + m.vp.View()
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
	return common.Cut(strings.Join(parts, "  "), m.width)
}

// render rebuilds the viewport content: the one place highlighting runs.
func (m *Model) render() {
	if m.capture == nil {
		text := m.emptyText()
		if m.width > 0 {
			text = lipgloss.Wrap(text, m.width, " ")
		}
		m.vp.SetContent(text)
		return
	}
	content := m.content()
	if m.tab != TabBody && m.width > 0 {
		// Prose wraps at word boundaries; bodies keep the viewport's soft wrap so JSON and hex
		// keep their shape.
		content = lipgloss.Wrap(content, m.width, " ")
	}
	m.vp.SetContent(content)
}

func (m *Model) content() string {
	st, c := m.common.Styles, m.common.Shown(m.capture)
	chroma := st.Theme.ChromaStyle
	switch m.tab {
	case TabHeaders:
		return headersView(st, c, m.revealHint())
	case TabBody:
		text := bodyView(c.Body, c.ContentType, m.mode, chroma)
		if c.Truncated {
			text = st.Marker.Render("(body truncated at the route's max_body_bytes)") + "\n" + text
		}
		return text
	case TabResponse:
		return responseView(st, c, chroma)
	default:
		return summaryView(st, c, m.common.Location)
	}
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
