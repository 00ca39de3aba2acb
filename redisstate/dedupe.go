package redisstate

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/hooktap/hooktap/gateway"
)

// A delivery id's key holds the token of the request processing it, for its lease; once that
// request is answered 2xx, the seen marker, for the route's idempotency TTL. Tokens are hex, so
// no token is ever the marker. Each step is one script, so it is atomic on the server: two
// instances can never both reserve an id, and a holder whose lease expired cannot commit or
// release the key someone else now holds.
const seenMarker = "seen"

// Reserve's answers.
const (
	reserved = 0
	seen     = 1
	inFlight = 2
)

var (
	reserveScript = redis.NewScript(`
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 0 end
if redis.call('GET', KEYS[1]) == ARGV[3] then return 1 end
return 2`)
	commitScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
  return 1
end
return 0`)
	releaseScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`)
)

// dedupeKey is where a delivery id's state lives.
func (s *State) dedupeKey(key string) string { return s.prefix + "idem:" + key }

// Reserve claims key for lease (SET NX PX), or says it is seen or held. Expiry follows Redis's
// clock, which every instance shares; now is not used.
func (s *State) Reserve(ctx context.Context, key string, lease time.Duration, _ time.Time) (string, gateway.Claim, error) {
	token := newToken()
	n, err := reserveScript.Run(ctx, s.rdb, []string{s.dedupeKey(key)}, token, millis(lease), seenMarker).Int()
	if err != nil {
		return "", gateway.InFlight, fmt.Errorf("redis reserve delivery id: %w", err)
	}
	switch n {
	case reserved:
		return token, gateway.Reserved, nil
	case seen:
		return "", gateway.Seen, nil
	}
	return "", gateway.InFlight, nil
}

// Commit marks key seen for ttl, if token still holds it; a ttl of zero remembers nothing.
func (s *State) Commit(ctx context.Context, key, token string, ttl time.Duration, _ time.Time) error {
	if ttl <= 0 {
		return s.Release(ctx, key, token)
	}
	if err := commitScript.Run(ctx, s.rdb, []string{s.dedupeKey(key)}, token, seenMarker, millis(ttl)).Err(); err != nil {
		return fmt.Errorf("redis commit delivery id: %w", err)
	}
	return nil
}

// Release frees key, if token still holds it.
func (s *State) Release(ctx context.Context, key, token string) error {
	if err := releaseScript.Run(ctx, s.rdb, []string{s.dedupeKey(key)}, token).Err(); err != nil {
		return fmt.Errorf("redis release delivery id: %w", err)
	}
	return nil
}

// millis is d in whole milliseconds, at least 1: PX refuses 0.
func millis(d time.Duration) int64 { return max(d.Milliseconds(), 1) }

// newToken is a random claim token, unique across the instances sharing the Redis.
func newToken() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
