package detail

import (
	"context"

	tea "charm.land/bubbletea/v2"

	"github.com/hooktap/hooktap/tui/pager"
)

// Cache bounds: a few bodies (each tab, mode and width of the last captures looked at) within a
// memory budget.
const (
	cacheEntries = 12
	cacheBytes   = 96 << 20
)

// bodies caches laid-out bodies and tracks the one layout in flight; starting another cancels
// it, so scrolling through large captures never queues their layouts.
type bodies struct {
	order    []docKey // least recently used first
	docs     map[docKey]pager.Lines
	size     int
	running  docKey
	cancel   context.CancelFunc
	deferred tea.Cmd
}

func newBodies() *bodies { return &bodies{docs: map[docKey]pager.Lines{}} }

func (b *bodies) get(k docKey) (pager.Lines, bool) {
	l, ok := b.docs[k]
	if ok {
		b.touch(k)
	}
	return l, ok
}

func (b *bodies) touch(k docKey) {
	for i, o := range b.order {
		if o == k {
			b.order = append(b.order[:i], b.order[i+1:]...)
			break
		}
	}
	b.order = append(b.order, k)
}

func (b *bodies) put(k docKey, l pager.Lines) {
	if l == nil {
		return
	}
	if _, ok := b.docs[k]; !ok {
		b.size += pager.Size(l)
	}
	b.docs[k] = l
	b.touch(k)
	for len(b.order) > 1 && (len(b.order) > cacheEntries || b.size > cacheBytes) {
		old := b.order[0]
		b.order = b.order[1:]
		b.size -= pager.Size(b.docs[old])
		delete(b.docs, old)
	}
}

// start returns the Cmd that lays out k, unless that layout is already running.
func (b *bodies) start(k docKey, layout func(context.Context) (pager.Lines, error)) tea.Cmd {
	if b.cancel != nil && b.running == k {
		return nil
	}
	if b.cancel != nil {
		b.cancel()
	}
	ctx, cancel := context.WithCancel(context.Background())
	b.running, b.cancel = k, cancel
	return func() tea.Msg {
		lines, err := layout(ctx)
		return laidOutMsg{key: k, lines: lines, err: err}
	}
}

// finish records a finished layout and reports whether it is worth showing.
func (b *bodies) finish(msg laidOutMsg) bool {
	if msg.key == b.running && b.cancel != nil {
		b.cancel()
		b.cancel, b.running = nil, docKey{}
	}
	if msg.err != nil {
		return false
	}
	b.put(msg.key, msg.lines)
	return true
}
