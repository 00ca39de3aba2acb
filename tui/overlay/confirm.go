package overlay

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/hooktap/hooktap/tui/common"
)

// Confirm asks yes or no before something that cannot be taken back (a real send).
type Confirm struct {
	common    *common.Common
	title     string
	question  string
	onConfirm func() tea.Cmd
}

// NewConfirm returns a confirmation; y runs onConfirm, esc or n cancels.
func NewConfirm(c *common.Common, title, question string, onConfirm func() tea.Cmd) *Confirm {
	return &Confirm{common: c, title: title, question: question, onConfirm: onConfirm}
}

// Update waits for y, n or esc.
func (c *Confirm) Update(msg tea.Msg) (common.Component, tea.Cmd) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return c, nil
	}
	switch {
	case key.Matches(k, c.common.Keys.Confirm):
		return c, tea.Sequence(common.CloseOverlay, c.onConfirm())
	case key.Matches(k, c.common.Keys.Cancel), k.String() == "n":
		return c, common.CloseOverlay
	}
	return c, nil
}

// View asks the question.
func (c *Confirm) View() string {
	return c.question + "\n\n" + c.common.Styles.Prompt.Render("y") + " send   " + c.common.Styles.Dim.Render("n/esc cancel")
}

// SetSize does nothing: the question wraps in the frame.
func (c *Confirm) SetSize(int, int) {}

// Title names the confirmation.
func (c *Confirm) Title() string { return c.title }

// TakesText is false.
func (c *Confirm) TakesText() bool { return false }

// ShortHelp lists the keys.
func (c *Confirm) ShortHelp() []key.Binding {
	return []key.Binding{c.common.Keys.Confirm, c.common.Keys.Cancel}
}

// FullHelp lists the keys.
func (c *Confirm) FullHelp() [][]key.Binding { return [][]key.Binding{c.ShortHelp()} }
