package detail

import (
	"fmt"
	"strings"
	"time"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/signature"
	"github.com/hooktap/hooktap/tui/common"
	"github.com/hooktap/hooktap/tui/styles"
)

// reasonWords says each reason code in words; the code itself is shown too so users can
// search for it in the docs and in filters.
var reasonWords = map[signature.Reason]string{
	signature.ReasonOK:                 "signature verified",
	signature.ReasonMissingHeader:      "signature header missing",
	signature.ReasonMalformedHeader:    "signature header malformed",
	signature.ReasonMismatch:           "signature mismatch",
	signature.ReasonTimestampTolerance: "timestamp outside the tolerance",
	signature.ReasonNoSecret:           "no secret configured",
	signature.ReasonSkipped:            "verification skipped",
}

// VerdictLine is the one-line verdict: symbol, words, reason code and scheme.
func VerdictLine(st *styles.Styles, o signature.Outcome) string {
	words := reasonWords[o.Reason]
	if words == "" {
		words = string(o.Result)
	}
	line := fmt.Sprintf("%s %s", common.VerdictSymbol(o.Result), words)
	if o.Reason != "" && o.Reason != signature.ReasonOK {
		line += " (" + string(o.Reason) + ")"
	}
	if o.Scheme != "" {
		line += " · " + o.Scheme
	}
	switch o.Result {
	case signature.Verified:
		return st.VerdictOK.Render(line)
	case signature.Failed:
		return st.VerdictFail.Render(line)
	default:
		return st.VerdictSkip.Render(line)
	}
}

type fields struct {
	st *styles.Styles
	b  strings.Builder
}

func (f *fields) add(label, value string) {
	if value == "" {
		return
	}
	fmt.Fprintf(&f.b, "%s %s\n", f.st.Label.Render(fmt.Sprintf("%-12s", label)), f.st.Value.Render(value))
}

func (f *fields) line(s string) { f.b.WriteString(s + "\n") }

func (f *fields) String() string { return strings.TrimRight(f.b.String(), "\n") }

func summaryView(st *styles.Styles, c *capture.Capture, loc *time.Location) string {
	f := &fields{st: st}
	o := c.Verification
	f.line(VerdictLine(st, o))
	if o.Detail != "" {
		f.line("  " + o.Detail)
	}
	if len(o.Diagnosis) > 0 {
		f.line(st.Label.Render("doctor:"))
		for _, d := range o.Diagnosis {
			f.line(fmt.Sprintf("  • %s %s", st.Code.Render(d.Code), d.Message))
		}
	}
	f.line("")
	f.add("event", c.Event)
	f.add("delivery", c.DeliveryID)
	f.add("route", c.Route)
	f.add("request", strings.TrimSpace(c.Method+" "+pathWithQuery(c)))
	f.add("received", c.ReceivedAt.In(loc).Format("2006-01-02 15:04:05.000 MST"))
	f.add("source", sourceText(c))
	f.add("secret", o.MatchedSecret)
	f.add("expected", o.Expected)
	f.add("sent", o.Received)
	f.add("signed", o.SignedString)
	f.add("replay of", c.ReplayOf)
	f.add("id", c.ID)
	return f.String()
}

func sourceText(c *capture.Capture) string {
	if c.Peer == "" {
		return string(c.Source)
	}
	return fmt.Sprintf("%s from %s", c.Source, c.Peer)
}

func pathWithQuery(c *capture.Capture) string {
	if c.Query == "" {
		return c.Path
	}
	return c.Path + "?" + c.Query
}

func headersView(st *styles.Styles, c *capture.Capture, hint string) string {
	if len(c.Headers) == 0 {
		return st.Dim.Render("(no headers)")
	}
	width := 0
	for _, h := range c.Headers {
		width = max(width, len(h.Name))
	}
	width = min(width, 28)
	var b strings.Builder
	b.WriteString(st.Dim.Render(hint) + "\n\n")
	for _, h := range c.Headers {
		fmt.Fprintf(&b, "%s %s\n", st.Label.Render(fmt.Sprintf("%-*s", width, h.Name+":")), h.Value)
	}
	return strings.TrimRight(b.String(), "\n")
}

func responseView(st *styles.Styles, c *capture.Capture, chromaStyle string) string {
	f := &fields{st: st}
	f.add("status", fmt.Sprintf("%d", c.Status))
	f.add("latency", common.HumanLatency(c.Latency))
	f.line("")
	f.line(bodyView(c.ResponseBody, "application/json", BodyPretty, chromaStyle))
	if c.Rendered != "" {
		f.line("")
		f.line(st.Label.Render("rendered template:"))
		f.line(c.Rendered)
	}
	f.line("")
	for _, l := range outboxLines(st, c) {
		f.line(l)
	}
	if len(c.Deliveries) == 0 {
		f.line(st.Dim.Render("no deliveries"))
		return f.String()
	}
	f.line(st.Label.Render(fmt.Sprintf("deliveries (%d):", len(c.Deliveries))))
	for _, d := range c.Deliveries {
		f.line(deliveryLine(st, d))
	}
	return f.String()
}

func deliveryLine(st *styles.Styles, d capture.Delivery) string {
	mark := st.VerdictOK.Render("✓")
	if d.Error != "" || d.Status >= 400 || d.Status == 0 {
		mark = st.VerdictFail.Render("✗")
	}
	line := fmt.Sprintf("  %s #%d %s → %d in %s", mark, d.Attempt, d.Target, d.Status, common.HumanLatency(d.Duration))
	if d.Error != "" {
		line += "  " + st.StatusError.Render(d.Error)
	}
	return line
}
