package filterbar

import (
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/tui/common"
)

// AppliedMsg carries the filter the user confirmed with enter.
type AppliedMsg struct {
	Filter capture.Filter
	Query  string
}

// ClosedMsg says the user left the field with esc; the filter is unchanged.
type ClosedMsg struct{}

// Model is the filter field.
type Model struct {
	common *common.Common
	input  textinput.Model
	err    string
}

// New returns a blurred filter field.
func New(c *common.Common) *Model {
	in := c.NewTextInput("/", "route:github-pr event:push status:401 verified:false text")
	return &Model{common: c, input: in}
}

// Open focuses the field with the current query in it.
func (m *Model) Open(query string) tea.Cmd {
	m.err = ""
	m.input.SetValue(query)
	m.input.CursorEnd()
	return m.input.Focus()
}

// Focused reports whether the field has the keyboard.
func (m *Model) Focused() bool { return m.input.Focused() }

// Update edits the query; enter parses and applies it, esc closes the field.
func (m *Model) Update(msg tea.Msg) (common.Component, tea.Cmd) {
	if key, ok := msg.(tea.KeyPressMsg); ok {
		switch key.String() {
		case "enter":
			return m, m.apply()
		case "esc":
			m.input.Blur()
			return m, func() tea.Msg { return ClosedMsg{} }
		}
	}
	var cmd tea.Cmd
	m.input, cmd = m.input.Update(msg)
	return m, cmd
}

func (m *Model) apply() tea.Cmd {
	query := m.input.Value()
	f, err := Parse(query)
	if err != nil {
		m.err = err.Error()
		return nil
	}
	m.err = ""
	m.input.Blur()
	return func() tea.Msg { return AppliedMsg{Filter: f, Query: Format(f)} }
}

// View draws the field and, after a bad query, why it was refused.
func (m *Model) View() string {
	v := m.input.View()
	if m.err != "" {
		v += "  " + m.common.Styles.StatusError.Render(m.err)
	}
	return v
}

// SetSize sets the field's width.
func (m *Model) SetSize(width, _ int) { m.input.SetWidth(max(width-2, 10)) }

// ShortHelp lists the field's keys.
func (m *Model) ShortHelp() []key.Binding {
	k := m.common.Keys
	return []key.Binding{k.Submit, k.Cancel}
}

// FullHelp lists the field's keys.
func (m *Model) FullHelp() [][]key.Binding { return [][]key.Binding{m.ShortHelp()} }
