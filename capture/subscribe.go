package capture

import (
	"sync"
	"sync/atomic"
)

// EventKind says what happened to a capture.
type EventKind int

// The kinds of events subscribers receive.
const (
	// Created: a new capture was committed.
	Created EventKind = iota + 1
	// Updated: a delivery or a late result was added to an existing capture.
	Updated
)

// String names the kind for logs.
func (k EventKind) String() string {
	switch k {
	case Created:
		return "created"
	case Updated:
		return "updated"
	}
	return "unknown"
}

// Event is one change published to subscribers after it is committed.
type Event struct {
	Kind    EventKind
	Capture *Capture
}

// Subscription receives events until closed. A subscriber that falls behind loses events
// (counted by Dropped) rather than slowing ingestion; it can re-list from the store to catch up.
type Subscription struct {
	ch      chan Event
	dropped atomic.Uint64
	owner   *Broker
}

// C returns the channel of events; it is closed when the subscription or the store closes.
func (sub *Subscription) C() <-chan Event { return sub.ch }

// Dropped reports how many events were lost because the channel was full.
func (sub *Subscription) Dropped() uint64 { return sub.dropped.Load() }

// Close stops the subscription and closes its channel; calling it twice is harmless.
func (sub *Subscription) Close() { sub.owner.remove(sub) }

// Broker fans committed events out to subscriptions. Every store implementation embeds one;
// the zero value is ready to use.
type Broker struct {
	mu     sync.RWMutex
	set    map[*Subscription]struct{}
	closed bool
}

// Subscribe returns a subscription whose channel holds up to buffer undelivered events.
func (s *SQLite) Subscribe(buffer int) *Subscription { return s.subs.Subscribe(buffer) }

// Subscribe returns a subscription whose channel holds up to buffer undelivered events.
func (ss *Broker) Subscribe(buffer int) *Subscription {
	if buffer < 1 {
		buffer = 1
	}
	sub := &Subscription{ch: make(chan Event, buffer), owner: ss}
	ss.add(sub)
	return sub
}

func (ss *Broker) add(sub *Subscription) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if ss.closed {
		close(sub.ch)
		return
	}
	if ss.set == nil {
		ss.set = make(map[*Subscription]struct{})
	}
	ss.set[sub] = struct{}{}
}

func (ss *Broker) remove(sub *Subscription) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if _, ok := ss.set[sub]; ok {
		delete(ss.set, sub)
		close(sub.ch)
	}
}

// Any reports whether anyone listens, so a publisher can skip building an event.
func (ss *Broker) Any() bool {
	ss.mu.RLock()
	defer ss.mu.RUnlock()
	return len(ss.set) > 0
}

// Publish never blocks: a full channel drops the event for that subscriber only.
func (ss *Broker) Publish(ev Event) {
	ss.mu.RLock()
	defer ss.mu.RUnlock()
	for sub := range ss.set {
		select {
		case sub.ch <- ev:
		default:
			sub.dropped.Add(1)
		}
	}
}

// CloseAll closes every subscription and refuses new ones (they start closed).
func (ss *Broker) CloseAll() {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	ss.closed = true
	for sub := range ss.set {
		close(sub.ch)
	}
	ss.set = nil
}
