package tui

import (
	"fmt"
	"runtime/debug"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/hooktap/hooktap/tui/common"
)

// minWidth and minHeight are the smallest screen the layout is designed for.
const (
	minWidth  = 40
	minHeight = 10
)

// layout gives the pages and the overlay what the header, status line and footer leave, and
// returns the work a new size started (a large body laid out again).
func (r *root) layout() tea.Cmd {
	w, h := r.common.Width, r.common.Height
	if w == 0 || h == 0 {
		return nil
	}
	used := r.header.Height(w) + 1 + lipgloss.Height(r.footer())
	var cmds []tea.Cmd
	for id, p := range r.pages {
		p.SetSize(w, max(h-used, 3))
		if d, ok := p.(interface{ Deferred() tea.Cmd }); ok {
			cmds = append(cmds, common.Address(id, d.Deferred()))
		}
	}
	r.overlay.SetSize(w, max(h-used, 3))
	return tea.Batch(cmds...)
}

// View draws header, page, status line and footer, in the alternate screen.
func (r *root) View() tea.View {
	v := tea.NewView(r.render())
	v.AltScreen = true
	v.MouseMode = tea.MouseModeCellMotion
	if r.overlay.Overlay() != nil && r.overlay.KeepsMouse() {
		v.MouseMode = tea.MouseModeNone // the text on show is there to be selected
	}
	v.WindowTitle = "hooktap"
	return v
}

func (r *root) render() (out string) {
	w, h := r.common.Width, r.common.Height
	if r.quitting || w == 0 {
		return ""
	}
	if w < minWidth || h < minHeight {
		return lipgloss.NewStyle().Width(w).Render(
			fmt.Sprintf("hooktap needs at least %d×%d cells (now %d×%d).", minWidth, minHeight, w, h))
	}
	defer func() {
		if p := recover(); p != nil {
			r.common.Logger.Error("tui view panicked", "panic", p, "stack", string(debug.Stack()))
			out = fmt.Sprintf("The %s page could not be drawn (%v). Press 1 for the inspector or q to quit.", r.active, p)
		}
	}()
	head := r.header.View(w)
	footer := r.footer()
	bodyHeight := max(h-lipgloss.Height(head)-1-lipgloss.Height(footer), 1)
	page := ""
	if r.overlay.Overlay() != nil {
		page = r.overlay.View(r.common)
	} else {
		page = r.pages[r.active].View()
	}
	body := fitHeight(page, bodyHeight)
	return strings.Join([]string{head, body, r.statusLine(), footer}, "\n")
}

func (r *root) statusLine() string {
	st := r.common.Styles
	s := r.shownStatus()
	if s.Text == "" {
		return ""
	}
	if s.Err {
		return common.Cut(st.StatusError.Render(" "+s.Text), r.common.Width)
	}
	return common.Cut(st.StatusLine.Render(" "+s.Text), r.common.Width)
}

func (r *root) footer() string {
	if o := r.overlay.Overlay(); o != nil {
		return " " + r.help.ShortHelpView(o.ShortHelp())
	}
	page := r.pages[r.active]
	if r.help.ShowAll {
		return r.help.FullHelpView(append(page.FullHelp(), r.globalHelp()))
	}
	return " " + r.help.ShortHelpView(page.ShortHelp())
}

func (r *root) globalHelp() []key.Binding {
	k := r.common.Keys
	return []key.Binding{k.Inspector, k.Craft, k.Notify, k.Routes, k.Help, k.Quit, k.ForceQuit}
}

// fitHeight pads or cuts s to exactly n lines so the footer never moves.
func fitHeight(s string, n int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > n {
		lines = lines[:n]
	}
	for len(lines) < n {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}
