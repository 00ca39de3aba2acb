// Package capturelist is the live capture list: a window of rows paged from the store (never
// the whole table), newest on top, following new captures until the user scrolls away, then
// counting them in an "N new" marker.
package capturelist

import (
	"context"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/tui/common"
)

// PageSize is how many rows one store query fetches.
const PageSize = 200

// maxRows bounds the rows kept while following a flood; older rows are dropped and fetched
// again from the store if the user scrolls down to them.
const maxRows = 5000

// queryTimeout bounds one store query so a locked database cannot hang the list.
const queryTimeout = 5 * time.Second

// Model is the capture list.
type Model struct {
	common *common.Common
	store  capture.Reader
	filter capture.Filter

	rows    []*capture.Capture
	next    string // Before cursor of the next page; "" when everything is loaded
	base    int    // position of rows[0] among every matching capture; 0 when it is the newest
	gen     int    // bumps on reload so late answers to an old query are ignored
	loading bool
	total   int
	counted bool // total is known for the current filter
	err     error

	cursor, offset int
	follow         bool
	focused        bool
	newCount       int
	width, height  int
}

// pageKind says where a page goes among the rows.
type pageKind int

const (
	pageFirst  pageKind = iota // the newest page: replaces the rows
	pageOlder                  // the page below the last row
	pageOldest                 // the oldest page (G): replaces the rows
	pageNewer                  // the page above the first row, after a jump to the oldest
)

type pageMsg struct {
	gen  int
	page capture.Page
	kind pageKind
	err  error
}

type countMsg struct {
	gen int
	n   int
	err error
}

// New returns a list over store (nil shows an explanation instead of rows).
func New(c *common.Common, store capture.Reader) *Model {
	return &Model{common: c, store: store, follow: true, focused: true}
}

// Init loads the first page.
func (m *Model) Init() tea.Cmd { return m.Reload() }

// SetFilter replaces the filter and reloads from the store.
func (m *Model) SetFilter(f capture.Filter) tea.Cmd {
	m.filter = f
	return m.Reload()
}

// Filter returns the active filter.
func (m *Model) Filter() capture.Filter { return m.filter }

// Reload drops the rows and fetches the first page and the count again.
func (m *Model) Reload() tea.Cmd {
	m.gen++
	m.rows, m.next, m.cursor, m.offset, m.newCount, m.follow = nil, "", 0, 0, 0, true
	m.base, m.counted = 0, false
	if m.store == nil {
		return nil
	}
	m.loading = true
	return tea.Batch(m.fetch(pageFirst, ""), m.count())
}

// fetch asks for one page: cursor is Before for an older page, After for a newer one.
func (m *Model) fetch(kind pageKind, cursor string) tea.Cmd {
	store, f, gen := m.store, m.filter, m.gen
	f.Limit, f.WithBody = PageSize, false
	switch kind {
	case pageOlder:
		f.Before = cursor
	case pageOldest:
		f.Oldest = true
	case pageNewer:
		f.Oldest, f.After = true, cursor
	}
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), queryTimeout)
		defer cancel()
		page, err := store.List(ctx, f)
		return pageMsg{gen: gen, page: page, kind: kind, err: err}
	}
}

func (m *Model) count() tea.Cmd {
	store, f, gen := m.store, m.filter, m.gen
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), queryTimeout)
		defer cancel()
		n, err := store.Count(ctx, f)
		return countMsg{gen: gen, n: n, err: err}
	}
}

// Update moves the selection, applies store answers and live captures.
func (m *Model) Update(msg tea.Msg) (common.Component, tea.Cmd) {
	switch msg := msg.(type) {
	case pageMsg:
		return m, m.applyPage(msg)
	case countMsg:
		if msg.gen == m.gen && msg.err == nil {
			m.total, m.counted = msg.n, true
		}
	case common.CapturesMsg:
		return m, m.applyLive(msg)
	case tea.KeyPressMsg:
		return m, m.handleKey(msg)
	case tea.MouseWheelMsg:
		if msg.Button == tea.MouseWheelUp {
			return m, m.move(-3)
		}
		return m, m.move(3)
	}
	return m, nil
}

func (m *Model) applyPage(msg pageMsg) tea.Cmd {
	if msg.gen != m.gen {
		return nil
	}
	m.loading = false
	if msg.err != nil {
		m.err = msg.err
		return common.Error(msg.err)
	}
	m.err = nil
	switch msg.kind {
	case pageFirst:
		m.rows, m.next = msg.page.Captures, msg.page.Next
	case pageOlder:
		m.rows, m.next = append(m.rows, msg.page.Captures...), msg.page.Next
	case pageOldest:
		m.showOldest(msg.page.Captures)
	case pageNewer:
		m.showNewer(msg.page.Captures)
	}
	return m.maybeFetchMore()
}

