package common

import (
	tea "charm.land/bubbletea/v2"

	"github.com/hooktap/hooktap/capture"
)

// StatusMsg puts a line in the status bar of the page that asked. Err marks a failure; Busy
// marks work under way, whose line stays until the answer replaces it (others expire).
type StatusMsg struct {
	Text string
	Err  bool
	Busy bool
}

// Busy returns a Cmd that shows work under way in the status bar.
func Busy(text string) tea.Cmd {
	return func() tea.Msg { return StatusMsg{Text: text, Busy: true} }
}

// Status returns a Cmd that shows text in the status bar.
func Status(text string) tea.Cmd {
	return func() tea.Msg { return StatusMsg{Text: text} }
}

// Error returns a Cmd that shows a failure in the status bar.
func Error(err error) tea.Cmd {
	return func() tea.Msg { return StatusMsg{Text: err.Error(), Err: true} }
}

// CapturesMsg carries what the store published since the last batch, oldest first: new
// captures, and captures that changed (a delivery landed). Resync is set when the subscription
// lost events because the UI fell behind; the list then reloads from the store.
type CapturesMsg struct {
	Created []*capture.Capture
	Updated []*capture.Capture
	Resync  bool
}

// SwitchPageMsg asks the root to show another page.
type SwitchPageMsg struct {
	Page PageID
}

// PageID names a top-level page.
type PageID int

// The pages, in the order of their number keys.
const (
	PageInspector PageID = iota
	PageCraft
	PageNotify
	PageRoutes
)

// String names the page for the header and tests.
func (p PageID) String() string {
	switch p {
	case PageCraft:
		return "craft"
	case PageNotify:
		return "notify"
	case PageRoutes:
		return "routes"
	default:
		return "inspector"
	}
}
