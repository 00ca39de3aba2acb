// Package header draws the top bar: gateway address, tunnel URL or state, routes and the
// request rate.
package header

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/hooktap/hooktap/tui/common"
	"github.com/hooktap/hooktap/tunnel"
)

// LocalOnlyHint is what the header says when no tunnel runs and no public_base_url is set.
const LocalOnlyHint = "local only — set NGROK_AUTHTOKEN to expose"

// hintLines caps how many lines a tunnel error's hint may take in a narrow header.
const hintLines = 2

// Model is the header's state; the root feeds it.
type Model struct {
	common      *common.Common
	GatewayAddr string
	Routes      int
	Tunnel      tunnel.Status
	// PublicBaseURL is gateway.public_base_url (an own tunnel such as cloudflared); it is shown
	// while the embedded tunnel has no URL.
	PublicBaseURL string
	Page          common.PageID
	rate          Rate
	updates       <-chan tunnel.Status
}

// New returns a header for a gateway at addr with routes routes.
func New(c *common.Common, addr string, routes int) *Model {
	return &Model{common: c, GatewayAddr: addr, Routes: routes, Tunnel: tunnel.Status{State: tunnel.StateOff}}
}

// routeCount follows the live routes (subscriptions come and go) when the header can read them.
func (m *Model) routeCount() int {
	if m.common.Routes != nil {
		return len(m.common.RouteList())
	}
	return m.Routes
}

// Rate returns the request-rate counter.
func (m *Model) Rate() *Rate { return &m.rate }

// View draws one line when everything fits the width; otherwise the public URL or tunnel state
// gets a line of its own, and a tunnel error's hint up to two more.
func (m *Model) View(width int) string {
	st := m.common.Styles
	brand := st.Brand.Render(" hooktap")
	gateway := st.HeaderOK.Render("●") + " " + st.HeaderText.Render("gateway "+m.GatewayAddr)
	if m.GatewayAddr == "" {
		gateway = st.HeaderFail.Render("●") + " " + st.HeaderText.Render("gateway off")
	}
	routes := st.HeaderText.Render(plural(m.routeCount(), "route"))
	if m.common.Attached != "" {
		// The gateway and its routes are the remote hooktap's; say whose captures these are.
		gateway = st.HeaderOK.Render("●") + " " + st.HeaderText.Render("attached "+m.common.Attached)
		routes = st.HeaderText.Render("remote")
	}
	rate := st.HeaderText.Render(fmt.Sprintf("%d req/min", m.rate.PerMinute(m.common.Now())))
	page := st.HeaderKey.Render("[" + m.Page.String() + "]")
	reach, hint := m.reachText()
	wide := reach
	if hint != "" {
		wide += st.HeaderFail.Render(" — " + hint)
	}
	one := strings.Join([]string{brand, gateway, wide, routes, rate, page}, "   ")
	if ansi.StringWidth(one) <= width {
		return one
	}
	first := strings.Join([]string{brand, gateway, routes, rate, page}, "  ")
	lines := []string{common.Cut(first, width), common.Cut(" "+reach, width)}
	return strings.Join(append(lines, m.hintLines(hint, width)...), "\n")
}

// hintLines wraps a tunnel error's hint under the error, indented, in at most hintLines lines.
func (m *Model) hintLines(hint string, width int) []string {
	if hint == "" || width <= 4 {
		return nil
	}
	const indent = "   "
	wrapped := wrapWords(hint, width-len(indent))
	if len(wrapped) > hintLines {
		// The rest joins the last line, which Cut then ends with an ellipsis.
		wrapped[hintLines-1] = strings.Join(wrapped[hintLines-1:], " ")
		wrapped = wrapped[:hintLines]
	}
	out := make([]string, len(wrapped))
	for i, l := range wrapped {
		out[i] = common.Cut(indent+m.common.Styles.HeaderFail.Render(l), width)
	}
	return out
}

// wrapWords breaks s at spaces only, so a URL in a hint stays whole (and copyable); a word wider
// than width gets a line of its own and is cut later.
func wrapWords(s string, width int) []string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(s) {
		switch {
		case line == "":
			line = w
		case ansi.StringWidth(line)+1+ansi.StringWidth(w) <= width:
			line += " " + w
		default:
			lines = append(lines, line)
			line = w
		}
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}

// Height is how many lines View takes at width.
func (m *Model) Height(width int) int { return strings.Count(m.View(width), "\n") + 1 }

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// Rate counts arrivals over the last minute in one-second buckets, so a flood costs the same
// as a trickle.
type Rate struct {
	buckets [60]struct {
		sec int64
		n   int
	}
}

// Add records arrivals.
func (r *Rate) Add(times ...time.Time) {
	for _, t := range times {
		sec := t.Unix()
		b := &r.buckets[sec%60]
		if b.sec != sec {
			b.sec, b.n = sec, 0
		}
		b.n++
	}
}

// PerMinute is how many arrivals fall in the minute up to now.
func (r *Rate) PerMinute(now time.Time) int {
	total, cut := 0, now.Unix()-60
	for _, b := range r.buckets {
		if b.sec > cut && b.sec <= now.Unix() {
			total += b.n
		}
	}
	return total
}
