package redisstate

import (
	"context"
	"fmt"
	"time"

	"github.com/go-redis/redis_rate/v10"

	"github.com/hooktap/hooktap/gateway"
)

// Limiter is the gateway.LimiterFactory of this State: route's budget of perMinute requests a
// minute, with a burst of as many (as the in-process token bucket), shared by every instance.
// redis_rate implements it as GCRA in one script on Redis's clock; its key is
// "rate:" + prefix + "limit:" + route (redis_rate adds "rate:").
func (s *State) Limiter(route string, perMinute int) gateway.Limiter {
	if perMinute <= 0 {
		return unlimited{}
	}
	return &limiter{s: s, key: s.prefix + "limit:" + route, limit: redis_rate.PerMinute(perMinute)}
}

type limiter struct {
	s     *State
	key   string
	limit redis_rate.Limit
}

// Allow takes one request from the route's budget; now is not used (Redis's clock is shared).
func (l *limiter) Allow(ctx context.Context, _ time.Time) (bool, time.Duration, error) {
	res, err := l.s.rate.Allow(ctx, l.key, l.limit)
	if err != nil {
		return false, 0, fmt.Errorf("redis rate limit: %w", err)
	}
	if res.Allowed > 0 {
		return true, 0, nil
	}
	return false, res.RetryAfter, nil
}

type unlimited struct{}

func (unlimited) Allow(context.Context, time.Time) (bool, time.Duration, error) { return true, 0, nil }
