package routes

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/hooktap/hooktap/config"
	"github.com/hooktap/hooktap/tui/common"
)

// columnGap separates the URL columns from the rest of the row and from each other.
const columnGap = "  "

// urlColumns are the widths of the local and public URL columns; 0 hides a column.
type urlColumns struct{ local, public int }

// localURL is where the route answers on this machine.
func (m *Model) localURL(r config.Route) string {
	return config.RouteURL(m.localBase, r.Name)
}

// publicURL is where the internet reaches the route, "" when local only.
func (m *Model) publicURL(r config.Route) string {
	return config.RouteURL(m.PublicURL(), r.Name)
}

// url is what c copies: the route's public URL when there is one, else its local one.
func (m *Model) url(r config.Route) string {
	if u := m.publicURL(r); u != "" {
		return u
	}
	return m.localURL(r)
}

// View draws the table and the selected route's details.
func (m *Model) View() string {
	st := m.common.Styles
	routes := m.routes()
	if len(routes) == 0 {
		return st.Dim.Render("No routes configured.")
	}
	cols := m.urlColumns(routes)
	var b strings.Builder
	head := fmt.Sprintf("%-18s %-12s %-9s %-18s %8s", "ROUTE", "VERIFY", "SECURITY", "LIMITS", "CAPTURES")
	b.WriteString(st.Dim.Render(common.Fit(head+cols.cells("LOCAL URL", "PUBLIC URL"), m.width)))
	for i, r := range routes {
		line := common.Fit(m.row(r)+cols.cells(m.localURL(r), m.publicURL(r)), m.width)
		if i == m.cursor {
			line = st.RowSelected.Render(line)
		}
		b.WriteString("\n" + line)
	}
	b.WriteString("\n\n" + m.details(routes[m.cursor]))
	return b.String()
}

// urlColumns shows the URLs in the table once a public URL is known: both when they fit the
// width, else the public one (what c copies); the details below always show both.
func (m *Model) urlColumns(routes config.Routes) urlColumns {
	if m.PublicURL() == "" {
		return urlColumns{}
	}
	var cols urlColumns
	for _, r := range routes {
		cols.local = max(cols.local, ansi.StringWidth(m.localURL(r)))
		cols.public = max(cols.public, ansi.StringWidth(m.publicURL(r)))
	}
	base := ansi.StringWidth(m.row(routes[0]))
	switch {
	case base+2*len(columnGap)+cols.local+cols.public <= m.width:
		return cols
	case base+len(columnGap)+cols.public <= m.width:
		return urlColumns{public: cols.public}
	}
	return urlColumns{}
}

// cells lays out the visible URL columns for one row.
func (c urlColumns) cells(local, public string) string {
	var out string
	if c.local > 0 {
		out += columnGap + common.Fit(local, c.local)
	}
	if c.public > 0 {
		out += columnGap + common.Fit(public, c.public)
	}
	return out
}

func (m *Model) row(r config.Route) string {
	var g config.Gateway
	if m.cfg != nil {
		g = m.cfg.Gateway
	}
	eff := r.Effective(g)
	limits := fmt.Sprintf("%d/min %s", eff.RateLimit, common.HumanSize(int(eff.MaxBodyBytes)))
	return fmt.Sprintf("%-18s %-12s %-9s %-18s %8d", common.Cut(r.Name, 18), common.Cut(m.verifyLabel(r), 12),
		security(eff), limits, m.counts[r.Name])
}

func (m *Model) details(r config.Route) string {
	st := m.common.Styles
	line := func(label, value string) string {
		return st.Label.Render(fmt.Sprintf("%-10s", label)) + " " + value
	}
	public := st.Dim.Render("— tunnel offline")
	if u := m.publicURL(r); u != "" {
		public = u
	}
	lines := []string{line("local", m.localURL(r)), line("public", public)}
	if pin, ok := m.pins[r.Name]; ok && r.Verify == "" {
		lines = append(lines, line("verify", pin.Scheme+" — pinned by its first verified delivery "+pin.CaptureID+
			"; other schemes are refused (set verify: to choose)"))
	}
	if r.Description != "" {
		lines = append(lines, line("about", r.Description))
	}
	if len(r.Events) > 0 {
		lines = append(lines, line("events", strings.Join(r.Events, ", ")))
	}
	deliver := r.Deliver
	if deliver == "" {
		deliver = "log"
	}
	lines = append(lines, line("deliver", deliver), "", st.Dim.Render("c copies the URL"))
	return strings.Join(lines, "\n")
}

func security(eff config.RouteSettings) string {
	switch {
	case eff.Insecure:
		return "INSECURE"
	case eff.NoSecret:
		return "none"
	}
	return fmt.Sprintf("%d secret", len(eff.Secrets))
}

func orAuto(s string) string {
	if s == "" {
		return "auto"
	}
	return s
}

// verifyLabel is the scheme a route accepts: its verify:, its pinned scheme (marked *), or auto
// until its first verified delivery pins one.
func (m *Model) verifyLabel(r config.Route) string {
	if pin, ok := m.pins[r.Name]; ok && r.Verify == "" {
		return pin.Scheme + "*"
	}
	return orAuto(r.Verify)
}
