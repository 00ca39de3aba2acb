package gateway

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"hash/maphash"
	"sync"
	"time"
)

// Claim is what Reserve found for a delivery id.
type Claim int

// The three answers Reserve gives.
const (
	// Reserved: the id is new and now held by this request until Commit or Release.
	Reserved Claim = iota
	// Seen: a request with this id was answered 2xx within the TTL: a duplicate.
	Seen
	// InFlight: another request holds the id right now; its outcome is not known yet.
	InFlight
)

// Deduper remembers delivery ids per route. An id counts as seen only once a request carrying
// it was answered 2xx: Reserve holds it while the request is processed, Commit marks it seen
// after the capture is durable and the answer is 2xx, Release frees it on any other answer so
// the provider's retry is processed normally.
//
// Each reservation carries a token, and Commit and Release act only while the token still
// holds the key, so a shared implementation (Redis: SET key token NX PX lease; commit and release
// as compare-and-set scripts) behaves the same across several gateway processes. A holder that
// dies without releasing loses the key when its lease expires.
//
// A shared implementation can fail (its server unreachable): the error makes the gateway answer
// 503 with Retry-After rather than guess, since a guess either loses a delivery or processes it
// twice. now is the gateway's clock; a shared implementation may keep time by its server's clock
// instead, so that every instance agrees on when a key expires.
type Deduper interface {
	// Reserve claims key for lease unless it is seen or held; token identifies the claim.
	Reserve(ctx context.Context, key string, lease time.Duration, now time.Time) (token string, c Claim, err error)
	// Commit marks key seen for ttl, if token still holds it.
	Commit(ctx context.Context, key, token string, ttl time.Duration, now time.Time) error
	// Release frees key, if token still holds it.
	Release(ctx context.Context, key, token string) error
}

const dedupeShards = 32

// memoryDeduper is a sharded in-memory map of key → entry, swept as it is used.
type memoryDeduper struct {
	seed   maphash.Seed
	shards [dedupeShards]dedupeShard
}

type dedupeEntry struct {
	token   string // "" once committed
	expires time.Time
}

type dedupeShard struct {
	mu      sync.Mutex
	entries map[string]dedupeEntry
	writes  int
}

func newMemoryDeduper() *memoryDeduper {
	d := &memoryDeduper{seed: maphash.MakeSeed()}
	for i := range d.shards {
		d.shards[i].entries = map[string]dedupeEntry{}
	}
	return d
}

func (d *memoryDeduper) shard(key string) *dedupeShard {
	return &d.shards[maphash.String(d.seed, key)%dedupeShards]
}

func (d *memoryDeduper) Reserve(_ context.Context, key string, lease time.Duration, now time.Time) (string, Claim, error) {
	s := d.shard(key)
	s.mu.Lock()
	defer s.mu.Unlock()
	if e, ok := s.entries[key]; ok && now.Before(e.expires) {
		if e.token == "" {
			return "", Seen, nil
		}
		return "", InFlight, nil
	}
	token := newToken()
	s.entries[key] = dedupeEntry{token: token, expires: now.Add(lease)}
	s.writes++
	if s.writes%1024 == 0 {
		s.sweep(now)
	}
	return token, Reserved, nil
}

func (d *memoryDeduper) Commit(_ context.Context, key, token string, ttl time.Duration, now time.Time) error {
	s := d.shard(key)
	s.mu.Lock()
	defer s.mu.Unlock()
	if e, ok := s.entries[key]; ok && e.token == token && token != "" {
		s.entries[key] = dedupeEntry{expires: now.Add(ttl)}
	}
	return nil
}

func (d *memoryDeduper) Release(_ context.Context, key, token string) error {
	s := d.shard(key)
	s.mu.Lock()
	defer s.mu.Unlock()
	if e, ok := s.entries[key]; ok && e.token == token && token != "" {
		delete(s.entries, key)
	}
	return nil
}

// sweep drops expired keys so the map stays bounded by the traffic of one TTL.
func (s *dedupeShard) sweep(now time.Time) {
	for k, e := range s.entries {
		if !now.Before(e.expires) {
			delete(s.entries, k)
		}
	}
}

// newToken is a random claim token: unique across processes sharing one deduper.
func newToken() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
