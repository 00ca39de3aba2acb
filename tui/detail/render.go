package detail

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/signature"
	"github.com/hooktap/hooktap/tui/bodyview"
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
	if o.Result == "" {
		words = "not verified: the gateway answered before the signature step"
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

// prose lays out the text tabs (and the empty pane) at the pane's width.
func (m *Model) prose() string {
	st, c := m.common.Styles, m.common.Shown(m.capture)
	p := &prose{st: st}
	switch {
	case c == nil:
		p.rows = m.emptyRows()
	case m.tab == TabHeaders:
		headersView(p, c, m.revealHint())
	case m.tab == TabResponse:
		responseView(p, c, m.width, st.Theme.ChromaStyle)
	default:
		summaryView(p, c, m.common.Location)
	}
	return p.layout(m.width)
}

func summaryView(p *prose, c *capture.Capture, loc *time.Location) {
	o := c.Verification
	p.line(VerdictLine(p.st, o))
	if o.Detail != "" {
		p.line("  " + o.Detail)
	}
	if len(o.Diagnosis) > 0 {
		p.line(p.st.Label.Render("doctor:"))
		for _, d := range o.Diagnosis {
			p.item("  • ", p.st.Code.Render(d.Code)+" "+d.Message)
		}
	}
	p.line("")
	p.field("answer", Answer(c))
	p.field("event", c.Event)
	p.field("delivery", c.DeliveryID)
	p.field("route", c.Route)
	p.field("request", strings.TrimSpace(c.Method+" "+pathWithQuery(c)))
	p.field("received", c.ReceivedAt.In(loc).Format("2006-01-02 15:04:05.000 MST"))
	p.field("source", sourceText(c))
	p.field("secret", o.MatchedSecret)
	p.field("expected", o.Expected)
	p.field("sent", o.Received)
	p.field("signed", o.SignedString)
	p.field("replay of", c.ReplayOf)
	p.field("id", c.ID)
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

func headersView(p *prose, c *capture.Capture, hint string) {
	p.line(p.st.Dim.Render(hint))
	p.line("")
	if len(c.Headers) == 0 {
		p.line(p.st.Dim.Render("(no headers)"))
		return
	}
	writeHeaders(p, c.Headers)
}

// writeHeaders lists headers in their order on the wire, names in one column.
func writeHeaders(p *prose, hs []capture.Header) {
	width := 0
	for _, h := range hs {
		width = max(width, len(h.Name)+1)
	}
	width = min(width, 28)
	for _, h := range hs {
		p.item(p.st.Label.Render(fmt.Sprintf("%-*s", width, h.Name+":"))+" ", h.Value)
	}
}

func responseView(p *prose, c *capture.Capture, width int, chromaStyle string) {
	status := "no answer"
	if c.Status != 0 {
		status = fmt.Sprintf("%d %s", c.Status, http.StatusText(c.Status))
	}
	p.field("status", status)
	p.field("answer", Answer(c))
	p.field("latency", common.HumanLatency(c.Latency))
	if len(c.ResponseHeaders) > 0 {
		p.line("")
		writeHeaders(p, c.ResponseHeaders)
	}
	p.line("")
	body, err := bodyview.Layout(context.Background(), c.ResponseBody, "application/json", bodyview.Pretty, width, chromaStyle)
	if err == nil {
		for i := range body.Len() {
			p.line(body.Line(i))
		}
	}
	if c.Rendered != "" {
		p.line("")
		p.line(p.st.Label.Render("rendered template:"))
		p.line(c.Rendered)
	}
	p.line("")
	for _, l := range outboxLines(p.st, c) {
		p.line(l)
	}
	if len(c.Deliveries) == 0 {
		p.line(p.st.Dim.Render("no deliveries"))
		return
	}
	p.line(p.st.Label.Render(fmt.Sprintf("deliveries (%d):", len(c.Deliveries))))
	for _, d := range c.Deliveries {
		deliveryLine(p, d)
	}
}

func deliveryLine(p *prose, d capture.Delivery) {
	if d.NotAttempted() {
		p.item("  "+p.st.Dim.Render("–")+" ", d.Target+": "+d.Error)
		return
	}
	mark := p.st.VerdictOK.Render("✓")
	if d.Error != "" || d.Status >= 400 || d.Status == 0 {
		mark = p.st.VerdictFail.Render("✗")
	}
	text := fmt.Sprintf("#%d %s → %d in %s", d.Attempt, d.Target, d.Status, common.HumanLatency(d.Duration))
	if d.Error != "" {
		text += "  " + p.st.StatusError.Render(d.Error)
	}
	p.item("  "+mark+" ", text)
}
