package capturelist

import (
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/hooktap/hooktap/capture"
)

// columns are the cell widths of one layout; zero hides a column.
type columns struct {
	time, method, route, event, size, latency int
	// app is the forwarded app's answer (--forward-to, deliver:); it shows once a row was delivered.
	app int
	// dated shows the date in the time column: the rows span more than one day.
	dated bool
}

// Column bounds: wide enough for the names providers use, narrow enough to leave the detail
// pane room.
const (
	timeWidth      = 8  // 15:04:05
	datedTimeWidth = 15 // Mar 04 15:04:05
	maxRoute       = 24
	maxEvent       = 32
	sizeWidth      = 5
	latencyWidth   = 6
	appWidth       = 3
	// measureRows bounds the rows looked at to size the columns.
	measureRows = 2000
)

// want is the width each column would like for the loaded rows.
func (m *Model) want() columns {
	c := columns{time: timeWidth, method: len("METHOD"), route: len("ROUTE"), event: len("EVENT"), size: sizeWidth, latency: latencyWidth}
	rows := m.rows[:min(len(m.rows), measureRows)]
	end := min(m.offset+m.visibleRows(), len(m.rows))
	if m.offset < end && m.offset >= len(rows) {
		rows = append(rows[:len(rows):len(rows)], m.rows[m.offset:end]...)
	}
	for _, r := range rows {
		c.method = max(c.method, len(r.Method))
		c.route = max(c.route, ansi.StringWidth(r.Route))
		c.event = max(c.event, ansi.StringWidth(r.Event))
		if len(r.Deliveries) > 0 {
			c.app = appWidth
		}
	}
	c.method, c.route, c.event = min(c.method, 7), min(c.route, maxRoute), min(c.event, maxEvent)
	if len(m.rows) > 0 && spansDays(m.rows[0], m.rows[len(m.rows)-1], m.common.Location) {
		c.time, c.dated = datedTimeWidth, true
	}
	return c
}

func spansDays(newest, oldest *capture.Capture, loc *time.Location) bool {
	y1, m1, d1 := newest.ReceivedAt.In(loc).Date()
	y2, m2, d2 := oldest.ReceivedAt.In(loc).Date()
	return y1 != y2 || m1 != m2 || d1 != d2
}

// essential is the width of the columns that always show (with separators).
func (c columns) essential() int {
	n := c.time + 1 + c.method + 1 + c.route + 1 + c.event + 1 + 1 + 1 + 3
	if c.app > 0 {
		n += 1 + c.app
	}
	return n
}

// full is the width of every column.
func (c columns) full() int { return c.essential() + 1 + c.size + 1 + c.latency }

// DesiredWidth is the inner width at which every column shows in full, and the least width at
// which route and event names still show whole.
func (m *Model) DesiredWidth() (full, essential int) {
	w := m.want()
	return w.full(), w.essential()
}

// fit lays the wanted columns into width: latency goes first, then size; then route and event
// shrink, the event keeping the larger share; spare room goes to the event.
func fit(want columns, width int) columns {
	c := want
	if width < c.full() {
		c.latency = 0
	}
	if width < c.essential()+1+c.size {
		c.size = 0
	}
	fixed := c.essential() - c.route - c.event
	if c.size > 0 {
		fixed += 1 + c.size
	}
	if c.latency > 0 {
		fixed += 1 + c.latency
	}
	room := max(width-fixed, 10)
	if room < c.route+c.event {
		c.route = min(c.route, max(room*2/5, 5))
	}
	c.event = max(room-c.route, 5)
	return c
}

func (m *Model) columns() columns { return fit(m.want(), m.width) }

// stamp is a row's time, with the date when the rows span days.
func (c columns) stamp(t time.Time, loc *time.Location) string {
	if c.dated {
		return t.In(loc).Format("Jan 02 15:04:05")
	}
	return t.In(loc).Format("15:04:05")
}
