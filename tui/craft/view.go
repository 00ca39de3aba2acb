package craft

import (
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"

	"github.com/hooktap/hooktap/tui/common"
)

// View draws the three choosers, the body summary and the last answers.
func (m *Model) View() string {
	colW := max((m.width-2)/3, 12)
	listH := max(m.height/2, 5)
	p, event := m.selected()
	providers := make([]string, len(m.providers))
	for i, pr := range m.providers {
		providers[i] = pr.Name
	}
	targets := make([]string, 0, len(m.routes())+1)
	for _, r := range m.routes() {
		targets = append(targets, "route "+r.Name)
	}
	targets = append(targets, "URL "+m.customURL)
	cols := lipgloss.JoinHorizontal(lipgloss.Top,
		m.common.Pane("Provider", m.column(providers, m.provider, colW-2, listH-2), colW, listH, m.focus == fieldProvider),
		m.common.Pane("Event", m.column(p.Events, m.event, colW-2, listH-2), colW, listH, m.focus == fieldEvent),
		m.common.Pane("Target", m.column(targets, m.target, m.width-2*colW-2, listH-2), m.width-2*colW, listH, m.focus == fieldTarget),
	)
	return cols + "\n" + m.summary(p.Name, p.Scheme, event) + "\n" + m.resultsView()
}

// column lists items in height rows, scrolled so the selected one shows (GitHub and Stripe have
// 20 events each).
func (m *Model) column(items []string, selected, width, height int) string {
	st := m.common.Styles
	first := 0
	if height > 0 && selected >= height {
		first = selected - height + 1
	}
	end := len(items)
	if height > 0 {
		end = min(end, first+height)
	}
	lines := make([]string, 0, end-first)
	for i := first; i < end; i++ {
		line := common.Fit(" "+items[i], width)
		if i == selected {
			line = st.RowSelected.Render(line)
		}
		lines = append(lines, line)
	}
	return strings.Join(lines, "\n")
}

func (m *Model) summary(provider, scheme, event string) string {
	st := m.common.Styles
	body := "fixture body"
	if m.body != nil {
		body = fmt.Sprintf("edited body (%s)", common.HumanSize(len(m.body)))
	}
	line := fmt.Sprintf(" %s %s · %s · %s · to %s", provider, event, scheme, body, m.targetName())
	if m.replayer == nil {
		return common.Cut(line, m.width) + "\n " + st.StatusError.Render(ErrNoReplayer.Error())
	}
	return common.Cut(line, m.width) + "\n " + st.Dim.Render("enter/ctrl+s send · ctrl+t tampered · ctrl+o stale · ctrl+y duplicate · ctrl+g oversize · ctrl+b burst · a audit")
}

func (m *Model) resultsView() string {
	st := m.common.Styles
	if m.scorecard != nil {
		return m.scorecardView()
	}
	if len(m.results) == 0 {
		return st.Dim.Render(" No sends yet.")
	}
	lines := []string{st.Label.Render(" Answers:")}
	for _, r := range m.results {
		text := " " + r.summary()
		if r.err != nil {
			text = st.StatusError.Render(text)
		}
		lines = append(lines, common.Cut(text, m.width))
	}
	return strings.Join(lines, "\n")
}
