// Package localonly is the page shown in place of one that needs this machine's own hooktap
// (crafting and sending, notify previews that deliver, routes from the local config) while the
// inspector is attached to a remote hooktap: it says why and what to do instead of failing.
package localonly

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/hooktap/hooktap/tui/common"
)

// Model is the explanation page.
type Model struct {
	common        *common.Common
	title, reason string
	width, height int
}

// New returns the page titled title explaining reason.
func New(c *common.Common, title, reason string) *Model {
	return &Model{common: c, title: title, reason: reason}
}

// Update has nothing to act on: the page is text.
func (m *Model) Update(tea.Msg) (common.Component, tea.Cmd) { return m, nil }

// View draws the title and the wrapped reason.
func (m *Model) View() string {
	st := m.common.Styles
	width := max(m.width-2, 20)
	lines := []string{" " + st.Label.Render(m.title), ""}
	for _, l := range strings.Split(ansi.Wordwrap(m.reason, width, ""), "\n") {
		lines = append(lines, " "+l)
	}
	if m.height > 0 && len(lines) > m.height {
		lines = lines[:m.height]
	}
	return strings.Join(lines, "\n")
}

// SetSize records the page's size.
func (m *Model) SetSize(w, h int) { m.width, m.height = w, h }

// ShortHelp has no keys of its own.
func (m *Model) ShortHelp() []key.Binding { return nil }

// FullHelp has no keys of its own.
func (m *Model) FullHelp() [][]key.Binding { return nil }

// InputFocused is always false: there is no text field.
func (m *Model) InputFocused() bool { return false }
