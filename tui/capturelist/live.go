package capturelist

import (
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/hooktap/hooktap/capture"
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
	if m.base > 0 {
		// The rows are a window further down (after G): new captures land above it.
		n := 0
		for _, c := range msg.Created {
			if m.filter.Match(c) {
				n++
			}
		}
		m.total, m.base, m.newCount = m.total+n, m.base+n, m.newCount+n
		return nil
	}
	selected := ""
	if m.cursor < len(m.rows) {
		selected = m.rows[m.cursor].ID
	}
	added := m.prepend(msg.Created)
	if added == 0 {
		return nil
	}
	m.total += added
	if m.follow {
		m.cursor, m.offset = 0, 0
	} else if above := m.indexOf(selected) - m.cursor; above > 0 {
		m.cursor += above
		m.offset += above
		m.newCount += above
	}
	m.trim()
	return nil
}

// indexOf is the row holding id, or -1; rows are sorted newest (largest id) first.
func (m *Model) indexOf(id string) int {
	i, found := slices.BinarySearchFunc(m.rows, id, func(c *capture.Capture, id string) int {
		return strings.Compare(id, c.ID)
	})
	if !found {
		return -1
	}
	return i
}

// prepend merges in the captures that match the filter and are not listed yet, and returns
// how many it added.
func (m *Model) prepend(created []*capture.Capture) int {
	// Ids are assigned before a capture is saved, so under load they can commit (and arrive) a
	// little out of order: merge by id rather than assume each batch is newer than the list.
	fresh := make([]*capture.Capture, 0, len(created))
	for _, c := range created {
		if m.filter.Match(c) && !m.has(c.ID) {
			fresh = append(fresh, listRow(c))
		}
	}
	if len(fresh) == 0 {
		return 0
	}
	slices.SortFunc(fresh, func(a, b *capture.Capture) int { return strings.Compare(b.ID, a.ID) })
	fresh = slices.CompactFunc(fresh, func(a, b *capture.Capture) bool { return a.ID == b.ID })
	m.rows = mergeNewestFirst(m.rows, fresh)
	return len(fresh)
}

func (m *Model) has(id string) bool { return m.indexOf(id) >= 0 }

// mergeNewestFirst merges two id-descending lists into one.
func mergeNewestFirst(a, b []*capture.Capture) []*capture.Capture {
	out := make([]*capture.Capture, 0, len(a)+len(b))
	for len(a) > 0 && len(b) > 0 {
		if a[0].ID > b[0].ID {
			out, a = append(out, a[0]), a[1:]
		} else {
			out, b = append(out, b[0]), b[1:]
		}
	}
	return append(append(out, a...), b...)
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
