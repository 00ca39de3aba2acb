package tui

import (
	"context"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/tui/common"
	"github.com/hooktap/hooktap/tui/internal/tuitest"
)

// loop is a small stand-in for tea.Program that the scale test and benchmarks drive by hand:
// every Cmd runs in its own goroutine and batches fan out, as in the real program, but messages
// reach the root one at a time on the caller's goroutine, so counts are exact. Unlike
// tuitest.Settle it never waits on the live feed's Cmd, which blocks until captures arrive.
type loop struct {
	r    *root
	msgs chan tea.Msg
	done chan struct{}
	// pending counts other Cmds started whose message is not handled yet; only the driving
	// goroutine touches it.
	pending int
	// batches counts the capture batches the root handled, items the captures they carried,
	// views the frames drawn; busy is the time spent in Update and View.
	batches, items, views int
	busy                  time.Duration
}

// cmdDone is what a Cmd's goroutine sends when it produced no message for the root.
type cmdDone struct{ children []tea.Cmd }

// fromFeed wraps a message of the feed's Cmd, which pending does not count.
type fromFeed struct{ msg tea.Msg }

func newLoop(r *root) *loop {
	return &loop{r: r, msgs: make(chan tea.Msg, 64), done: make(chan struct{})}
}

// isFeed reports whether cmd is the live feed's Cmd, by the name of its closure: Feed.Next's
// closure keeps that name wherever the compiler inlines it, while its code address does not.
func isFeed(cmd tea.Cmd) bool {
	fn := runtime.FuncForPC(reflect.ValueOf(cmd).Pointer())
	return fn != nil && strings.Contains(fn.Name(), "(*Feed).Next.func")
}

// stop ends the root's subscription and lets blocked Cmd goroutines exit.
func (l *loop) stop() {
	close(l.done)
	l.r.close()
}

func (l *loop) exec(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	fromTheFeed := isFeed(cmd)
	if !fromTheFeed {
		l.pending++
	}
	go func() {
		msg := cmd()
		switch m := msg.(type) {
		case tea.BatchMsg:
			msg = cmdDone{children: m}
		case nil:
			msg = cmdDone{}
		}
		if fromTheFeed {
			msg = fromFeed{msg: msg}
		}
		select {
		case l.msgs <- msg:
		case <-l.done:
		}
	}()
}

// step handles one message; render says whether to draw a frame after it, as the program does
// after each update.
func (l *loop) step(msg tea.Msg, render bool) {
	if f, ok := msg.(fromFeed); ok {
		msg = f.msg
	} else {
		l.pending--
	}
	if d, ok := msg.(cmdDone); ok {
		for _, c := range d.children {
			l.exec(c)
		}
		return
	}
	if batch, ok := msg.(common.CapturesMsg); ok {
		l.batches++
		l.items += len(batch.Created)
	}
	start := time.Now()
	_, cmd := l.r.Update(msg)
	if render {
		l.r.View()
		l.views++
	}
	l.busy += time.Since(start)
	l.exec(cmd)
}

// settle handles messages until only the live feed's Cmd is outstanding.
func (l *loop) settle(tb testing.TB) {
	tb.Helper()
	timeout := time.After(30 * time.Second)
	for l.pending > 0 {
		select {
		case msg := <-l.msgs:
			l.step(msg, false)
		case <-timeout:
			tb.Fatalf("the root did not settle: %d Cmds outstanding", l.pending)
		}
	}
}

// feedUntil handles messages, drawing after each, until want captures arrived through the feed.
func (l *loop) feedUntil(tb testing.TB, want int) {
	tb.Helper()
	timeout := time.After(30 * time.Second)
	for l.items < want {
		select {
		case msg := <-l.msgs:
			l.step(msg, true)
		case <-timeout:
			tb.Fatalf("only %d of %d captures reached the root", l.items, want)
		}
	}
}

// openLoop builds the root over store as the program does: Init's Cmds, a window size, and
// every answer handled until only the feed waits.
func openLoop(tb testing.TB, store *capture.SQLite) *loop {
	tb.Helper()
	r := New(Deps{Config: testConfig(), Store: store, GatewayAddr: "127.0.0.1:8644"}).(*root)
	l := newLoop(r)
	l.exec(r.Init())
	_, cmd := r.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	l.exec(cmd)
	l.settle(tb)
	return l
}

// fresh returns n small captures without ids, as the gateway saves them: the store assigns ids
// in commit order, the order its subscribers see.
func fresh(n int) []*capture.Capture {
	cs := tuitest.Many(0, n)
	for _, c := range cs {
		c.ID, c.ReceivedAt = "", time.Time{}
	}
	return cs
}

func newest(tb testing.TB, store *capture.SQLite) string {
	tb.Helper()
	page, err := store.List(context.Background(), capture.Filter{Limit: 1})
	if err != nil || len(page.Captures) == 0 {
		tb.Fatalf("list the newest capture: %v", err)
	}
	return page.Captures[0].ID
}

// saveBurst saves the captures all at once from as many goroutines, the worst case for redraws.
func saveBurst(tb testing.TB, store *capture.SQLite, cs []*capture.Capture) {
	var wg sync.WaitGroup
	for _, c := range cs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := store.Save(context.Background(), c); err != nil {
				tb.Error(err)
			}
		}()
	}
	wg.Wait()
}

// TestBurstIsBatchedAtTheRoot feeds 500 captures through a real store subscription into the root
// as fast as they can be saved, and counts: every capture reaches the list, in few batches.
func TestBurstIsBatchedAtTheRoot(t *testing.T) {
	store := tuitest.OpenStore(t)
	tuitest.Save(t, store, tuitest.Fixtures()...)
	l := openLoop(t, store)
	defer l.stop()
	const n = 500
	go saveBurst(t, store, fresh(n))
	l.feedUntil(t, n)
	l.settle(t)

	if l.batches > 20 {
		t.Fatalf("%d captures came to the root in %d batches (%d redraws); want at most 20", n, l.batches, l.views)
	}
	list := l.r.inspector.List()
	if list.Total() != n+4 || list.Loaded() != n+4 {
		t.Fatalf("list total %d, loaded %d; want %d of each: captures were lost", list.Total(), list.Loaded(), n+4)
	}
	if sel := list.Selected(); sel == nil || sel.ID != newest(t, store) {
		t.Fatalf("selected %+v, want the newest capture %s", sel, newest(t, store))
	}
	t.Logf("%d captures: %d batches, %d redraws", n, l.batches, l.views)
}
