package capturelist

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/signature"
	"github.com/hooktap/hooktap/tui/common"
)

// columns are the cell widths of one layout; zero hides a column.
type columns struct {
	time, method, route, event, size, latency int
}

// layout fits the columns to width: time, method, verdict and status always show; route and
// event share what is left; size and latency go first when space is short.
func layout(width int) columns {
	c := columns{time: 8, method: 6, size: 5, latency: 6}
	fixed := func() int {
		// Separators: one space after each shown column; verdict 1 and status 3 always show.
		n := c.time + 1 + c.method + 1 + 2 + 4
		if c.size > 0 {
			n += c.size + 1
		}
		if c.latency > 0 {
			n += c.latency + 1
		}
		return n + 2
	}
	if width-fixed() < 24 {
		c.latency = 0
	}
	if width-fixed() < 20 {
		c.size = 0
	}
	rest := max(width-fixed(), 8)
	c.route = max(rest*2/5, 4)
	c.event = max(rest-c.route, 4)
	return c
}

// View draws the column header and the visible rows only: the cost does not depend on how many
// rows are loaded.
func (m *Model) View() string {
	st := m.common.Styles
	if m.store == nil {
		return st.Dim.Render("No capture store.")
	}
	cols := layout(m.width)
	var b strings.Builder
	b.WriteString(st.Dim.Render(common.Fit(cols.header(), m.width)))
	if len(m.rows) == 0 {
		b.WriteString("\n" + st.Dim.Render(m.emptyText()))
		return b.String()
	}
	end := min(m.offset+m.visibleRows(), len(m.rows))
	for i := m.offset; i < end; i++ {
		b.WriteString("\n")
		b.WriteString(m.renderRow(m.rows[i], cols, i == m.cursor))
	}
	return b.String()
}

func (m *Model) emptyText() string {
	switch {
	case m.loading:
		return "Loading…"
	case m.err != nil:
		return "Could not read captures: " + m.err.Error()
	case !m.filter.IsZero():
		return "No capture matches the filter."
	default:
		return "No captures yet — Detail says how to send one."
	}
}

func (cols columns) header() string {
	parts := []string{pad("TIME", cols.time), pad("METHOD", cols.method), pad("ROUTE", cols.route),
		pad("EVENT", cols.event), "V", "STA"}
	if cols.size > 0 {
		parts = append(parts, padLeft("SIZE", cols.size))
	}
	if cols.latency > 0 {
		parts = append(parts, padLeft("LAT", cols.latency))
	}
	return strings.Join(parts, " ")
}

func (m *Model) renderRow(c *capture.Capture, cols columns, selected bool) string {
	st := m.common.Styles
	verdict := common.VerdictSymbol(c.Verification.Result)
	cells := []string{
		c.ReceivedAt.In(m.common.Location).Format("15:04:05"),
		pad(c.Method, cols.method),
		pad(orDash(c.Route), cols.route),
		pad(orDash(c.Event), cols.event),
		verdict,
		padLeft(statusText(c.Status), 3),
	}
	if cols.size > 0 {
		cells = append(cells, padLeft(common.HumanSize(common.BodySize(c)), cols.size))
	}
	if cols.latency > 0 {
		cells = append(cells, padLeft(common.HumanLatency(c.Latency), cols.latency))
	}
	if selected {
		// The selected row is styled as one run so its background is unbroken.
		style := st.RowSelected
		if !m.focused {
			style = st.RowSelectedBlurred
		}
		return style.Render(common.Fit(strings.Join(cells, " "), m.width))
	}
	cells[4] = m.verdictStyle(c.Verification.Result).Render(verdict)
	cells[5] = m.statusStyle(c.Status).Render(cells[5])
	return common.Fit(strings.Join(cells, " "), m.width)
}

func (m *Model) verdictStyle(r signature.Result) interface{ Render(...string) string } {
	st := m.common.Styles
	switch r {
	case signature.Verified:
		return st.VerdictOK
	case signature.Failed:
		return st.VerdictFail
	}
	return st.VerdictSkip
}

func (m *Model) statusStyle(code int) interface{ Render(...string) string } {
	st := m.common.Styles
	switch {
	case code >= 500 || code == 0:
		return st.StatusServerErr
	case code >= 400:
		return st.StatusClientErr
	}
	return st.StatusOK
}

func statusText(code int) string {
	if code == 0 {
		return "–"
	}
	return strconv.Itoa(code)
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func pad(s string, width int) string { return common.Fit(s, width) }

func padLeft(s string, width int) string {
	f := common.Fit(s, width)
	trimmed := strings.TrimRight(f, " ")
	return strings.Repeat(" ", len(f)-len(trimmed)) + trimmed
}

// Title is the pane title: count, loaded state and the "N new" marker.
func (m *Model) Title() string {
	title := fmt.Sprintf("Captures %d", m.total)
	if m.newCount > 0 {
		title += " · " + m.common.Styles.Marker.Render(fmt.Sprintf("%d new ↑", m.newCount))
	}
	return title
}
