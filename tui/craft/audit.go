package craft

import (
	"context"
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/hooktap/hooktap/audit"
	"github.com/hooktap/hooktap/tui/common"
	"github.com/hooktap/hooktap/tui/overlay"
)

// auditMsg carries a finished audit of the craft page's target.
type auditMsg struct {
	scorecard *audit.Scorecard
	err       error
}

// startAudit grades the target with the selected provider and event. A route is audited with its
// own secret; a URL asks for the endpoint's secret first.
func (m *Model) startAudit() tea.Cmd {
	if m.replayer == nil {
		return common.Error(ErrNoReplayer)
	}
	if m.running {
		return common.Status("A send is still running.")
	}
	if r, ok := m.targetRoute(); ok {
		secret := unsignedSecret
		if s := r.Effective(m.cfg.Gateway); len(s.Secrets) > 0 {
			secret = s.Secrets[0].Value
		}
		return m.runAudit(secret)
	}
	p, _ := m.selected()
	return common.OpenOverlay(overlay.NewPrompt(m.common, "Audit "+m.customURL,
		"The endpoint's "+p.Name+" signing secret: every delivery of the audit is signed with it.", "", m.runAudit))
}

func (m *Model) runAudit(secret string) tea.Cmd {
	p, event := m.selected()
	o := audit.Options{URL: m.targetURL(), Provider: p.Name, Event: event, Secret: secret, Sender: m.replayer}
	m.running = true
	return tea.Sequence(common.Busy(fmt.Sprintf("Auditing %s as %s would deliver…", m.targetName(), p.Name)),
		func() tea.Msg {
			sc, err := audit.Run(context.Background(), o)
			return auditMsg{scorecard: sc, err: err}
		})
}

func (m *Model) auditDone(msg auditMsg) tea.Cmd {
	m.running = false
	if msg.err != nil {
		return common.Error(msg.err)
	}
	m.scorecard = msg.scorecard
	sc := msg.scorecard
	verdict := "passed"
	if !sc.Passed {
		verdict = "failed"
	}
	return common.Status(fmt.Sprintf("Audit %s: %d of %d required checks passed, %d warning(s); each request is captured (source:audit)",
		verdict, sc.RequiredPassed, sc.RequiredTotal, sc.Warnings))
}

// scorecardView draws the last audit: a line per check, and under a failure or warning what it
// means and the fix.
func (m *Model) scorecardView() string {
	st := m.common.Styles
	sc := m.scorecard
	lines := []string{st.Label.Render(fmt.Sprintf(" Audit of %s (%s %s): %d of %d required checks passed",
		sc.URL, sc.Provider, sc.Event, sc.RequiredPassed, sc.RequiredTotal))}
	for _, c := range sc.Checks {
		mark := c.Status.Mark()
		switch c.Status {
		case audit.Pass:
			mark = st.VerdictOK.Render(mark)
		case audit.Fail:
			mark = st.VerdictFail.Render(mark)
		case audit.Warn:
			mark = st.StatusClientErr.Render(mark)
		default:
			mark = st.Dim.Render(mark)
		}
		lines = append(lines, common.Cut(fmt.Sprintf(" %s %s — %s", mark, c.Title, c.Got), m.width))
		if c.Status == audit.Fail || c.Status == audit.Warn {
			lines = append(lines, common.Cut(st.Dim.Render("     "+c.Meaning), m.width),
				common.Cut(st.Dim.Render("     fix: "+c.Fix), m.width))
		}
	}
	return strings.Join(lines, "\n")
}
