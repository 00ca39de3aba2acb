package tui

import (
	"strings"
	"testing"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/hooktap/hooktap/tui/common"
	"github.com/hooktap/hooktap/tui/internal/tuitest"
)

func TestRoutesPageCopiesTheURL(t *testing.T) {
	r, _ := newTestRoot(t, 80, 24, tuitest.Fixtures()...)
	press(r, "4")
	if !strings.Contains(screen(r), "1 secret") {
		t.Fatalf("routes page not shown:\n%s", screen(r))
	}
	_, cmd := r.Update(tuitest.Key("j"))
	tuitest.Settle(update(r), cmd)
	_, cmd = r.Update(tuitest.Key("c"))
	msgs := tuitest.Run(cmd)
	for _, m := range msgs {
		r.Update(m)
	}
	if !tuitest.HasClipboard(msgs) || !strings.Contains(r.shownStatus().Text, "http://127.0.0.1:8644/webhooks/stripe") {
		t.Fatalf("status %q; want the stripe URL copied", r.shownStatus().Text)
	}
	if !strings.Contains(screen(r), "Select http://127.0.0.1:8644/webhooks/stripe with the mouse") {
		t.Fatalf("without a clipboard the URL must be shown to select:\n%s", screen(r))
	}
	press(r, "esc")
	if !strings.Contains(screen(r), "       1") {
		t.Fatalf("capture counts missing:\n%s", screen(r))
	}
	press(r, "esc")
	if r.active != common.PageInspector {
		t.Fatal("esc must return to the inspector")
	}
}

func TestEnterZoomsTheDetailAndEscReturns(t *testing.T) {
	r, _ := newTestRoot(t, 80, 24, tuitest.Fixtures()...)
	press(r, "enter")
	if strings.Contains(screen(r), "Captures 1/4") {
		t.Fatal("enter must give the detail the whole page")
	}
	press(r, "esc")
	if !strings.Contains(screen(r), "Captures 1/4") {
		t.Fatal("esc must bring the list back")
	}
	press(r, "q")
	if !r.quitting {
		t.Fatal("q from the list must quit")
	}
}

// panicPage fails on every message, like a page with a bug.
type panicPage struct{}

func (panicPage) Update(tea.Msg) (common.Component, tea.Cmd) { panic("boom") }
func (panicPage) View() string                               { return "" }
func (panicPage) SetSize(int, int)                           {}
func (panicPage) ShortHelp() []key.Binding                   { return nil }
func (panicPage) FullHelp() [][]key.Binding                  { return nil }
func (panicPage) InputFocused() bool                         { return false }

func TestAPanickingPageBecomesAStatusLine(t *testing.T) {
	r, _ := newTestRoot(t, 80, 24)
	r.pages[common.PageNotify] = panicPage{}
	press(r, "p", "x")
	if !r.shownStatus().Err || !strings.Contains(r.shownStatus().Text, "internal error (boom)") {
		t.Fatalf("status %+v; want the panic reported", r.shownStatus())
	}
	press(r, "1")
	if r.active != common.PageInspector {
		t.Fatal("the user must be able to leave the broken page")
	}
}
