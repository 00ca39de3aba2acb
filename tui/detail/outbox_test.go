package detail

import (
	"strings"
	"testing"
	"time"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/tui/internal/tuitest"
)

// The Response & deliveries tab shows what a capture still owes and how to retry a dead one.
func TestResponseTabShowsOutbox(t *testing.T) {
	c := *tuitest.Fixtures()[2]
	c.Outbox = []capture.OutboxEntry{
		{ID: 7, Kind: "forward", Target: "http://127.0.0.1:3000/hook", State: capture.OutboxDead, Attempts: 15, LastStatus: 503},
		{ID: 8, Kind: "slack", Target: "https://hooks.slack.test/x", State: capture.OutboxPending, Attempts: 2,
			LastError: "connection refused", NextAt: time.Now().Add(time.Minute)},
	}
	m := New(tuitest.Common(80, 24))
	m.SetSize(120, 40)
	m.SetCapture(&c)
	m.Update(tuitest.Key("["))
	view := tuitest.Plain(m.View())
	for _, want := range []string{"outbox (2 owed):", "✗ dead forward → http://127.0.0.1:3000/hook", "answered 503",
		"hooktap deliveries retry 7", "… pending slack", "attempt 2 failed: connection refused", "next try in"} {
		if !strings.Contains(view, want) {
			t.Fatalf("view lacks %q:\n%s", want, view)
		}
	}
}
