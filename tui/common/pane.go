package common

import (
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// Pane draws content in a rounded box of exactly width×height cells with title set into the
// top border (lipgloss borders carry no title). Content is cut or padded to fit.
func (c *Common) Pane(title, content string, width, height int, focused bool) string {
	if width < 4 || height < 2 {
		return ""
	}
	style := c.Styles.Pane
	if focused {
		style = c.Styles.PaneFocused
	}
	border := lipgloss.NewStyle().Foreground(style.GetBorderTopForeground())
	innerW, innerH := width-2, height-2
	top := "╭"
	if title != "" {
		t := Cut(title, innerW-3)
		top += "─ " + c.Styles.PaneTitle.Render(t) + " "
	}
	top = border.Render(top) + border.Render(strings.Repeat("─", max(innerW+1-ansi.StringWidth(top), 0))+"╮")
	var b strings.Builder
	b.WriteString(top)
	lines := strings.Split(content, "\n")
	side := border.Render("│")
	for i := range innerH {
		line := ""
		if i < len(lines) {
			line = lines[i]
		}
		b.WriteString("\n" + side + Fit(line, innerW) + side)
	}
	b.WriteString("\n" + border.Render("╰"+strings.Repeat("─", innerW)+"╯"))
	return b.String()
}
