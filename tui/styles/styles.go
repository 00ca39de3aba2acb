package styles

import (
	"image/color"

	"charm.land/bubbles/v2/help"
	"charm.land/lipgloss/v2"
)

// Styles is every style the TUI draws with. Built once by DefaultStyles and shared through
// common.Common.
type Styles struct {
	Theme Theme

	Brand, HeaderText, HeaderKey, HeaderOK, HeaderWarn, HeaderFail lipgloss.Style

	Pane, PaneFocused, PaneTitle lipgloss.Style

	Row, RowSelected, RowSelectedBlurred, Dim, Marker lipgloss.Style

	VerdictOK, VerdictFail, VerdictSkip        lipgloss.Style
	StatusOK, StatusClientErr, StatusServerErr lipgloss.Style

	TabActive, TabInactive lipgloss.Style
	Label, Value, Code     lipgloss.Style

	StatusLine, StatusError, Prompt lipgloss.Style
	Overlay, OverlayTitle           lipgloss.Style

	DiffAdd, DiffDel, DiffHunk lipgloss.Style

	Help help.Styles
}

// DefaultStyles builds the styles from a theme.
func DefaultStyles(t Theme) *Styles {
	fg := func(c color.Color) lipgloss.Style { return lipgloss.NewStyle().Foreground(c) }
	s := &Styles{Theme: t}
	s.Brand = lipgloss.NewStyle().Bold(true).Foreground(t.Accent)
	s.HeaderText = fg(t.Text)
	s.HeaderKey = fg(t.Muted)
	s.HeaderOK, s.HeaderWarn, s.HeaderFail = fg(t.OK), fg(t.Warn), fg(t.Fail)

	s.Pane = lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(t.Border)
	s.PaneFocused = lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(t.BorderFocus)
	s.PaneTitle = lipgloss.NewStyle().Bold(true).Foreground(t.Accent)

	s.Row = fg(t.Text)
	s.RowSelected = lipgloss.NewStyle().Foreground(t.SelectedFg).Background(t.SelectedBg).Bold(true)
	s.RowSelectedBlurred = lipgloss.NewStyle().Foreground(t.SelectedFg).Background(t.Border)
	if t.Mono {
		// Without colour only reverse video marks the selection visibly.
		s.RowSelected = lipgloss.NewStyle().Reverse(true).Bold(true)
		s.RowSelectedBlurred = lipgloss.NewStyle().Reverse(true)
	}
	s.Dim = fg(t.Muted).Faint(t.Mono)
	s.Marker = lipgloss.NewStyle().Bold(true).Foreground(t.Warn)

	s.VerdictOK, s.VerdictFail, s.VerdictSkip = fg(t.OK), fg(t.Fail).Bold(true), fg(t.Muted)
	s.StatusOK, s.StatusClientErr, s.StatusServerErr = fg(t.OK), fg(t.Warn), fg(t.Fail)

	s.TabActive = lipgloss.NewStyle().Bold(true).Underline(true).Foreground(t.Accent)
	s.TabInactive = fg(t.Muted)
	s.Label, s.Value, s.Code = fg(t.Muted), fg(t.Text), fg(t.Info)

	s.StatusLine = fg(t.Muted)
	s.StatusError = fg(t.Fail).Bold(true)
	s.Prompt = fg(t.Accent).Bold(true)
	s.Overlay = lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(t.BorderFocus).Padding(0, 1)
	s.OverlayTitle = s.PaneTitle

	s.DiffAdd, s.DiffDel, s.DiffHunk = fg(t.OK), fg(t.Fail), fg(t.Info)
	s.Help = helpStyles(t)
	return s
}

func helpStyles(t Theme) help.Styles {
	h := help.DefaultStyles(t.Dark)
	if t.Mono {
		plain := lipgloss.NewStyle()
		return help.Styles{Ellipsis: plain, ShortKey: plain.Bold(true), ShortDesc: plain,
			ShortSeparator: plain, FullKey: plain.Bold(true), FullDesc: plain, FullSeparator: plain}
	}
	return h
}
