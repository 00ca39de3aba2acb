package tunnel

import (
	"sync"
	"time"
)

// statusBox holds a tunnel's status and fans changes out to one buffered channel where the
// latest status replaces an unread one, so a slow reader never stalls the tunnel.
type statusBox struct {
	mu      sync.Mutex
	current Status
	updates chan Status
	now     func() time.Time
}

func newStatusBox(initial Status, now func() time.Time) *statusBox {
	if now == nil {
		now = time.Now
	}
	initial.At = now()
	b := &statusBox{current: initial, updates: make(chan Status, 1), now: now}
	b.updates <- initial
	return b
}

func (b *statusBox) get() Status {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.current
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
	select {
	case <-b.updates:
	default:
	}
	b.updates <- s
}

// update applies change to a copy of the current status and stores the result.
func (b *statusBox) update(change func(s *Status)) {
	b.mu.Lock()
	defer b.mu.Unlock()
	s := b.current
	change(&s)
	b.setLocked(s)
}
