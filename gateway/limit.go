package gateway

import (
	"context"
	"math"
	"time"

	"golang.org/x/time/rate"
)

// Limiter is one route's rate limiter. It is an interface so a shared implementation (Redis, for
// several gateway instances) can replace the in-process one (team mode).
type Limiter interface {
	// Allow takes one token at now; when none is left it says how long until one is. An error
	// (a shared limiter's server unreachable) makes the gateway answer 503 with Retry-After.
	Allow(ctx context.Context, now time.Time) (ok bool, retryAfter time.Duration, err error)
}

// LimiterFactory makes the limiter of a route allowing perMinute requests a minute with a burst of
// as many; perMinute ≤ 0 means unlimited. A shared factory keys its state by route, so every
// instance serving the route draws from the same budget.
type LimiterFactory func(route string, perMinute int) Limiter

// tokenBucket is a token bucket refilling perMinute tokens a minute with a burst of perMinute.
type tokenBucket struct{ lim *rate.Limiter }

// newTokenBucket is the in-process LimiterFactory: each route's budget is this process's own.
func newTokenBucket(_ string, perMinute int) Limiter {
	if perMinute <= 0 {
		return unlimited{}
	}
	return newBucket(perMinute)
}

func newBucket(perMinute int) *tokenBucket {
	return &tokenBucket{lim: rate.NewLimiter(rate.Limit(float64(perMinute)/60), perMinute)}
}

func (t *tokenBucket) Allow(_ context.Context, now time.Time) (bool, time.Duration, error) {
	ok, wait := t.take(now)
	return ok, wait, nil
}

// take is Allow for in-process callers, which cannot fail.
func (t *tokenBucket) take(now time.Time) (bool, time.Duration) {
	r := t.lim.ReserveN(now, 1)
	if !r.OK() {
		return false, time.Minute
	}
	d := r.DelayFrom(now)
	if d == 0 {
		return true, 0
	}
	r.CancelAt(now)
	return false, d
}

type unlimited struct{}

func (unlimited) Allow(context.Context, time.Time) (bool, time.Duration, error) { return true, 0, nil }

// retryAfterSeconds rounds a wait up to whole seconds, at least 1, for the Retry-After header.
func retryAfterSeconds(d time.Duration) int {
	s := int(math.Ceil(d.Seconds()))
	if s < 1 {
		return 1
	}
	return s
}
