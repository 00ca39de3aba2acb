package overlay

import (
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"

	"github.com/hooktap/hooktap/tui/common"
)

// Viewer shows read-only text (a diff) with scrolling; esc closes it.
type Viewer struct {
	common *common.Common
	title  string
	vp     viewport.Model
}

// NewViewer returns a viewer over text.
func NewViewer(c *common.Common, title, text string) *Viewer {
	vp := viewport.New()
	vp.SoftWrap = true
	vp.SetContent(text)
	return &Viewer{common: c, title: title, vp: vp}
}

// Update scrolls; esc or q closes.
func (v *Viewer) Update(msg tea.Msg) (common.Component, tea.Cmd) {
	k := v.common.Keys
	if msg, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(msg, k.Cancel), key.Matches(msg, k.Quit):
			return v, common.CloseOverlay
		case key.Matches(msg, k.Down):
			v.vp.ScrollDown(1)
		case key.Matches(msg, k.Up):
			v.vp.ScrollUp(1)
		case key.Matches(msg, k.PageDown):
			v.vp.PageDown()
		case key.Matches(msg, k.PageUp):
			v.vp.PageUp()
		}
		return v, nil
	}
	var cmd tea.Cmd
	v.vp, cmd = v.vp.Update(msg)
	return v, cmd
}

// View draws the visible text.
func (v *Viewer) View() string { return v.vp.View() }

// SetSize fits the viewport.
func (v *Viewer) SetSize(width, height int) {
	v.vp.SetWidth(width)
	v.vp.SetHeight(height)
}

// Title names the viewer.
func (v *Viewer) Title() string { return v.title }

// TakesText is false: letters are commands here.
func (v *Viewer) TakesText() bool { return false }

// ShortHelp lists the viewer's keys.
func (v *Viewer) ShortHelp() []key.Binding {
	k := v.common.Keys
	return []key.Binding{k.Up, k.Down, k.PageDown, k.Cancel}
}

// FullHelp lists the viewer's keys.
func (v *Viewer) FullHelp() [][]key.Binding { return [][]key.Binding{v.ShortHelp()} }
