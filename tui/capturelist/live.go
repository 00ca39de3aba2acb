package capturelist

import (
	"bytes"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/signature"
	"github.com/hooktap/hooktap/tui/common"
)

// applyLive merges a batch from the subscription: new captures go on top, changed ones are
// replaced in place. While following, the selection stays on the newest; otherwise the selected
// row stays put on screen and the "N new" marker counts what arrived above it.
func (m *Model) applyLive(msg common.CapturesMsg) tea.Cmd {
	if m.store == nil {
		return nil
	}
	if msg.Resync {
		return m.Reload()
	}
	for _, c := range msg.Updated {
		m.replace(c)
	}
	added := m.prepend(msg.Created)
	if added == 0 {
		return nil
	}
	m.total += added
	if m.follow {
		m.cursor, m.offset = 0, 0
	} else {
		m.cursor += added
		m.offset += added
		m.newCount += added
	}
	m.trim()
	return nil
}

// prepend adds the captures (oldest first) that match the filter and are newer than the top
// row; ids sort by time, so an id at or below the top row is already loaded.
func (m *Model) prepend(created []*capture.Capture) int {
	fresh := make([]*capture.Capture, 0, len(created))
	for i := len(created) - 1; i >= 0; i-- {
		c := created[i]
		if !Matches(m.filter, c) || (len(m.rows) > 0 && c.ID <= m.rows[0].ID) {
			continue
		}
		if len(fresh) > 0 && c.ID >= fresh[len(fresh)-1].ID {
			continue
		}
		fresh = append(fresh, listRow(c))
	}
	if len(fresh) > 0 {
		m.rows = append(fresh, m.rows...)
	}
	return len(fresh)
}

// listRow drops the body so a flood of large captures does not pile up in memory; the size
// column reads BodySize, which the store fills.
func listRow(c *capture.Capture) *capture.Capture {
	row := *c
	row.Body = nil
	return &row
}

func (m *Model) replace(c *capture.Capture) {
	for i, row := range m.rows {
		if row.ID == c.ID {
			m.rows[i] = listRow(c)
			return
		}
	}
}

// trim drops the oldest rows past maxRows while the user is near the top; they come back from
// the store through the page cursor if the user scrolls down to them.
func (m *Model) trim() {
	if len(m.rows) <= maxRows || m.cursor > maxRows/2 {
		return
	}
	m.rows = m.rows[:maxRows]
	m.next = m.rows[maxRows-1].ID
}

// Matches reports whether c passes f, the same rules the store applies, so live captures and
// paged ones agree.
func Matches(f capture.Filter, c *capture.Capture) bool {
	switch {
	case f.Route != "" && c.Route != f.Route,
		f.Event != "" && c.Event != f.Event,
		f.Status != 0 && c.Status != f.Status,
		f.Source != "" && c.Source != f.Source,
		!f.Since.IsZero() && c.ReceivedAt.Before(f.Since):
		return false
	}
	if f.Verified != nil {
		want := signature.Failed
		if *f.Verified {
			want = signature.Verified
		}
		if c.Verification.Result != want {
			return false
		}
	}
	return f.Q == "" || containsText(c, strings.ToLower(f.Q))
}

func containsText(c *capture.Capture, q string) bool {
	if strings.Contains(strings.ToLower(c.Path), q) || strings.Contains(strings.ToLower(c.Query), q) {
		return true
	}
	for _, h := range c.Headers {
		if strings.Contains(strings.ToLower(h.Name+": "+h.Value), q) {
			return true
		}
	}
	return bytes.Contains(bytes.ToLower(c.Body), []byte(q))
}

func itoa(n int) string {
	var b [20]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			return string(b[i:])
		}
	}
}
