package filterbar

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/hooktap/hooktap/tui/internal/tuitest"
)

// typeInto types s key by key and returns the debounce ticks the edits armed, in order.
func typeInto(t *testing.T, m *Model, s string) []SettledMsg {
	t.Helper()
	var ticks []SettledMsg
	for _, msg := range tuitest.Type(s) {
		_, cmd := m.Update(msg)
		for _, got := range tuitest.Run(cmd) {
			if tick, ok := got.(SettledMsg); ok {
				ticks = append(ticks, tick)
			}
		}
	}
	return ticks
}

func applied(msgs []tea.Msg) (AppliedMsg, bool) {
	for _, msg := range msgs {
		if a, ok := msg.(AppliedMsg); ok {
			return a, true
		}
	}
	return AppliedMsg{}, false
}

func TestTypingAppliesOnceAfterTheLastKey(t *testing.T) {
	m := New(tuitest.Common(80, 24))
	m.Open("")
	ticks := typeInto(t, m, "status:4xx")
	if len(ticks) != len("status:4xx") {
		t.Fatalf("%d ticks for %d keys", len(ticks), len("status:4xx"))
	}
	for _, tick := range ticks[:len(ticks)-1] {
		_, cmd := m.Update(tick)
		if _, ok := applied(tuitest.Run(cmd)); ok {
			t.Fatalf("the tick of an earlier key (%d) applied a filter", tick.Seq)
		}
	}
	_, cmd := m.Update(ticks[len(ticks)-1])
	a, ok := applied(tuitest.Run(cmd))
	if !ok || a.Filter.StatusClass != 4 || a.Final || !m.Focused() {
		t.Fatalf("last tick: %+v %v, focused %v; want status class 4 applied live, field open", a, ok, m.Focused())
	}
}

func TestRefusedQueryIsShownInFullUnderTheField(t *testing.T) {
	m := New(tuitest.Common(40, 24))
	m.SetSize(40, 1)
	m.Open("")
	ticks := typeInto(t, m, "method:GET!")
	_, cmd := m.Update(ticks[len(ticks)-1])
	if _, ok := applied(tuitest.Run(cmd)); ok {
		t.Fatal("a refused query was applied")
	}
	view := m.View()
	for _, word := range strings.Fields(m.Err()) {
		if !strings.Contains(view, word) {
			t.Errorf("the view lacks %q of the reason %q:\n%s", word, m.Err(), view)
		}
	}
	for _, line := range strings.Split(view, "\n") {
		if w := lipgloss.Width(line); w > 40 {
			t.Errorf("line %q is %d cells wide, past the field's 40", line, w)
		}
	}
	if m.Height() < 3 || m.Height() != lipgloss.Height(view) {
		t.Errorf("Height = %d for a view of %d lines", m.Height(), lipgloss.Height(view))
	}
	_, cmd = m.Update(tuitest.Key("enter"))
	if _, ok := applied(tuitest.Run(cmd)); ok || !m.Focused() {
		t.Fatal("enter on a refused query must keep the field open")
	}
}

func TestEnterAppliesAndClosesEscRestores(t *testing.T) {
	m := New(tuitest.Common(80, 24))
	m.Open("route:stripe")
	_, cmd := m.Update(tuitest.Key("enter"))
	a, ok := applied(tuitest.Run(cmd))
	if !ok || a.Filter.Route != "stripe" || !a.Final || m.Focused() {
		t.Fatalf("got %+v %v, focused %v; want route stripe applied and the field closed", a, ok, m.Focused())
	}
	m.Open("route:stripe")
	ticks := typeInto(t, m, " verified:true")
	_, cmd = m.Update(ticks[len(ticks)-1])
	if a, ok := applied(tuitest.Run(cmd)); !ok || a.Filter.Verified == nil {
		t.Fatalf("typed filter not applied: %+v", a)
	}
	_, cmd = m.Update(tuitest.Key("esc"))
	a, ok = applied(tuitest.Run(cmd))
	if !ok || a.Filter.Verified != nil || a.Filter.Route != "stripe" || m.Focused() {
		t.Fatalf("esc gave %+v %v; want the filter from before the field opened", a, ok)
	}
}
