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

// layout sizes list and detail: side by side when wide, stacked when not, the detail alone
// when zoomed. Sizes are the panes' inner sizes (borders excluded).
func (m *Model) layout() {
	m.filter.SetSize(m.width, 1)
	h := m.height - m.filterRows()
	lw, lh, dw, dh := m.paneSizes(m.width, h)
	m.list.SetSize(max(lw-2, 1), max(lh-2, 1))
	m.detail.SetSize(max(dw-2, 1), max(dh-2, 1))
	if m.overlay != nil {
		m.overlay.SetSize(max(m.width-4, 10), max(m.height-4, 3))
	}
}

// paneSizes returns the outer sizes of the list and detail panes.
func (m *Model) paneSizes(w, h int) (lw, lh, dw, dh int) {
	switch {
	case m.zoomed:
		return 0, 0, w, h
	case w >= wideWidth:
		lw = w * 9 / 20
		return lw, h, w - lw, h
	default:
		lh = max(h*2/5, 5)
		return w, lh, w, h - lh
	}
}

// View draws the page.
func (m *Model) View() string {
	if m.overlay != nil {
		return m.overlayView()
	}
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
	lw, lh, dw, dh := m.paneSizes(m.width, h)
	detailPane := m.common.Pane(m.detailTitle(), m.detail.View(), dw, dh, m.focus == focusDetail)
	switch {
	case m.zoomed:
		rows = append(rows, detailPane)
	case m.width >= wideWidth:
		listPane := m.common.Pane(m.list.Title(), m.list.View(), lw, lh, m.focus == focusList)
		rows = append(rows, lipgloss.JoinHorizontal(lipgloss.Top, listPane, detailPane))
	default:
		listPane := m.common.Pane(m.list.Title(), m.list.View(), lw, lh, m.focus == focusList)
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

func (m *Model) overlayView() string {
	return m.common.Pane(m.overlay.Title(), m.overlay.View(), m.width, m.height, true)
}
