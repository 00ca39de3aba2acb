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

// dedupeMaxSeen bounds the ids the in-memory deduper remembers as seen. Each shard keeps its
// seen ids in two generations: new ids go into the current one, and when it holds half the
// shard's share it becomes the previous one and the previous one is dropped whole. So at least
// the newest half of the bound and at most the bound are remembered; an older id is forgotten even
// inside its TTL, and a copy of it would be processed again. Dropping a generation whole, rather
// than deleting ids one by one, keeps each map at the size it was filled to (a Go map emptied by
// deletes keeps its buckets, and one churned by deletes and inserts grows to four times its
// live size). About 35 bytes per id (a 128-bit hash and an expiry): 3.5 MB at the bound, at any
// request rate, where keeping every id for idempotency_ttl held 145 bytes per request of the
// last hour (45 MB live after 300 000 requests under load, twice that in RSS with the GC's
// headroom). At a workbench's rates the bound is not reached: 100 000 ids in the default hour
// are 27 requests/s.
const dedupeMaxSeen = 100_000

// memoryDeduper is a sharded in-memory set of delivery ids, each kept as a 128-bit hash of the
// key: the ids held by a request in flight, and the ids seen (committed), bounded by
// dedupeMaxSeen.
type memoryDeduper struct {
	seeds  [2]maphash.Seed
	shards [dedupeShards]dedupeShard
}

// idHash is a key's 128-bit hash: two keys share one with negligible odds (about n²/2¹²⁹ for n
// ids), and unlike the key it has a fixed size however long the route name and delivery id.
type idHash [2]uint64

type heldID struct {
	token string
	lease int64 // unix nanoseconds after which the holder is presumed dead
}

type dedupeShard struct {
	mu sync.Mutex
	// held is bounded by the requests in flight; abandoned leases are swept every 1024 reserves.
	held   map[idHash]heldID
	writes int
	// seen and older map seen ids to their expiry (unix nanoseconds): the current generation, up
	// to genSize ids, and the one before it.
	seen, older map[idHash]int64
	genSize     int
}

func newMemoryDeduper() *memoryDeduper { return newBoundedDeduper(dedupeMaxSeen) }

// newBoundedDeduper remembers at most maxSeen seen ids (at least half of them), shared among
// its shards.
func newBoundedDeduper(maxSeen int) *memoryDeduper {
	d := &memoryDeduper{seeds: [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()}}
	gen := max(maxSeen/dedupeShards/2, 1)
	for i := range d.shards {
		d.shards[i] = dedupeShard{held: map[idHash]heldID{}, seen: map[idHash]int64{}, genSize: gen}
	}
	return d
}

func (d *memoryDeduper) locate(key string) (*dedupeShard, idHash) {
	id := idHash{maphash.String(d.seeds[0], key), maphash.String(d.seeds[1], key)}
	return &d.shards[id[0]%dedupeShards], id
}

func (d *memoryDeduper) Reserve(_ context.Context, key string, lease time.Duration, now time.Time) (string, Claim, error) {
	s, id := d.locate(key)
	at := now.UnixNano()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.seenAt(id, at) {
		return "", Seen, nil
	}
	if h, ok := s.held[id]; ok && at < h.lease {
		return "", InFlight, nil
	}
	token := newToken()
	s.held[id] = heldID{token: token, lease: now.Add(lease).UnixNano()}
	s.writes++
	if s.writes%1024 == 0 {
		s.sweepHeld(at)
	}
	return token, Reserved, nil
}

func (d *memoryDeduper) Commit(_ context.Context, key, token string, ttl time.Duration, now time.Time) error {
	s, id := d.locate(key)
	s.mu.Lock()
	defer s.mu.Unlock()
	if h, ok := s.held[id]; ok && h.token == token && token != "" {
		delete(s.held, id)
		s.remember(id, now.Add(ttl).UnixNano())
	}
	return nil
}

func (d *memoryDeduper) Release(_ context.Context, key, token string) error {
	s, id := d.locate(key)
	s.mu.Lock()
	defer s.mu.Unlock()
	if h, ok := s.held[id]; ok && h.token == token && token != "" {
		delete(s.held, id)
	}
	return nil
}

// seenAt reports whether id was committed and its TTL has not run out at now.
func (s *dedupeShard) seenAt(id idHash, now int64) bool {
	if exp, ok := s.seen[id]; ok && now < exp {
		return true
	}
	exp, ok := s.older[id]
	return ok && now < exp
}

// remember marks id seen until expires, starting a new generation when the current one is full.
func (s *dedupeShard) remember(id idHash, expires int64) {
	if _, again := s.seen[id]; !again && len(s.seen) >= s.genSize {
		s.older, s.seen = s.seen, make(map[idHash]int64, s.genSize)
	}
	s.seen[id] = expires
}

// sweepHeld drops reservations whose holder outlived its lease (it died or hung).
func (s *dedupeShard) sweepHeld(now int64) {
	for id, h := range s.held {
		if now >= h.lease {
			delete(s.held, id)
		}
	}
}

// newToken is a random claim token: unique across processes sharing one deduper.
func newToken() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
