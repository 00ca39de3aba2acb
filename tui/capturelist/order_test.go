package capturelist

import (
	"testing"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/tui/common"
	"github.com/hooktap/hooktap/tui/internal/tuitest"
)

// Ids are assigned before saving, so under load a capture can arrive after a newer one: the
// list keeps every capture, sorted newest first, and a scrolled-away selection stays put.
func TestLateCapturesAreMergedInOrder(t *testing.T) {
	m, _ := newList(t, 10)
	press(m, "j", "j")
	selected := m.Selected().ID
	late := tuitest.Many(10, 4) // ids 11..14
	tuitest.Send(update(m), common.CapturesMsg{Created: []*capture.Capture{late[3], late[0]}})
	tuitest.Send(update(m), common.CapturesMsg{Created: []*capture.Capture{late[2], late[1], late[0]}})
	if m.Total() != 14 || len(m.rows) != 14 {
		t.Fatalf("total %d rows %d, want 14: a late capture was dropped or duplicated", m.Total(), len(m.rows))
	}
	for i := 1; i < len(m.rows); i++ {
		if m.rows[i-1].ID <= m.rows[i].ID {
			t.Fatalf("rows out of order at %d: %s before %s", i, m.rows[i-1].ID, m.rows[i].ID)
		}
	}
	if m.Selected().ID != selected || m.NewCount() != 4 {
		t.Fatalf("selection %s (want %s), new %d (want 4)", m.Selected().ID, selected, m.NewCount())
	}
}
