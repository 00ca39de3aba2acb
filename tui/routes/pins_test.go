package routes

import (
	"strings"
	"testing"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/tui/internal/tuitest"
)

// A route without verify: shows the scheme its first verified delivery pinned, and why.
func TestRoutesShowPinnedScheme(t *testing.T) {
	m := testPage(t, 120, 30, "")
	m.Update(countsMsg{counts: map[string]int{}, pins: map[string]capture.RoutePin{
		"inspect": {Route: "inspect", Scheme: "stripe", CaptureID: "01kabc"},
	}})
	m.Update(tuitest.Key("down"))
	m.Update(tuitest.Key("down"))
	view := tuitest.Plain(m.View())
	for _, want := range []string{"stripe*", "pinned by its first verified delivery 01kabc"} {
		if !strings.Contains(view, want) {
			t.Fatalf("routes page lacks %q:\n%s", want, view)
		}
	}
}
