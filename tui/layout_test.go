package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/hooktap/hooktap/tui/internal/tuitest"
)

// At 120 columns a 20-character route and a 26-character event type show whole beside the
// detail pane.
func TestWideScreenShowsLongNamesWhole(t *testing.T) {
	const route, event = "payments-eu-prod-web", "customer.subscription.paus"
	c := *tuitest.Fixtures()[2]
	c.Route, c.Event = route, event
	r, _ := newTestRoot(t, 120, 40, &c)
	view := screen(r)
	if !strings.Contains(view, route+" ") || !strings.Contains(view, event+" ") {
		t.Fatalf("route or event cut at 120 columns:\n%s", view)
	}
	if !strings.Contains(view, "╮╭─ #") {
		t.Fatalf("list and detail must sit side by side at 120 columns:\n%s", view)
	}
}

// At 80×24 the list has the page (at least 8 rows) and enter opens the detail full-screen;
// esc comes back.
func TestSmallScreenListThenFullScreenDetail(t *testing.T) {
	r, _ := newTestRoot(t, 80, 24, tuitest.Many(0, 30)...)
	rows := strings.Count(screen(r), "POST   ")
	if rows < 8 {
		t.Fatalf("the list shows %d rows at 80×24, want at least 8:\n%s", rows, screen(r))
	}
	press(r, "enter")
	view := screen(r)
	if strings.Contains(view, "Captures 1/30") || !strings.Contains(view, "Summary  Headers") {
		t.Fatalf("enter must open the detail full-screen:\n%s", view)
	}
	press(r, "esc")
	if !strings.Contains(screen(r), "Captures 1/30") {
		t.Fatalf("esc must come back to the list:\n%s", screen(r))
	}
}

// Rows show their date once the list spans more than one day.
func TestDateWhenCapturesSpanDays(t *testing.T) {
	old := *tuitest.Fixtures()[0]
	old.ReceivedAt = tuitest.Now.Add(-50 * time.Hour)
	r, _ := newTestRoot(t, 120, 40, &old, tuitest.Fixtures()[2])
	view := screen(r)
	if !strings.Contains(view, "Mar 02 08:32:00") || !strings.Contains(view, "Mar 04 10:31:40") {
		t.Fatalf("rows spanning days must carry their date:\n%s", view)
	}
	r, _ = newTestRoot(t, 120, 40, tuitest.Fixtures()...)
	if strings.Contains(screen(r), "Mar 04 10:31") {
		t.Fatal("rows of one day need no date")
	}
}

// Back from the full-screen detail, the list shows its rows from the top again.
func TestListKeepsItsRowsAfterTheZoomedDetail(t *testing.T) {
	r, _ := newTestRoot(t, 80, 24, tuitest.Fixtures()...)
	press(r, "G", "enter", "esc")
	if got := strings.Count(screen(r), "POST   ") + strings.Count(screen(r), "PUT    "); got != 4 {
		t.Fatalf("the list shows %d of its 4 rows after the detail closed:\n%s", got, screen(r))
	}
}
