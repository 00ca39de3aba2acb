// Package overlay holds the modal widgets pages open over themselves: a one-line prompt, a
// body editor, a read-only text viewer and a yes/no confirmation.
package overlay

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/hooktap/hooktap/tui/common"
)

// Prompt asks for one line (a URL, a file name) and hands it to OnSubmit.
type Prompt struct {
	common   *common.Common
	title    string
	help     string
	input    textinput.Model
	onSubmit func(value string) tea.Cmd
}

// NewPrompt returns a focused prompt with value pre-filled.
func NewPrompt(c *common.Common, title, help, value string, onSubmit func(string) tea.Cmd) *Prompt {
	in := c.NewTextInput("› ", "")
	in.SetValue(value)
	in.CursorEnd()
	in.Focus()
	return &Prompt{common: c, title: title, help: help, input: in, onSubmit: onSubmit}
}

// Update edits the line; enter submits a non-empty value, esc cancels.
func (p *Prompt) Update(msg tea.Msg) (common.Component, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(k, p.common.Keys.Cancel):
			return p, common.CloseOverlay
		case key.Matches(k, p.common.Keys.Submit):
			value := strings.TrimSpace(p.input.Value())
			if value == "" {
				return p, nil
			}
			return p, tea.Sequence(common.CloseOverlay, p.onSubmit(value))
		}
	}
	var cmd tea.Cmd
	p.input, cmd = p.input.Update(msg)
	return p, cmd
}

// View draws the help line and the field.
func (p *Prompt) View() string {
	return p.common.Styles.Dim.Render(p.help) + "\n\n" + p.input.View()
}

// SetSize sets the field width.
func (p *Prompt) SetSize(width, _ int) { p.input.SetWidth(max(width-4, 10)) }

// Title names the prompt.
func (p *Prompt) Title() string { return p.title }

// TakesText is true: the prompt is a text field.
func (p *Prompt) TakesText() bool { return true }

// Value is the current text.
func (p *Prompt) Value() string { return p.input.Value() }

// ShortHelp lists the prompt's keys.
func (p *Prompt) ShortHelp() []key.Binding {
	return []key.Binding{p.common.Keys.Submit, p.common.Keys.Cancel}
}

// FullHelp lists the prompt's keys.
func (p *Prompt) FullHelp() [][]key.Binding { return [][]key.Binding{p.ShortHelp()} }
