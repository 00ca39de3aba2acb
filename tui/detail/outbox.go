package detail

import (
	"fmt"
	"time"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/tui/styles"
)

// outboxLines shows the deliveries this capture still owes (or gave up on), with what to do
// about a dead one; nothing when every delivery was made.
func outboxLines(st *styles.Styles, c *capture.Capture) []string {
	if len(c.Outbox) == 0 {
		return nil
	}
	lines := []string{st.Label.Render(fmt.Sprintf("outbox (%d owed):", len(c.Outbox)))}
	for _, e := range c.Outbox {
		lines = append(lines, "  "+outboxLine(st, e))
	}
	return append(lines, "")
}

func outboxLine(st *styles.Styles, e capture.OutboxEntry) string {
	head := fmt.Sprintf("%s → %s", e.Kind, e.Target)
	last := ""
	if e.Attempts > 0 {
		last = fmt.Sprintf(" — attempt %d failed: %s", e.Attempts, outboxFailure(e))
	}
	if e.State == capture.OutboxDead {
		return st.VerdictFail.Render("✗ dead") + " " + head + last +
			st.Dim.Render(fmt.Sprintf("  (hooktap deliveries retry %d)", e.ID))
	}
	when := "due now"
	if wait := time.Until(e.NextAt); wait > time.Second {
		when = "next try in " + wait.Round(time.Second).String()
	}
	return st.Dim.Render("… pending") + " " + head + last + st.Dim.Render("  ("+when+")")
}

func outboxFailure(e capture.OutboxEntry) string {
	if e.LastError != "" {
		return e.LastError
	}
	return fmt.Sprintf("answered %d", e.LastStatus)
}
