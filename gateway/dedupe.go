package gateway

import (
	"hash/maphash"
	"sync"
	"time"
)

// Deduper remembers delivery ids per route for a TTL. It is an interface so a shared store
// (Redis) can back several gateway instances (team mode).
type Deduper interface {
	// FirstSeen records key and reports whether it was not seen within ttl before now.
	FirstSeen(key string, ttl time.Duration, now time.Time) bool
	// Forget removes key, so a delivery that failed can be retried by the provider.
	Forget(key string)
}

const dedupeShards = 32

// memoryDeduper is a sharded in-memory map of key → expiry, swept as it is used.
type memoryDeduper struct {
	seed   maphash.Seed
	shards [dedupeShards]dedupeShard
}

type dedupeShard struct {
	mu      sync.Mutex
	expires map[string]time.Time
	writes  int
}

func newMemoryDeduper() *memoryDeduper {
	d := &memoryDeduper{seed: maphash.MakeSeed()}
	for i := range d.shards {
		d.shards[i].expires = map[string]time.Time{}
	}
	return d
}

func (d *memoryDeduper) shard(key string) *dedupeShard {
	return &d.shards[maphash.String(d.seed, key)%dedupeShards]
}

func (d *memoryDeduper) FirstSeen(key string, ttl time.Duration, now time.Time) bool {
	s := d.shard(key)
	s.mu.Lock()
	defer s.mu.Unlock()
	if exp, ok := s.expires[key]; ok && now.Before(exp) {
		return false
	}
	s.expires[key] = now.Add(ttl)
	s.writes++
	if s.writes%1024 == 0 {
		s.sweep(now)
	}
	return true
}

func (d *memoryDeduper) Forget(key string) {
	s := d.shard(key)
	s.mu.Lock()
	delete(s.expires, key)
	s.mu.Unlock()
}

// sweep drops expired keys so the map stays bounded by the traffic of one TTL.
func (s *dedupeShard) sweep(now time.Time) {
	for k, exp := range s.expires {
		if !now.Before(exp) {
			delete(s.expires, k)
		}
	}
}
