// Package redisstate keeps the gateway's shared state in Redis, so several hooktap instances
// behind one load balancer act as one gateway (team mode): a delivery id is processed once
// whichever instance receives it, and a route's rate limit holds across all of them. The
// gateway never imports this package; app passes it in through gateway.WithDeduper,
// gateway.WithLimiterFactory and gateway.WithSharedState (Options).
package redisstate

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/redis/go-redis/v9"

	"github.com/hooktap/hooktap/gateway"
	"github.com/hooktap/hooktap/mask"
)

// DefaultPrefix starts every key hooktap writes, unless the URL's prefix says otherwise.
const DefaultPrefix = "hooktap:"

// Name is how logs and /ready name this shared state.
const Name = "redis"

// Timeouts applied unless the URL sets its own (dial_timeout, read_timeout, write_timeout,
// max_retries): every request waits on Redis, so an unreachable server must turn into a 503
// within about a second, not after go-redis's defaults of several seconds, three retries and
// five dials each.
const (
	dialTimeout   = 2 * time.Second
	ioTimeout     = time.Second
	maxRetries    = 1
	dialerRetries = 1
)

// State is a connection to Redis holding idempotency keys and per-route rate limits.
type State struct {
	rdb    *redis.Client
	rate   *redis_rate.Limiter
	prefix string
	where  string
}

// Option configures Open.
type Option func(*openOptions)

type openOptions struct{ log *slog.Logger }

// WithLogger receives go-redis's own messages (each failed dial, …) at debug level; by default
// they are dropped, since each failure also reaches the gateway, which logs an outage once.
func WithLogger(l *slog.Logger) Option { return func(o *openOptions) { o.log = l } }

// Open parses a redis://, rediss:// or unix:// URL (go-redis's form, plus prefix=, default
// "hooktap:") and returns a State; the connection is made on first use, so Open succeeds while
// Redis is down and the gateway recovers on its own once it is up.
func Open(rawURL string, opts ...Option) (*State, error) {
	o := openOptions{log: slog.New(slog.DiscardHandler)}
	for _, f := range opts {
		f(&o)
	}
	opt, prefix, err := parseURL(rawURL)
	if err != nil {
		return nil, err
	}
	// go-redis logs through one logger for the whole process, to stderr unless told otherwise.
	redis.SetLogger(debugLogger(o))
	rdb := redis.NewClient(opt)
	return &State{rdb: rdb, rate: redis_rate.NewLimiter(rdb), prefix: prefix, where: mask.URL(rawURL)}, nil
}

// parseURL splits prefix off the URL and fills in the timeouts it does not set.
func parseURL(rawURL string) (*redis.Options, string, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, "", fmt.Errorf("redis URL %s: %w", mask.URL(rawURL), err)
	}
	q := u.Query()
	prefix := DefaultPrefix
	if q.Has("prefix") {
		prefix = q.Get("prefix")
		q.Del("prefix")
		u.RawQuery = q.Encode()
	}
	opt, err := redis.ParseURL(u.String())
	if err != nil {
		return nil, "", fmt.Errorf("redis URL %s: %w", mask.URL(rawURL), err)
	}
	if !q.Has("dial_timeout") {
		opt.DialTimeout = dialTimeout
	}
	if !q.Has("read_timeout") {
		opt.ReadTimeout = ioTimeout
	}
	if !q.Has("write_timeout") {
		opt.WriteTimeout = ioTimeout
	}
	if !q.Has("max_retries") {
		opt.MaxRetries = maxRetries
	}
	opt.DialerRetries = dialerRetries
	return opt, prefix, nil
}

// debugLogger turns go-redis's log lines into debug records.
type debugLogger struct{ log *slog.Logger }

func (d debugLogger) Printf(ctx context.Context, format string, v ...any) {
	d.log.DebugContext(ctx, fmt.Sprintf(format, v...))
}

// Options wires this State into gateway.New: idempotency keys, route limits and readiness.
func (s *State) Options() []gateway.Option {
	return []gateway.Option{
		gateway.WithDeduper(s),
		gateway.WithLimiterFactory(s.Limiter),
		gateway.WithSharedState(Name, s.Ping),
	}
}

// Ping reports whether Redis answers.
func (s *State) Ping(ctx context.Context) error {
	if err := s.rdb.Ping(ctx).Err(); err != nil {
		return fmt.Errorf("redis %s: %w", s.where, err)
	}
	return nil
}

// Location is the URL with its password masked, for logs.
func (s *State) Location() string { return s.where }

// Prefix is the prefix of every key this State writes.
func (s *State) Prefix() string { return s.prefix }

// Close closes the connections.
func (s *State) Close() error { return s.rdb.Close() }
