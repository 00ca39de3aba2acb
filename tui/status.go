package tui

import (
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/hooktap/hooktap/tui/common"
)

// How long a status line stays: long enough to read, short enough not to mislead later. A
// busy line ("replaying…") stays until its answer replaces it.
const (
	statusTTL      = 6 * time.Second
	errorStatusTTL = 15 * time.Second
)

// globalStatus is the slot for lines about the whole program (the store closed); they show on
// every page that has none of its own.
const globalStatus common.PageID = -1

// statuses holds one status line per page: a page's lines show only on it.
type statuses struct {
	lines map[common.PageID]statusLine
	seq   int
}

type statusLine struct {
	msg common.StatusMsg
	seq int
}

// statusExpiredMsg clears a page's line if it is still the one the tick was set for.
type statusExpiredMsg struct {
	page common.PageID
	seq  int
}

func newStatuses() statuses { return statuses{lines: map[common.PageID]statusLine{}} }

// setStatus shows msg on page and returns the tick that clears it.
func (r *root) setStatus(page common.PageID, msg common.StatusMsg) tea.Cmd {
	r.status.seq++
	seq := r.status.seq
	r.status.lines[page] = statusLine{msg: msg, seq: seq}
	if msg.Busy {
		return nil
	}
	ttl := statusTTL
	if msg.Err {
		ttl = errorStatusTTL
	}
	return tea.Tick(ttl, func(time.Time) tea.Msg { return statusExpiredMsg{page: page, seq: seq} })
}

func (r *root) expireStatus(msg statusExpiredMsg) {
	if l, ok := r.status.lines[msg.page]; ok && l.seq == msg.seq {
		delete(r.status.lines, msg.page)
	}
}

// shownStatus is the active page's line, else the program's.
func (r *root) shownStatus() common.StatusMsg {
	if l, ok := r.status.lines[r.active]; ok {
		return l.msg
	}
	return r.status.lines[globalStatus].msg
}
