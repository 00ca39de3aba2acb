package capturelist

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/signature"
	"github.com/hooktap/hooktap/tui/common"
	"github.com/hooktap/hooktap/tui/internal/tuitest"
)

func newList(t testing.TB, n int) (*Model, *capture.SQLite) {
	t.Helper()
	store := tuitest.OpenStore(t)
	tuitest.Save(t, store, tuitest.Many(0, n)...)
	m := New(tuitest.Common(80, 24), store)
	m.SetSize(80, 11)
	tuitest.Settle(update(m), m.Init())
	return m, store
}

func update(m *Model) func(tea.Msg) tea.Cmd {
	return func(msg tea.Msg) tea.Cmd {
		_, cmd := m.Update(msg)
		return cmd
	}
}

func press(m *Model, keys ...string) {
	for _, k := range keys {
		tuitest.Send(update(m), tuitest.Key(k))
	}
}

func TestOpensOnTheFirstPageOnly(t *testing.T) {
	m, _ := newList(t, 450)
	if m.Total() != 450 {
		t.Fatalf("total = %d, want 450", m.Total())
	}
	if m.Loaded() != PageSize {
		t.Fatalf("loaded %d rows at open, want one page (%d)", m.Loaded(), PageSize)
	}
	if got := m.Selected().ID; got != tuitest.ID(450) {
		t.Fatalf("selected %s, want the newest %s", got, tuitest.ID(450))
	}
}

func TestScrollingFetchesTheNextPage(t *testing.T) {
	m, _ := newList(t, 450)
	for range PageSize - 15 {
		press(m, "j")
	}
	if m.Loaded() <= PageSize {
		t.Fatalf("loaded %d rows after scrolling near the end, want the next page too", m.Loaded())
	}
}

// G goes to the real oldest capture without loading everything above it, the title says where
// the selection is, scrolling up from there pages newer rows in, and g goes back to the newest.
func TestBottomIsTheOldestCaptureAndPositionFollows(t *testing.T) {
	m, _ := newList(t, 1250)
	press(m, "G")
	if m.Selected().ID != tuitest.ID(1) || m.Position() != 1250 || m.Loaded() > 2*PageSize {
		t.Fatalf("after G: selected %s at %d with %d rows loaded; want the oldest at 1250 without loading all",
			m.Selected().ID, m.Position(), m.Loaded())
	}
	if title := m.Title(); !strings.Contains(title, "1 250/1 250") {
		t.Fatalf("title %q", title)
	}
	for range PageSize + 20 {
		press(m, "k")
	}
	if want := 1250 - PageSize - 20; m.Position() != want || m.Selected().ID != tuitest.ID(1250-want+1) {
		t.Fatalf("after scrolling up: position %d selected %s; want %d", m.Position(), m.Selected().ID, want)
	}
	press(m, "g")
	if m.Selected().ID != tuitest.ID(1250) || m.Position() != 1 || !m.Following() {
		t.Fatalf("after g: selected %s at %d, following %v", m.Selected().ID, m.Position(), m.Following())
	}
}

func TestFollowsNewCapturesAtTheTop(t *testing.T) {
	m, _ := newList(t, 10)
	tuitest.Send(update(m), common.CapturesMsg{Created: tuitest.Many(10, 3)})
	if m.Selected().ID != tuitest.ID(13) || m.NewCount() != 0 || m.Total() != 13 {
		t.Fatalf("selected %s new %d total %d; want the newest, no marker, 13", m.Selected().ID, m.NewCount(), m.Total())
	}
}

func TestScrolledAwayKeepsSelectionAndCountsNew(t *testing.T) {
	m, _ := newList(t, 10)
	press(m, "j", "j")
	selected := m.Selected().ID
	tuitest.Send(update(m), common.CapturesMsg{Created: tuitest.Many(10, 3)})
	if m.Selected().ID != selected {
		t.Fatalf("selection jumped from %s to %s while scrolled away", selected, m.Selected().ID)
	}
	if m.NewCount() != 3 || !strings.Contains(m.Title(), "3 new") {
		t.Fatalf("new count %d, title %q; want 3 new", m.NewCount(), m.Title())
	}
	press(m, "g")
	if m.NewCount() != 0 || !m.Following() || m.Selected().ID != tuitest.ID(13) {
		t.Fatal("g must jump to the newest, clear the marker and follow again")
	}
}

func TestLiveCapturesOutsideTheFilterAreIgnored(t *testing.T) {
	m, _ := newList(t, 9)
	tuitest.Settle(update(m), m.SetFilter(capture.Filter{Route: "stripe"}))
	before := m.Loaded()
	tuitest.Send(update(m), common.CapturesMsg{Created: tuitest.Many(9, 3)})
	if m.Loaded() != before+1 {
		t.Fatalf("loaded %d after 3 live captures (one on stripe); want %d", m.Loaded(), before+1)
	}
	// A batch may repeat a capture the page already holds (it landed while the page loaded).
	tuitest.Send(update(m), common.CapturesMsg{Created: tuitest.Many(9, 3)})
	if m.Loaded() != before+1 {
		t.Fatal("a repeated capture was listed twice")
	}
}

func TestUpdatedCaptureReplacesItsRow(t *testing.T) {
	m, _ := newList(t, 3)
	changed := *m.Selected()
	changed.Status = 503
	tuitest.Send(update(m), common.CapturesMsg{Updated: []*capture.Capture{&changed}})
	if m.Selected().Status != 503 {
		t.Fatal("the updated capture did not replace its row")
	}
}

func TestRowShowsVerdictStatusAndSize(t *testing.T) {
	store := tuitest.OpenStore(t)
	tuitest.Save(t, store, tuitest.Fixtures()...)
	m := New(tuitest.Common(80, 24), store)
	m.SetSize(78, 6)
	tuitest.Settle(update(m), m.Init())
	tuitest.Golden(t, "list_80", m.View())
	if c := m.Selected(); c.Verification.Result != signature.Skipped {
		t.Fatalf("newest fixture should be the binary inspect capture, got %+v", c.Verification)
	}
}
