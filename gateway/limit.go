package gateway

import (
	"math"
	"time"

	"golang.org/x/time/rate"
)

// Limiter is a per-route rate limiter. It is an interface so a shared implementation (Redis, for
// several gateway instances) can replace the in-process one (team mode).
type Limiter interface {
	// Allow takes one token at now; when none is left it says how long until one is.
	Allow(now time.Time) (ok bool, retryAfter time.Duration)
}

// tokenBucket is a token bucket refilling perMinute tokens a minute with a burst of perMinute.
type tokenBucket struct{ lim *rate.Limiter }

func newTokenBucket(perMinute int) Limiter {
	if perMinute <= 0 {
		return unlimited{}
	}
	return &tokenBucket{lim: rate.NewLimiter(rate.Limit(float64(perMinute)/60), perMinute)}
}

func (t *tokenBucket) Allow(now time.Time) (bool, time.Duration) {
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

func (unlimited) Allow(time.Time) (bool, time.Duration) { return true, 0 }

// retryAfterSeconds rounds a wait up to whole seconds, at least 1, for the Retry-After header.
func retryAfterSeconds(d time.Duration) int {
	s := int(math.Ceil(d.Seconds()))
	if s < 1 {
		return 1
	}
	return s
}
