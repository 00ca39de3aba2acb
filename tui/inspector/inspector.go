// Package inspector is the default page: the live capture list beside (or above) the detail
// pane, the filter field, and the actions on the selected capture.
package inspector

import (
	"context"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/tui/actions"
	"github.com/hooktap/hooktap/tui/capturelist"
	"github.com/hooktap/hooktap/tui/common"
	"github.com/hooktap/hooktap/tui/detail"
	"github.com/hooktap/hooktap/tui/filterbar"
)

type focus int

const (
	focusList focus = iota
	focusDetail
)

// Model is the inspector page.
type Model struct {
	common *common.Common
	store  capture.Reader
	runner *actions.Runner

	list   *capturelist.Model
	detail *detail.Model
	filter *filterbar.Model

	focus         focus
	zoomed        bool
	query         string
	loadingID     string
	width, height int
}

// detailMsg carries a capture loaded with its body for the detail pane.
type detailMsg struct {
	id      string
	capture *capture.Capture
	err     error
}

// New returns the inspector over store; runner may be nil (the action keys are then off).
func New(c *common.Common, store capture.Reader, runner *actions.Runner) *Model {
	return &Model{
		common: c, store: store, runner: runner,
		list: capturelist.New(c, store), detail: detail.New(c), filter: filterbar.New(c),
	}
}

// Init loads the first page.
func (m *Model) Init() tea.Cmd { return m.list.Init() }

// InputFocused reports whether the filter field has the keyboard.
func (m *Model) InputFocused() bool { return m.filter.Focused() }

// List exposes the capture list (the root reads its counts for the header).
func (m *Model) List() *capturelist.Model { return m.list }

// Detail exposes the detail pane.
func (m *Model) Detail() *detail.Model { return m.detail }

// Update routes: the filter field, store answers, and keys by focus. A
// body layout a resize started inside the page is handed back with the answer.
func (m *Model) Update(msg tea.Msg) (common.Component, tea.Cmd) {
	cmd := m.update(msg)
	m.layout() // the list's columns follow its rows; a same size changes nothing
	if d := m.detail.Deferred(); d != nil {
		cmd = tea.Batch(cmd, d)
	}
	return m, cmd
}

// Deferred returns the layout work a resize from outside (SetSize) started.
func (m *Model) Deferred() tea.Cmd { return m.detail.Deferred() }

// Restyle lays the detail out again after a theme change.
func (m *Model) Restyle() tea.Cmd { return m.detail.Restyle() }

func (m *Model) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case detailMsg:
		return m.applyDetail(msg)
	case filterbar.AppliedMsg:
		m.query = msg.Query
		m.layout()
		return m.list.SetFilter(msg.Filter)
	case filterbar.SettledMsg:
		_, cmd := m.filter.Update(msg)
		m.layout()
		return cmd
	case filterbar.ClosedMsg:
		m.layout()
		return nil
	}
	if m.filter.Focused() {
		if _, ok := msg.(tea.KeyPressMsg); ok {
			_, cmd := m.filter.Update(msg)
			m.layout() // a refused query's reason takes rows under the field
			return cmd
		}
	}
	return m.route(msg)
}

// route sends everything else to the list (store answers, live captures) or by focus (keys).
func (m *Model) route(msg tea.Msg) tea.Cmd {
	if keyMsg, ok := msg.(tea.KeyPressMsg); ok {
		return m.handleKey(keyMsg)
	}
	if _, ok := msg.(tea.MouseWheelMsg); ok && m.focus == focusDetail {
		_, cmd := m.detail.Update(msg)
		return cmd
	}
	if _, ok := msg.(tea.MouseWheelMsg); ok {
		_, cmd := m.list.Update(msg)
		return tea.Batch(cmd, m.syncDetail(msg))
	}
	_, detailCmd := m.detail.Update(msg)
	_, cmd := m.list.Update(msg)
	return tea.Batch(cmd, detailCmd, m.syncDetail(msg))
}

