package tui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/config"
	"github.com/hooktap/hooktap/tui/common"
	"github.com/hooktap/hooktap/tui/internal/tuitest"
)

func testConfig() *config.Config {
	cfg := config.Default()
	cfg.Gateway.Routes = config.Routes{
		{Name: "github-pr", Verify: "github", Secret: config.Secrets{"s3cret"}, Description: "GitHub pull requests"},
		{Name: "stripe", Verify: "stripe", Secret: config.Secrets{"whsec_x"}},
		{Name: "inspect"},
	}
	return &cfg
}

// newTestRoot builds the root over a store holding the fixtures, without colour, at a fixed
// clock and zone, sized width×height, with the first page loaded.
func newTestRoot(t *testing.T, width, height int, captures ...*capture.Capture) (*root, *capture.SQLite) {
	t.Helper()
	store := tuitest.OpenStore(t)
	tuitest.Save(t, store, captures...)
	r := newRoot(Deps{Config: testConfig(), Store: store, GatewayAddr: "127.0.0.1:8644"}, true)
	t.Cleanup(r.close)
	r.common.Now = func() time.Time { return tuitest.Now }
	r.common.Location = time.UTC
	send(r, tea.WindowSizeMsg{Width: width, Height: height})
	tuitest.Settle(update(r), r.inspector.Init())
	return r, store
}

func update(r *root) func(tea.Msg) tea.Cmd {
	return func(msg tea.Msg) tea.Cmd {
		_, cmd := r.Update(msg)
		return cmd
	}
}

func send(r *root, msgs ...tea.Msg) { tuitest.Send(update(r), msgs...) }

func press(r *root, keys ...string) {
	for _, k := range keys {
		send(r, tuitest.Key(k))
	}
}

func screen(r *root) string { return tuitest.Plain(r.View().Content) }

func TestGoldenInspector(t *testing.T) {
	for _, size := range []struct{ w, h int }{{80, 24}, {120, 40}} {
		r, _ := newTestRoot(t, size.w, size.h, tuitest.Fixtures()...)
		press(r, "j", "j") // the failed Stripe capture
		tuitest.Golden(t, sizeName("inspector_summary", size.w, size.h), screen(r))
		press(r, "tab", "]", "]") // detail focused, Body tab
		tuitest.Golden(t, sizeName("inspector_body", size.w, size.h), screen(r))
	}
}

func TestGoldenEmptyAndRoutes(t *testing.T) {
	for _, size := range []struct{ w, h int }{{80, 24}, {120, 40}} {
		r, _ := newTestRoot(t, size.w, size.h)
		tuitest.Golden(t, sizeName("inspector_empty", size.w, size.h), screen(r))
		press(r, "4")
		tuitest.Golden(t, sizeName("routes", size.w, size.h), screen(r))
		press(r, "?")
		tuitest.Golden(t, sizeName("routes_help", size.w, size.h), screen(r))
		press(r, "?", "n")
		tuitest.Golden(t, sizeName("craft", size.w, size.h), screen(r))
	}
}

func sizeName(name string, w, h int) string { return fmt.Sprintf("%s_%dx%d", name, w, h) }

func TestQuitKeys(t *testing.T) {
	r, _ := newTestRoot(t, 80, 24)
	_, cmd := r.Update(tuitest.Key("q"))
	if cmd == nil || !isQuit(cmd) {
		t.Fatal("q on the inspector list must quit")
	}
	r, _ = newTestRoot(t, 80, 24)
	press(r, "/")
	_, cmd = r.Update(tuitest.Key("q"))
	if cmd != nil && isQuit(cmd) {
		t.Fatal("q typed into the filter must not quit")
	}
	_, cmd = r.Update(tuitest.Key("ctrl+c"))
	if cmd == nil || !isQuit(cmd) {
		t.Fatal("ctrl+c must quit from anywhere")
	}
}

func isQuit(cmd tea.Cmd) bool {
	for _, msg := range tuitest.Run(cmd) {
		if _, ok := msg.(tea.QuitMsg); ok {
			return true
		}
	}
	return false
}

func TestFilterFromTheKeyboard(t *testing.T) {
	r, _ := newTestRoot(t, 80, 24, tuitest.Fixtures()...)
	press(r, "/")
	send(r, tuitest.Type("verified:false")...)
	press(r, "enter")
	if got := r.inspector.List().Loaded(); got != 1 {
		t.Fatalf("verified:false listed %d captures, want the one failed capture", got)
	}
	if sel := r.inspector.List().Selected(); sel == nil || sel.Route != "stripe" {
		t.Fatalf("selected %+v, want the stripe capture", sel)
	}
	if !strings.Contains(screen(r), "filter verified:false") {
		t.Fatal("the active filter is not shown")
	}
	press(r, "ctrl+l")
	if r.inspector.List().Loaded() != 4 {
		t.Fatal("ctrl+l must clear the filter")
	}
}

func TestLiveCapturesReachTheListAndTheRate(t *testing.T) {
	r, _ := newTestRoot(t, 80, 24, tuitest.Fixtures()...)
	send(r, common.CapturesMsg{Created: tuitest.Many(10, 5)})
	if r.inspector.List().Total() != 9 || r.inspector.List().Selected().ID != tuitest.ID(15) {
		t.Fatalf("total %d selected %s; want 9 and the newest", r.inspector.List().Total(), r.inspector.List().Selected().ID)
	}
	if !strings.Contains(screen(r), "5 req/min") {
		t.Fatalf("header does not count the live captures:\n%s", screen(r))
	}
}

func TestDetailFollowsSelection(t *testing.T) {
	r, _ := newTestRoot(t, 120, 40, tuitest.Fixtures()...)
	if c := r.inspector.Selected(); c == nil || c.ID != tuitest.ID(4) || len(c.Body) == 0 {
		t.Fatalf("detail shows %+v, want the newest capture with its body", c)
	}
	press(r, "j")
	if c := r.inspector.Selected(); c == nil || c.ID != tuitest.ID(3) {
		t.Fatal("detail did not follow the selection")
	}
	if !strings.Contains(screen(r), "pull_request") {
		t.Fatal("detail of the GitHub capture is not on screen")
	}
}

func TestSmallAndResizedScreens(t *testing.T) {
	r, _ := newTestRoot(t, 80, 24, tuitest.Fixtures()...)
	for _, size := range [][2]int{{30, 8}, {200, 60}, {80, 24}, {100, 30}} {
		send(r, tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		lines := strings.Split(strings.TrimSuffix(screen(r), "\n"), "\n")
		if len(lines) > size[1] {
			t.Fatalf("%dx%d: drew %d lines", size[0], size[1], len(lines))
		}
		for _, l := range lines {
			if w := len([]rune(l)); w > size[0] {
				t.Fatalf("%dx%d: line wider than the screen (%d): %q", size[0], size[1], w, l)
			}
		}
	}
}

func TestMissingReplayerSaysSo(t *testing.T) {
	r, _ := newTestRoot(t, 80, 24, tuitest.Fixtures()...)
	press(r, "r")
	if !r.shownStatus().Err || !strings.Contains(r.shownStatus().Text, "replay is not available") {
		t.Fatalf("status %+v; want a clear error about the missing replayer", r.shownStatus())
	}
}
