package tunnel

import (
	"context"
	"sync"
	"time"
)

// statusBox holds a tunnel's status and fans each change out to every subscriber. A subscriber's
// channel holds one status and the latest replaces an unread one, so a slow reader never stalls
// the tunnel and never misses where it ended up.
type statusBox struct {
	mu      sync.Mutex
	current Status
	subs    map[chan Status]struct{}
	now     func() time.Time
}

func newStatusBox(initial Status, now func() time.Time) *statusBox {
	if now == nil {
		now = time.Now
	}
	initial.At = now()
	return &statusBox{current: initial, subs: map[chan Status]struct{}{}, now: now}
}

func (b *statusBox) get() Status {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.current
}

// subscribe returns a channel that holds the current status at once and then each change, until
// ctx ends; then it is closed.
func (b *statusBox) subscribe(ctx context.Context) <-chan Status {
	ch := make(chan Status, 1)
	b.mu.Lock()
	ch <- b.current
	b.subs[ch] = struct{}{}
	b.mu.Unlock()
	context.AfterFunc(ctx, func() {
		b.mu.Lock()
		defer b.mu.Unlock()
		delete(b.subs, ch)
		close(ch)
	})
	return ch
}

// set stores s (stamped with the time) and publishes it when it differs from the current one.
func (b *statusBox) set(s Status) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.setLocked(s)
}

func (b *statusBox) setLocked(s Status) {
	s.At = b.current.At
	if s == b.current {
		return
	}
	s.At = b.now()
	b.current = s
	for ch := range b.subs {
		select {
		case <-ch:
		default:
		}
		ch <- s
	}
}

// update applies change to a copy of the current status and stores the result.
func (b *statusBox) update(change func(s *Status)) {
	b.mu.Lock()
	defer b.mu.Unlock()
	s := b.current
	change(&s)
	b.setLocked(s)
}
