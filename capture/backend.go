package capture

import (
	"context"
	"time"
)

// Reader is the reading half of a store: what the inspector surfaces (TUI, CLI, admin API,
// MCP) need. A remote client of a running hooktap's admin API implements it too.
type Reader interface {
	// Get returns the capture whose id is idOrPart or uniquely starts or ends with it (any case);
	// an *AmbiguousError when several fit, or ErrNotFound.
	Get(ctx context.Context, idOrPart string) (*Capture, error)
	// List returns one page of captures matching f, newest first, without bodies.
	List(ctx context.Context, f Filter) (Page, error)
	// Count counts the captures matching f.
	Count(ctx context.Context, f Filter) (int, error)
	// Subscribe follows captures as they are committed (by any instance sharing the store).
	Subscribe(buffer int) *Subscription
	// RoutePins returns the scheme each route is pinned to.
	RoutePins(ctx context.Context) (map[string]RoutePin, error)
	// OutboxFor lists the deliveries a capture owes or owed.
	OutboxFor(ctx context.Context, captureID string) ([]OutboxEntry, error)
}

// Writer records captures and what happened to them afterwards.
type Writer interface {
	// Save commits c (and the deliveries it owes, c.Owed) before returning: a nil error means
	// durable. It fills c.ID and c.ReceivedAt when empty.
	Save(ctx context.Context, c *Capture) error
	// AddDelivery appends an attempt to deliver the capture id.
	AddDelivery(ctx context.Context, id string, d Delivery) error
	// SetResult records the answer given to the sender after the capture was saved.
	SetResult(ctx context.Context, id string, status int, responseBody []byte) error
}

// OutboxAdmin is the operator's view of the outbox (`hooktap deliveries`).
type OutboxAdmin interface {
	ListOutbox(ctx context.Context, f OutboxFilter) ([]OutboxEntry, error)
	RetryOutbox(ctx context.Context, ids ...int64) (int64, error)
	PurgeOutbox(ctx context.Context, ids ...int64) (int64, error)
}

// RoutePinner keeps the scheme a route without `verify:` pinned on its first verified delivery.
type RoutePinner interface {
	PinRouteScheme(ctx context.Context, p RoutePin) (RoutePin, error)
	UnpinRoute(ctx context.Context, route string) (bool, error)
}

// Store is the capture store every component works through. SQLite (this package's SQLite, the
// embedded default) and PostgreSQL (package pgstore) implement it, and both pass the contract
// suite in package storetest.
type Store interface {
	Reader
	Writer
	Outbox
	OutboxAdmin
	RoutePinner
	// Prune deletes captures older than olderThan and beyond the newest keep (zero disables
	// either); it never deletes a capture whose delivery is still pending.
	Prune(ctx context.Context, olderThan time.Duration, keep int) (int64, error)
	// Clear deletes every capture and returns how many there were.
	Clear(ctx context.Context) (int64, error)
	// Ping reports whether the store answers now (readiness; `/ready`).
	Ping(ctx context.Context) error
	// Location names the store for logs and prompts: a file path, or a URL without its password.
	Location() string
	// Close commits what is queued and releases the store.
	Close() error
}

var _ Store = (*SQLite)(nil)

// Settings is what the Option functions chose, for store implementations outside this package.
type Settings struct {
	Now        func() time.Time
	MaxCount   int           // captures kept at most (0: no limit)
	MaxAge     time.Duration // captures kept at most this long (0: no limit)
	MaxBytes   int64         // total bytes kept at most (0: no limit)
	PruneEvery time.Duration // how often retention runs when nothing nudges it
}

// Retains reports whether any retention limit is set.
func (s Settings) Retains() bool { return s.MaxCount > 0 || s.MaxAge > 0 || s.MaxBytes > 0 }

// ResolveOptions applies opts over the defaults every implementation shares.
func ResolveOptions(opts ...Option) Settings {
	o := defaultOptions()
	for _, opt := range opts {
		opt(&o)
	}
	return Settings{Now: o.now, MaxCount: o.maxCount, MaxAge: o.maxAge, MaxBytes: o.maxBytes, PruneEvery: o.pruneEvery}
}