func (m *Model) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	k := m.common.Keys
	switch {
	case key.Matches(msg, k.Filter):
		m.layoutWithFilter()
		return m.filter.Open(m.query)
	case key.Matches(msg, k.ClearFilter):
		m.query = ""
		m.layout()
		return m.list.SetFilter(capture.Filter{})
	case key.Matches(msg, k.SwitchPane):
		m.setFocus(1 - m.focus)
		return nil
	case key.Matches(msg, k.Open):
		m.zoomed = !m.zoomed
		m.setFocus(map[bool]focus{true: focusDetail, false: focusList}[m.zoomed])
		return nil
	case key.Matches(msg, k.Back) && (m.zoomed || m.focus == focusDetail):
		m.zoomed = false
		m.setFocus(focusList)
		return nil
	case key.Matches(msg, k.Reveal):
		return m.toggleReveal()
	}
	if cmd, ok := m.handleAction(msg); ok {
		return cmd
	}
	if cmd, ok := m.detail.HandleKey(msg); ok {
		return cmd
	}
	if m.focus == focusDetail {
		_, cmd := m.detail.Update(msg)
		return cmd
	}
	_, cmd := m.list.Update(msg)
	return tea.Batch(cmd, m.syncDetail(msg))
}

// toggleReveal shows or masks credentials in every view, copy and export of the session.
func (m *Model) toggleReveal() tea.Cmd {
	if m.common.ServerMasks {
		return common.Status("The server " + m.common.Attached + " masks credentials before sending them; attach with --reveal to see them.")
	}
	m.common.Reveal = !m.common.Reveal
	relayout := m.detail.SetCapture(m.detail.Capture())
	if m.common.Reveal {
		return tea.Batch(relayout, common.Status("Credentials shown in clear (views, copies and exports) — press s to mask them again."))
	}
	return tea.Batch(relayout, common.Status("Credentials masked."))
}

func (m *Model) setFocus(f focus) {
	m.focus = f
	m.list.SetFocused(f == focusList)
	m.layout()
}

// syncDetail loads the selected capture, with its body, when the selection changed.
func (m *Model) syncDetail(tea.Msg) tea.Cmd {
	m.detail.SetWelcome(m.list.Total() == 0 && m.list.Filter().IsZero())
	sel := m.list.Selected()
	if sel == nil {
		if m.detail.Capture() != nil {
			return m.detail.SetCapture(nil)
		}
		return nil
	}
	shown := m.detail.Capture()
	if (shown != nil && shown.ID == sel.ID) || m.loadingID == sel.ID {
		return nil
	}
	m.loadingID = sel.ID
	store, id := m.store, sel.ID
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		c, err := store.Get(ctx, id)
		return detailMsg{id: id, capture: c, err: err}
	}
}

func (m *Model) applyDetail(msg detailMsg) tea.Cmd {
	if msg.id == m.loadingID {
		m.loadingID = ""
	}
	sel := m.list.Selected()
	if sel == nil || sel.ID != msg.id {
		// The user moved on; load what is selected now.
		return m.syncDetail(nil)
	}
	if msg.err != nil {
		return common.Error(msg.err)
	}
	return m.detail.SetCapture(msg.capture)
}

// Selected returns the capture on show in the detail pane (with its body), or nil.
func (m *Model) Selected() *capture.Capture { return m.detail.Capture() }

// ShortHelp lists the keys the footer shows.
func (m *Model) ShortHelp() []key.Binding {
	k := m.common.Keys
	switch {
	case m.filter.Focused():
		return m.filter.ShortHelp()
	case m.focus == focusDetail:
		return append(m.detail.ShortHelp(), k.Back, k.Replay, k.CopyCurl)
	}
	return []key.Binding{k.Up, k.Down, k.Open, k.SwitchPane, k.Filter, k.Replay, k.ReplayResign,
		k.EditReplay, k.CopyCurl, k.Craft, k.Notify, k.Help, k.Quit}
}

// FullHelp lists every key of the page.
func (m *Model) FullHelp() [][]key.Binding {
	k := m.common.Keys
	return append(m.list.FullHelp(),
		[]key.Binding{k.Open, k.SwitchPane, k.Back, k.Filter, k.ClearFilter},
		[]key.Binding{k.Replay, k.ReplayResign, k.EditReplay, k.ReplayTo, k.CopyCurl, k.Export, k.Diff, k.Reveal},
		[]key.Binding{k.PrevTab, k.NextTab, k.BodyMode},
	)
}
