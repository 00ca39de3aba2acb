package capturelist

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/signature"
	"github.com/hooktap/hooktap/tui/common"
)

// View draws the column header and the visible rows only: the cost does not depend on how many
// rows are loaded.
func (m *Model) View() string {
	st := m.common.Styles
	if m.store == nil {
		return st.Dim.Render("No capture store.")
	}
	cols := m.columns()
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
	if cols.app > 0 {
		parts = append(parts, "APP")
	}
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
		cols.stamp(c.ReceivedAt, m.common.Location),
		pad(c.Method, cols.method),
		pad(orDash(c.Route), cols.route),
		pad(orDash(c.Event), cols.event),
		verdict,
		padLeft(statusText(c.Status), 3),
	}
	appCell := -1
	if cols.app > 0 {
		appCell = len(cells)
		cells = append(cells, padLeft(appText(c), cols.app))
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
	if d, ok := lastDelivery(c); ok && appCell >= 0 {
		cells[appCell] = m.statusStyle(d.Status).Render(cells[appCell])
	}
	return common.Fit(strings.Join(cells, " "), m.width)
}

func lastDelivery(c *capture.Capture) (capture.Delivery, bool) {
	if len(c.Deliveries) == 0 {
		return capture.Delivery{}, false
	}
	return c.Deliveries[len(c.Deliveries)-1], true
}

// appText is the delivery target's answer: its status, "ERR" when none came, "–" when the
// capture was not delivered.
func appText(c *capture.Capture) string {
	d, ok := lastDelivery(c)
	switch {
	case !ok:
		return "–"
	case d.Error != "" || d.Status == 0:
		return "ERR"
	}
	return strconv.Itoa(d.Status)
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

// Title is the pane title: where the selection is among the captures that match
// ("Captures 123/85 066"), and the "N new" marker.
func (m *Model) Title() string {
	total := "…" // counting
	if m.counted {
		total = groupDigits(m.total)
	}
	title := "Captures " + total
	if pos := m.Position(); pos > 0 {
		title = "Captures " + groupDigits(pos) + "/" + total
	}
	if m.newCount > 0 {
		title += " · " + m.common.Styles.Marker.Render(fmt.Sprintf("%d new ↑", m.newCount))
	}
	return title
}

// groupDigits writes n with a space between thousands (85 066), as the position reads.
func groupDigits(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + " " + s[i:]
	}
	return s
}
