package capturelist

import (
	"testing"
	"time"

	"github.com/hooktap/hooktap/tui/internal/tuitest"
)

// BenchmarkList100k measures the list over a store of 100 000 captures: opening (first page and
// count), moving the selection (including the page fetches scrolling triggers) and drawing.
// go test ./tui/capturelist -run x -bench List100k -benchtime 200x
func BenchmarkList100k(b *testing.B) {
	store := tuitest.OpenStore(b)
	start := time.Now()
	tuitest.Save(b, store, tuitest.Many(0, 100_000)...)
	b.Logf("seeded 100000 captures in %v", time.Since(start).Round(time.Millisecond))

	b.Run("open", func(b *testing.B) {
		for b.Loop() {
			m := New(tuitest.Common(120, 40), store)
			m.SetSize(118, 36)
			tuitest.Settle(update(m), m.Init())
			if m.Loaded() == 0 {
				b.Fatal("nothing loaded")
			}
		}
	})
	m := New(tuitest.Common(120, 40), store)
	m.SetSize(118, 36)
	tuitest.Settle(update(m), m.Init())
	b.Run("update-down", func(b *testing.B) {
		down := tuitest.Key("j")
		for b.Loop() {
			_, cmd := m.Update(down)
			if cmd != nil {
				// A page fetch: run it as the program would, so its cost is counted.
				tuitest.Settle(update(m), cmd)
			}
		}
	})
	b.Run("view", func(b *testing.B) {
		for b.Loop() {
			if m.View() == "" {
				b.Fatal("empty view")
			}
		}
	})
}
