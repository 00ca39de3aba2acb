// Package filterbar is the inspector's "/" filter: a text field in the filter language of
// capture.ParseQuery (route:, event:, method:, status:, verified:, source: and free text). The
// list follows the query as it is typed, a short pause after the last key; a query the store
// would refuse keeps the list as it was and says why, in full, under the field.
package filterbar

import (
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/tui/common"
)

// Debounce is the pause after the last key before the list follows the query: long enough that
// typing a word costs one store query, short enough to feel immediate.
const Debounce = 150 * time.Millisecond

// AppliedMsg carries a filter to show: Final when the user confirmed it with enter (the field
// closes), otherwise it is the query as typed so far.
type AppliedMsg struct {
	Filter capture.Filter
	Query  string
	Final  bool
}

// ClosedMsg says the user left the field with esc; the filter from before it opened is back.
type ClosedMsg struct{}

// SettledMsg is the debounce tick: Seq names the edit it was armed for, so only the tick of the
// last edit applies the query.
type SettledMsg struct{ Seq int }

// Model is the filter field.
type Model struct {
	common *common.Common
	input  textinput.Model
	err    string
	width  int

	seq     int    // bumps on every edit
	opened  string // the query when the field opened, restored by esc
	applied string // the query the list shows now
}

// New returns a blurred filter field.
func New(c *common.Common) *Model {
	in := c.NewTextInput("/", `route:github-pr status:4xx verified:false "some text"`)
	return &Model{common: c, input: in, width: 80}
}

// Open focuses the field with the current query in it.
func (m *Model) Open(query string) tea.Cmd {
	m.err, m.opened, m.applied = "", query, query
	m.input.SetValue(query)
	m.input.CursorEnd()
	return m.input.Focus()
}

// Focused reports whether the field has the keyboard.
func (m *Model) Focused() bool { return m.input.Focused() }

// Err is why the query as typed is refused, or "".
func (m *Model) Err() string { return m.err }

// Update edits the query: enter applies it and closes, esc restores the filter from before the
// field opened, any edit arms the debounce tick.
func (m *Model) Update(msg tea.Msg) (common.Component, tea.Cmd) {
	switch msg := msg.(type) {
	case SettledMsg:
		if msg.Seq != m.seq || !m.Focused() {
			return m, nil
		}
		return m, m.apply(false)
	case tea.KeyPressMsg:
		switch msg.String() {
		case "enter":
			return m, m.apply(true)
		case "esc":
			return m, m.close()
		}
	}
	before := m.input.Value()
	var cmd tea.Cmd
	m.input, cmd = m.input.Update(msg)
	if m.input.Value() == before {
		return m, cmd
	}
	m.seq++
	seq := m.seq
	return m, tea.Batch(cmd, tea.Tick(Debounce, func(time.Time) tea.Msg { return SettledMsg{Seq: seq} }))
}

func (m *Model) close() tea.Cmd {
	m.input.Blur()
	m.err = ""
	closed := func() tea.Msg { return ClosedMsg{} }
	if m.applied == m.opened {
		return closed
	}
	f, err := capture.ParseQuery(m.opened)
	if err != nil {
		return closed
	}
	m.applied = m.opened
	applied := AppliedMsg{Filter: f, Query: m.opened, Final: true}
	return tea.Sequence(func() tea.Msg { return applied }, closed)
}

func (m *Model) apply(final bool) tea.Cmd {
	query := m.input.Value()
	f, err := capture.ParseQuery(query)
	if err != nil {
		m.err = err.Error()
		return nil
	}
	m.err = ""
	if final {
		m.input.Blur()
	} else if query == m.applied {
		return nil
	}
	m.applied = query
	msg := AppliedMsg{Filter: f, Query: f.Query(), Final: final}
	return func() tea.Msg { return msg }
}

// View draws the field and, under it, why the query is refused, wrapped to the width so the
// whole reason is on screen.
func (m *Model) View() string {
	v := m.input.View()
	if m.err != "" {
		v += "\n" + m.common.Styles.StatusError.Render(m.errLines())
	}
	return v
}

func (m *Model) errLines() string {
	return lipgloss.NewStyle().Width(max(m.width-2, 10)).Render("  " + m.err)
}

// Height is the rows View takes: the field, and the reason a query is refused.
func (m *Model) Height() int {
	if m.err == "" {
		return 1
	}
	return 1 + lipgloss.Height(m.errLines())
}

// SetSize sets the field's width.
func (m *Model) SetSize(width, _ int) {
	m.width = width
	m.input.SetWidth(max(width-2, 10))
}

// ShortHelp lists the field's keys.
func (m *Model) ShortHelp() []key.Binding {
	k := m.common.Keys
	return []key.Binding{k.Submit, k.Cancel}
}

// FullHelp lists the field's keys.
func (m *Model) FullHelp() [][]key.Binding { return [][]key.Binding{m.ShortHelp()} }
