package overlay

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/hooktap/hooktap/tui/common"
	"github.com/hooktap/hooktap/tui/pager"
)

// Viewer shows read-only text (a diff, a command to copy by hand) with scrolling; esc closes it.
// The text is laid out once per width and only the lines on screen are drawn, so a diff of two
// large bodies scrolls as fast as a short one.
type Viewer struct {
	common *common.Common
	title  string
	text   string
	// styleOf returns the SGR sequence a line is drawn in ("" for none).
	styleOf func(line string) string
	pager   pager.Model
	width   int
	// selectable asks for the mouse to be left to the terminal, so text can be selected.
	selectable bool
}

// NewViewer returns a viewer over text; styleOf may be nil. The text is shown as characters,
// never as terminal commands, whatever bytes it holds.
func NewViewer(c *common.Common, title, text string, styleOf func(string) string) *Viewer {
	return &Viewer{common: c, title: title, text: text, styleOf: styleOf}
}

// Selectable marks the text as meant to be selected with the mouse: while the viewer is open
// the terminal keeps the mouse.
func (v *Viewer) Selectable() *Viewer {
	v.selectable = true
	return v
}

// WantsMouseSelection reports whether the terminal should keep the mouse while this is open.
func (v *Viewer) WantsMouseSelection() bool { return v.selectable }

// Update scrolls; esc or q closes.
func (v *Viewer) Update(msg tea.Msg) (common.Component, tea.Cmd) {
	k := v.common.Keys
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		if key.Matches(msg, k.Cancel) || key.Matches(msg, k.Quit) {
			return v, common.CloseOverlay
		}
		v.pager.HandleKey(k, msg)
	default:
		v.pager.Update(msg)
	}
	return v, nil
}

// View draws the visible text.
func (v *Viewer) View() string { return v.pager.View() }

// SetSize lays the text out again when the width changed.
func (v *Viewer) SetSize(width, height int) {
	if width != v.width {
		v.width = width
		w := pager.NewWriter(width, len(v.text)+len(v.text)/max(width, 1))
		for i, line := range strings.Split(v.text, "\n") {
			if i > 0 {
				w.Newline()
			}
			style := ""
			if v.styleOf != nil {
				style = v.styleOf(line)
			}
			w.Write(line, style)
		}
		v.pager.SetLines(w.Text())
	}
	v.pager.SetSize(width, height)
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
