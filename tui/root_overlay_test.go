package tui

import (
	"strings"
	"testing"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/tui/common"
	"github.com/hooktap/hooktap/tui/internal/tuitest"
)

// The root owns the overlay a page asks for: it takes every key (q types, it does not quit),
// and esc closes it.
func TestRootOwnsTheOverlay(t *testing.T) {
	r, _ := newTestRoot(t, 120, 40, tuitest.Fixtures()...)
	press(r, "x")
	if r.overlay.Overlay() == nil || r.overlay.Owner() != common.PageInspector || !strings.Contains(screen(r), "Export capture") {
		t.Fatalf("x must open the export prompt over the page:\n%s", screen(r))
	}
	press(r, "q", "2")
	if r.quitting || r.active != common.PageInspector || !strings.Contains(screen(r), ".jsonq2") {
		t.Fatalf("keys must type into the prompt, not quit or switch pages:\n%s", screen(r))
	}
	press(r, "esc")
	if r.overlay.Overlay() != nil || strings.Contains(screen(r), "Export capture") {
		t.Fatal("esc must close the overlay")
	}
}

// A page's status line shows on that page only, and expires.
func TestStatusBelongsToItsPageAndExpires(t *testing.T) {
	r, _ := newTestRoot(t, 120, 40, tuitest.Fixtures()...)
	_, cmd := r.Update(common.RoutedMsg{Page: common.PageInspector, Msg: common.StatusMsg{Text: "inspector says hi"}})
	if !strings.Contains(screen(r), "inspector says hi") {
		t.Fatal("the inspector's status must show on the inspector")
	}
	press(r, "4")
	if strings.Contains(screen(r), "inspector says hi") {
		t.Fatal("the inspector's status must not follow the user to the routes page")
	}
	press(r, "1")
	if cmd == nil {
		t.Fatal("a status line must come with the tick that clears it")
	}
	expired := cmd() // the tick's message, delivered at once
	send(r, expired)
	if strings.Contains(screen(r), "inspector says hi") {
		t.Fatal("the status line must clear when its time is up")
	}
}

// Answers reach the page that asked, not the page on show.
func TestAnswersAreRoutedToThePageThatAsked(t *testing.T) {
	r, _ := newTestRoot(t, 120, 40)
	press(r, "4")
	store := r.deps.Store.(capture.Store)
	tuitest.Save(t, store, tuitest.Fixtures()...)
	tuitest.Settle(update(r), common.Address(common.PageInspector, r.inspector.List().Reload()))
	if got := r.inspector.List().Loaded(); got != 4 {
		t.Fatalf("the inspector's reload answered while routes was on show; it holds %d rows, want 4", got)
	}
}

// Tab keys work from the list as from the detail.
func TestTabKeysFromTheList(t *testing.T) {
	r, _ := newTestRoot(t, 120, 40, tuitest.Fixtures()...)
	press(r, "j", "]", "]") // the GitHub capture, then the Body tab
	if !strings.Contains(screen(r), `"number": 42`) {
		t.Fatalf("] from the list must switch the detail's tab:\n%s", screen(r))
	}
}
