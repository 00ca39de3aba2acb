package overlay

import (
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textarea"
	tea "charm.land/bubbletea/v2"

	"github.com/hooktap/hooktap/tui/common"
)

// Editor edits a body; ctrl+s hands the text to OnSave, esc discards it.
type Editor struct {
	common *common.Common
	title  string
	area   textarea.Model
	onSave func(text string) tea.Cmd
}

// NewEditor returns a focused editor holding text.
func NewEditor(c *common.Common, title, text string, onSave func(string) tea.Cmd) *Editor {
	ta := c.NewTextArea()
	ta.SetValue(text)
	ta.MoveToBegin()
	ta.Focus()
	return &Editor{common: c, title: title, area: ta, onSave: onSave}
}

// Update edits; ctrl+s saves and closes, esc closes.
func (e *Editor) Update(msg tea.Msg) (common.Component, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(k, e.common.Keys.Cancel):
			return e, common.CloseOverlay
		case key.Matches(k, e.common.Keys.Send):
			return e, tea.Sequence(common.CloseOverlay, e.onSave(e.area.Value()))
		}
	}
	var cmd tea.Cmd
	e.area, cmd = e.area.Update(msg)
	return e, cmd
}

// View draws the text area.
func (e *Editor) View() string { return e.area.View() }

// SetSize fits the text area.
func (e *Editor) SetSize(width, height int) {
	e.area.SetWidth(max(width, 10))
	e.area.SetHeight(max(height, 3))
}

// Title names the editor.
func (e *Editor) Title() string { return e.title }

// TakesText is true: every key types.
func (e *Editor) TakesText() bool { return true }

// Value is the current text.
func (e *Editor) Value() string { return e.area.Value() }

// ShortHelp lists the editor's keys.
func (e *Editor) ShortHelp() []key.Binding {
	return []key.Binding{e.common.Keys.Send, e.common.Keys.Cancel}
}

// FullHelp lists the editor's keys.
func (e *Editor) FullHelp() [][]key.Binding { return [][]key.Binding{e.ShortHelp()} }
