package pager

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/hooktap/hooktap/tui/keymap"
)

// wheelLines is how far one mouse wheel step scrolls.
const wheelLines = 3

// Model shows the lines of a document that fit its height, from an offset the keys move.
type Model struct {
	lines         Lines
	offset        int
	width, height int
}

// SetLines shows l, keeping the offset when it still fits.
func (m *Model) SetLines(l Lines) {
	m.lines = l
	m.clamp()
}

// Lines returns the document on show.
func (m *Model) Lines() Lines { return m.lines }

// SetSize sets the visible area; lines are expected to be laid out at width already.
func (m *Model) SetSize(width, height int) {
	m.width, m.height = width, max(height, 1)
	m.clamp()
}

func (m *Model) total() int {
	if m.lines == nil {
		return 0
	}
	return m.lines.Len()
}

func (m *Model) clamp() {
	m.offset = min(max(m.offset, 0), max(m.total()-m.height, 0))
}

// ScrollBy moves the view n lines down (up when negative).
func (m *Model) ScrollBy(n int) {
	m.offset += n
	m.clamp()
}

// GotoTop shows the first line.
func (m *Model) GotoTop() { m.offset = 0 }

// GotoBottom shows the last screen.
func (m *Model) GotoBottom() {
	m.offset = m.total()
	m.clamp()
}

// Offset is the index of the first visible line.
func (m *Model) Offset() int { return m.offset }

// HandleKey scrolls for the movement keys of k and reports whether msg was one.
func (m *Model) HandleKey(k *keymap.KeyMap, msg tea.KeyPressMsg) bool {
	switch {
	case key.Matches(msg, k.Down):
		m.ScrollBy(1)
	case key.Matches(msg, k.Up):
		m.ScrollBy(-1)
	case key.Matches(msg, k.PageDown):
		m.ScrollBy(m.height)
	case key.Matches(msg, k.PageUp):
		m.ScrollBy(-m.height)
	case key.Matches(msg, k.Top):
		m.GotoTop()
	case key.Matches(msg, k.Bottom):
		m.GotoBottom()
	default:
		return false
	}
	return true
}

// Update scrolls with the mouse wheel.
func (m *Model) Update(msg tea.Msg) {
	if w, ok := msg.(tea.MouseWheelMsg); ok {
		switch w.Button {
		case tea.MouseWheelUp:
			m.ScrollBy(-wheelLines)
		case tea.MouseWheelDown:
			m.ScrollBy(wheelLines)
		}
	}
}

// View joins the visible lines: the cost is the screen's, not the document's.
func (m *Model) View() string {
	end := min(m.offset+m.height, m.total())
	if end <= m.offset {
		return ""
	}
	var b strings.Builder
	for i := m.offset; i < end; i++ {
		if i > m.offset {
			b.WriteByte('\n')
		}
		b.WriteString(m.lines.Line(i))
	}
	return b.String()
}

// Position says where the view is when the document is longer than the screen: "12–40/53 012";
// "" when everything fits.
func (m *Model) Position() string {
	n := m.total()
	if n <= m.height {
		return ""
	}
	return fmt.Sprintf("%s–%s/%s", Group(m.offset+1), Group(min(m.offset+m.height, n)), Group(n))
}

// Group writes n with thin groups of three digits: 53 012.
func Group(n int) string {
	s := fmt.Sprint(n)
	if len(s) <= 3 || n < 0 {
		return s
	}
	var b strings.Builder
	lead := len(s) % 3
	if lead > 0 {
		b.WriteString(s[:lead])
	}
	for i := lead; i < len(s); i += 3 {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(s[i : i+3])
	}
	return b.String()
}
