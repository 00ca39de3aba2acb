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

// LocalOnlyHint is what the header says when no tunnel runs.
const LocalOnlyHint = "local only — set NGROK_AUTHTOKEN to expose"

// Model is the header's state; the root feeds it.
type Model struct {
	common      *common.Common
	GatewayAddr string
	Routes      int
	Tunnel      tunnel.Status
	Page        common.PageID
	rate        Rate
}

// New returns a header for a gateway at addr with routes routes.
func New(c *common.Common, addr string, routes int) *Model {
	return &Model{common: c, GatewayAddr: addr, Routes: routes, Tunnel: tunnel.Status{State: tunnel.StateOff}}
}

// Rate returns the request-rate counter.
func (m *Model) Rate() *Rate { return &m.rate }

// View draws one line, or two when one does not fit the width.
func (m *Model) View(width int) string {
	st := m.common.Styles
	brand := st.Brand.Render(" hooktap")
	gateway := st.HeaderOK.Render("●") + " " + st.HeaderText.Render("gateway "+m.GatewayAddr)
	if m.GatewayAddr == "" {
		gateway = st.HeaderFail.Render("●") + " " + st.HeaderText.Render("gateway off")
	}
	routes := st.HeaderText.Render(plural(m.Routes, "route"))
	rate := st.HeaderText.Render(fmt.Sprintf("%d req/min", m.rate.PerMinute(m.common.Now())))
	page := st.HeaderKey.Render("[" + m.Page.String() + "]")
	tun := m.tunnelText()
	one := strings.Join([]string{brand, gateway, tun, routes, rate, page}, "   ")
	if ansi.StringWidth(one) <= width {
		return one
	}
	first := strings.Join([]string{brand, gateway, routes, rate, page}, "  ")
	return common.Cut(first, width) + "\n" + common.Cut(" "+tun, width)
}

func (m *Model) tunnelText() string {
	st := m.common.Styles
	s := m.Tunnel
	switch s.State {
	case tunnel.StateOnline:
		return st.HeaderOK.Render("●") + " " + st.HeaderText.Render("tunnel "+s.URL)
	case tunnel.StateConnecting, tunnel.StateReconnecting:
		return st.HeaderWarn.Render("◌") + " " + st.HeaderText.Render("tunnel "+string(s.State)+"…")
	case tunnel.StateError:
		text := "tunnel error: " + s.Err
		if s.Hint != "" {
			text += " — " + s.Hint
		}
		return st.HeaderFail.Render("●") + " " + st.HeaderFail.Render(text)
	}
	return st.HeaderWarn.Render("○") + " " + st.HeaderText.Render(LocalOnlyHint)
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