// showOldest replaces the rows with the oldest page and selects the oldest capture.
func (m *Model) showOldest(rows []*capture.Capture) {
	m.rows, m.next = rows, ""
	m.base = max(m.total-len(rows), 0)
	m.cursor, m.follow = max(len(rows)-1, 0), false
	m.scrollToCursor()
}

// showNewer puts the page above the first row, keeping the selection on the same capture.
func (m *Model) showNewer(rows []*capture.Capture) {
	m.rows = append(rows, m.rows...)
	m.cursor += len(rows)
	m.offset += len(rows)
	m.base = max(m.base-len(rows), 0)
	if len(rows) < PageSize {
		m.base = 0 // nothing newer is left: the rows start at the newest again
	}
}

func (m *Model) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	k := m.common.Keys
	switch {
	case key.Matches(msg, k.Up):
		return m.move(-1)
	case key.Matches(msg, k.Down):
		return m.move(1)
	case key.Matches(msg, k.PageUp):
		return m.move(-m.visibleRows())
	case key.Matches(msg, k.PageDown):
		return m.move(m.visibleRows())
	case key.Matches(msg, k.Top):
		return m.top()
	case key.Matches(msg, k.Bottom):
		return m.bottom()
	}
	return nil
}

// top selects the newest capture, reloading when the rows start below it (after a jump to the
// oldest).
func (m *Model) top() tea.Cmd {
	if m.base > 0 {
		return m.Reload()
	}
	return m.move(-len(m.rows))
}

// bottom selects the oldest matching capture — not the last loaded row: when older pages are
// not loaded, the oldest page is fetched in their place.
func (m *Model) bottom() tea.Cmd {
	if m.next == "" || m.store == nil {
		return m.move(len(m.rows))
	}
	m.gen++ // answers to the paging under way belong to the rows being replaced
	m.loading = true
	return tea.Batch(m.fetch(pageOldest, ""), m.count())
}

// move shifts the selection; reaching the top again resumes following new captures.
func (m *Model) move(delta int) tea.Cmd {
	if len(m.rows) == 0 {
		return nil
	}
	m.cursor = min(max(m.cursor+delta, 0), len(m.rows)-1)
	m.follow = m.cursor == 0 && m.base == 0
	if m.follow {
		m.newCount = 0
	}
	m.scrollToCursor()
	return m.maybeFetchMore()
}

func (m *Model) scrollToCursor() {
	visible := m.visibleRows()
	if m.cursor < m.offset {
		m.offset = m.cursor
	}
	if m.cursor >= m.offset+visible {
		m.offset = m.cursor - visible + 1
	}
	// A taller list shows the rows above instead of leaving space under the last one.
	m.offset = max(min(m.offset, len(m.rows)-visible), 0)
}

// maybeFetchMore asks for the next page when the selection is within two screens of the end
// of the loaded rows, so scrolling never waits on the store.
func (m *Model) maybeFetchMore() tea.Cmd {
	if m.loading || m.store == nil || len(m.rows) == 0 {
		return nil
	}
	if m.base > 0 && m.cursor < 2*m.visibleRows() {
		m.loading = true
		return m.fetch(pageNewer, m.rows[0].ID)
	}
	if m.next == "" || m.cursor+2*m.visibleRows() < len(m.rows) {
		return nil
	}
	m.loading = true
	return m.fetch(pageOlder, m.next)
}

// Selected returns the selected capture (without its body), or nil.
func (m *Model) Selected() *capture.Capture {
	if m.cursor < 0 || m.cursor >= len(m.rows) {
		return nil
	}
	return m.rows[m.cursor]
}

// Total is the number of captures matching the filter in the store.
func (m *Model) Total() int { return m.total }

// Loaded is the number of rows held in memory.
func (m *Model) Loaded() int { return len(m.rows) }

// NewCount is how many captures arrived since the user scrolled away from the top.
func (m *Model) NewCount() int { return m.newCount }

// Following reports whether the selection tracks the newest capture.
func (m *Model) Following() bool { return m.follow }

// Cursor is the selected row's index, 0 being the newest.
func (m *Model) Cursor() int { return m.cursor }

// Position is the selected capture's place among every matching capture, 1 being the newest
// (0 with nothing selected).
func (m *Model) Position() int {
	if len(m.rows) == 0 {
		return 0
	}
	return m.base + m.cursor + 1
}

// SetFocused marks whether the list has the keyboard (its selection is drawn brighter).
func (m *Model) SetFocused(focused bool) { m.focused = focused }

// SetSize sets the list's inner size; one line is the column header.
func (m *Model) SetSize(width, height int) {
	m.width, m.height = width, height
	m.scrollToCursor()
}

func (m *Model) visibleRows() int { return max(m.height-1, 1) }

// ShortHelp lists the list's main keys.
func (m *Model) ShortHelp() []key.Binding {
	k := m.common.Keys
	return []key.Binding{k.Up, k.Down, k.Top}
}

// FullHelp lists every key of the list.
func (m *Model) FullHelp() [][]key.Binding {
	k := m.common.Keys
	return [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom}}
}
