// Package feed turns a capture subscription into Bubble Tea messages: one Cmd blocks on the
// channel and is re-armed after each message, and bursts are coalesced so 500 captures/s mean
// about ten redraws a second, not five hundred.
package feed

import (
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/tui/common"
)

// DefaultWindow is the shortest time between two batches.
const DefaultWindow = 100 * time.Millisecond

// maxBatch bounds one batch so a flood cannot build an unbounded slice between two redraws.
const maxBatch = 2048

// ClosedMsg says the subscription ended (the store closed); the feed is not re-armed.
type ClosedMsg struct{}

// Feed reads one subscription. Next must be called again after each message it produced.
type Feed struct {
	sub       *capture.Subscription
	window    time.Duration
	lastFlush time.Time
	dropped   uint64
}

// New returns a feed over sub that delivers at most one batch per window.
func New(sub *capture.Subscription, window time.Duration) *Feed {
	if window <= 0 {
		window = DefaultWindow
	}
	return &Feed{sub: sub, window: window}
}

// Next returns the Cmd that waits for the next batch. A lone capture is delivered at once; a
// burst is gathered until the window since the last batch has passed.
func (f *Feed) Next() tea.Cmd {
	return func() tea.Msg {
		first, ok := <-f.sub.C()
		if !ok {
			return ClosedMsg{}
		}
		msg := &common.CapturesMsg{}
		add(msg, first)
		// A close mid-batch still delivers the batch; the next call reports ClosedMsg.
		f.collect(msg)
		f.lastFlush = time.Now()
		if d := f.sub.Dropped(); d != f.dropped {
			f.dropped, msg.Resync = d, true
		}
		return *msg
	}
}

// collect adds events until the window since the last flush has passed, the batch is full or
// the channel closed.
func (f *Feed) collect(msg *common.CapturesMsg) {
	deadline := f.lastFlush.Add(f.window)
	if !time.Now().Before(deadline) {
		f.drain(msg)
		return
	}
	timer := time.NewTimer(time.Until(deadline))
	defer timer.Stop()
	for size(msg) < maxBatch {
		select {
		case ev, ok := <-f.sub.C():
			if !ok {
				return
			}
			add(msg, ev)
		case <-timer.C:
			f.drain(msg)
			return
		}
	}
}

// drain takes what is already waiting without blocking.
func (f *Feed) drain(msg *common.CapturesMsg) {
	for size(msg) < maxBatch {
		select {
		case ev, ok := <-f.sub.C():
			if !ok {
				return
			}
			add(msg, ev)
		default:
			return
		}
	}
}

func add(msg *common.CapturesMsg, ev capture.Event) {
	if ev.Capture == nil {
		return
	}
	if ev.Kind == capture.Updated {
		msg.Updated = append(msg.Updated, ev.Capture)
		return
	}
	msg.Created = append(msg.Created, ev.Capture)
}

func size(msg *common.CapturesMsg) int { return len(msg.Created) + len(msg.Updated) }
