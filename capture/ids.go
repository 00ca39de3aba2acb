package capture

import (
	"crypto/rand"
	"strings"
	"sync"
	"time"

	"github.com/oklog/ulid/v2"
)

// idGenerator hands out lowercase ULIDs that increase strictly within this process, so ids sort
// in commit order even when two captures share a millisecond or a caller's clock steps back.
type idGenerator struct {
	mu      sync.Mutex
	lastMs  uint64
	entropy *ulid.MonotonicEntropy
}

func (g *idGenerator) next(at time.Time) string {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.entropy == nil {
		g.entropy = ulid.Monotonic(rand.Reader, 0)
	}
	ms := ulid.Timestamp(at)
	if ms < g.lastMs {
		ms = g.lastMs
	}
	id, err := ulid.New(ms, g.entropy)
	if err != nil {
		// The monotonic entropy overflowed within one millisecond: move to the next one.
		ms++
		id = ulid.MustNew(ms, g.entropy)
	}
	g.lastMs = ms
	return strings.ToLower(id.String())
}

// idFloor is the smallest id a capture received at t can have; used for time-bounded scans.
func idFloor(t time.Time) string {
	var id ulid.ULID
	_ = id.SetTime(ulid.Timestamp(t))
	return strings.ToLower(id.String())
}
