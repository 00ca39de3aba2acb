package inspector

import (
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"

	"github.com/hooktap/hooktap/tui/common"
)

// SetSize lays the page out in width×height cells.
func (m *Model) SetSize(width, height int) {
	m.width, m.height = width, height
	m.layout()
}

// filterRows is the filter field's height while it is open (more than one row when a refused
// query's reason shows under it), 1 while a filter is active, else 0.
func (m *Model) filterRows() int {
	switch {
	case m.filter.Focused():
		return m.filter.Height()
	case m.query != "":
		return 1
	}
	return 0
}

func (m *Model) layoutWithFilter() {
	m.filter.SetSize(m.width, 1)
	m.layout()
	// Opening the field takes a row before Focus runs; layout again once it is focused.
	defer m.layout()
}

// layout sizes list and detail as arrange says. Sizes are the panes' inner sizes (borders excluded).
func (m *Model) layout() {
	m.filter.SetSize(m.width, 1)
	h := m.height - m.filterRows()
	_, lw, lh, dw, dh := m.arrange(m.width, h)
	if lw > 0 { // hidden while the detail is zoomed: it keeps its size for when it returns
		m.list.SetSize(max(lw-2, 1), max(lh-2, 1))
	}
	if dw > 0 {
		m.detail.SetSize(max(dw-2, 1), max(dh-2, 1))
	}
}

// arrangement is how list and detail share the page.
type arrangement int

const (
	sideBySide arrangement = iota
	stacked
	listOnly // a short screen: the list alone; enter opens the detail full-screen
	zoomed   // the detail alone
)

// Layout bounds, in cells.
const (
	sideMinWidth  = 100 // narrower, list and detail stack
	minDetail     = 48  // the detail pane keeps at least this much beside the list
	stackMinRows  = 30  // shorter, the list shows alone
	stackListRows = 12
)

// arrange picks the arrangement for w×h and the outer sizes of the list and detail panes. The
// list is as wide as its content asks (route and event names whole), the detail takes the rest.
func (m *Model) arrange(w, h int) (a arrangement, lw, lh, dw, dh int) {
	full, essential := m.list.DesiredWidth()
	side := w >= sideMinWidth && essential+2 <= w-minDetail*3/4
	switch {
	case m.zoomed || (m.focus == focusDetail && !side && h < stackMinRows):
		return zoomed, 0, 0, w, h
	case side:
		lw = max(min(full+2, w-minDetail), essential+2)
		return sideBySide, lw, h, w - lw, h
	case h < stackMinRows && !m.welcoming():
		return listOnly, w, h, 0, 0
	case h < stackMinRows:
		lh = 5 // the store is empty: the detail pane says how to send a first request
		return stacked, w, lh, w, h - lh
	}
	lh = max(h*2/5, stackListRows)
	return stacked, w, lh, w, h - lh
}

// welcoming reports whether the store holds no capture at all (not a filter matching none).
func (m *Model) welcoming() bool { return m.list.Total() == 0 && m.list.Filter().IsZero() }

// View draws the page.
func (m *Model) View() string {
	var rows []string
	if m.filter.Focused() {
		rows = append(rows, m.filter.View())
	} else if m.query != "" {
		st := m.common.Styles
		rows = append(rows, common.Cut(st.Prompt.Render("filter ")+m.query+st.Dim.Render("  (/ edit · ctrl+l clear)"), m.width))
	}
	h := m.height - lipgloss.Height(strings.Join(rows, "\n"))
	if len(rows) == 0 {
		h = m.height
	}
	a, lw, lh, dw, dh := m.arrange(m.width, h)
	var listPane, detailPane string
	if lw > 0 {
		listPane = m.common.Pane(m.list.Title(), m.list.View(), lw, lh, m.focus == focusList)
	}
	if dw > 0 {
		detailPane = m.common.Pane(m.detailTitle(), m.detail.View(), dw, dh, m.focus == focusDetail)
	}
	switch a {
	case zoomed:
		rows = append(rows, detailPane)
	case listOnly:
		rows = append(rows, listPane)
	case sideBySide:
		rows = append(rows, lipgloss.JoinHorizontal(lipgloss.Top, listPane, detailPane))
	default:
		rows = append(rows, listPane, detailPane)
	}
	return strings.Join(rows, "\n")
}

func (m *Model) detailTitle() string {
	c := m.detail.Capture()
	if c == nil {
		return "Detail"
	}
	return fmt.Sprintf("#%s %s %s", common.ShortID(c.ID), c.Method, c.Path)
}
