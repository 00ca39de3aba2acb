package notify

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/config"
)

// Dispatcher delivers messages to the webhooks that want them, asynchronously: Dispatch hands a
// message to a bounded in-memory buffer and returns; a writer persists it to the store's queue;
// workers deliver with retries and dead-letter what cannot be delivered.
type Dispatcher struct {
	db       *sql.DB
	static   []Webhook
	client   *http.Client
	now      func() time.Time
	sleep    func(context.Context, time.Duration) error
	jitter   func(time.Duration) time.Duration
	log      *slog.Logger
	timeout  time.Duration
	leaseFor time.Duration
	poll     time.Duration
	workers  int
	maxQueue int

	lastPrune time.Time // touched by the scheduler goroutine only

	incoming chan Message
	wake     chan struct{}
	dropped  atomic.Int64
	subs     subscribers

	mu      sync.Mutex
	started bool
	closed  bool
	cancel  context.CancelFunc
	wg      sync.WaitGroup
}

// Option configures a Dispatcher.
type Option func(*Dispatcher)

// WithSleep replaces the wait between attempts (tests record the waits instead of sleeping).
func WithSleep(sleep func(context.Context, time.Duration) error) Option {
	return func(d *Dispatcher) { d.sleep = sleep }
}

// WithJitter replaces the random part of the backoff (given the range, returns a wait in it).
func WithJitter(j func(time.Duration) time.Duration) Option {
	return func(d *Dispatcher) { d.jitter = j }
}

// WithTimeout sets the per-attempt timeout (default 10 s).
func WithTimeout(t time.Duration) Option { return func(d *Dispatcher) { d.timeout = t } }

// WithWorkers sets how many deliveries run at once (default 4).
func WithWorkers(n int) Option { return func(d *Dispatcher) { d.workers = max(n, 1) } }

// WithQueueLimit bounds the persisted queue and the in-memory buffer (default 10 000).
func WithQueueLimit(n int) Option { return func(d *Dispatcher) { d.maxQueue = max(n, 1) } }

// WithLogger sets the logger (default slog.Default()).
func WithLogger(l *slog.Logger) Option { return func(d *Dispatcher) { d.log = l } }

// NewDispatcher prepares notify's tables in a SQLite capture store's file (the store's migrator runs
// them, as for every component) and the static (config) webhooks. Nothing is delivered until
// Start; messages dispatched before then wait in the buffer.
func NewDispatcher(store *capture.SQLite, static []config.Webhook, opts ...Option) (*Dispatcher, error) {
	d := &Dispatcher{db: store.DB(), client: &http.Client{}, now: time.Now, sleep: sleepContext, jitter: randomJitter,
		log: slog.Default(), timeout: 10 * time.Second, leaseFor: 2 * time.Minute, poll: time.Second,
		workers: 4, maxQueue: 10000, wake: make(chan struct{}, 1)}
	for _, o := range opts {
		o(d)
	}
	client := *d.client
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	d.client = &client
	d.incoming = make(chan Message, d.maxQueue)
	seen := map[string]bool{}
	for i, c := range static {
		w := FromConfig(c, i)
		warnings, err := w.Validate()
		if err != nil {
			return nil, fmt.Errorf("notify.webhooks[%d]: %w", i, err)
		}
		for _, msg := range warnings {
			d.log.Warn("notify: webhook "+w.ID+": "+msg, "webhook", w.ID)
		}
		if seen[w.ID] {
			return nil, fmt.Errorf("notify.webhooks[%d]: %w: id: %q is used twice", i, ErrInvalidWebhook, w.ID)
		}
		seen[w.ID] = true
		d.static = append(d.static, w)
	}
	if err := store.Migrate("notify", migrations); err != nil {
		return nil, fmt.Errorf("notify: %w", err)
	}
	return d, nil
}

// Start runs the writer, the scheduler and the workers until ctx ends or Close is called.
func (d *Dispatcher) Start(ctx context.Context) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.started || d.closed {
		return
	}
	d.started = true
	ctx, d.cancel = context.WithCancel(ctx)
	jobs := make(chan queued, d.workers*8)
	d.wg.Add(2 + d.workers)
	go func() { defer d.wg.Done(); d.writeLoop(ctx) }()
	go func() { defer d.wg.Done(); d.scheduleLoop(ctx, jobs) }()
	for range d.workers {
		go func() { defer d.wg.Done(); d.workLoop(ctx, jobs) }()
	}
}

// Close stops the loops, persisting any buffered message first; pending messages stay queued in
// the store for the next start.
func (d *Dispatcher) Close() {
	d.mu.Lock()
	if d.closed {
		d.mu.Unlock()
		return
	}
	d.closed = true
	cancel := d.cancel
	d.mu.Unlock()
	if cancel != nil {
		cancel()
	}
	d.wg.Wait()
	d.flush(context.Background())
	d.subs.closeAll()
}

// Dispatch builds the event's message and queues it for every webhook that wants it. It never
// blocks: past the buffer's bound the message is dropped, counted and logged.
func (d *Dispatcher) Dispatch(event string, data map[string]any) {
	d.Emit(Build(event, data, d.now()))
}

// Emit queues an already built message (the gateway's own texts), without blocking.
func (d *Dispatcher) Emit(m Message) {
	select {
	case d.incoming <- m:
	default:
		d.dropped.Add(1)
		d.log.Warn("notify: buffer full, event dropped", "event", m.Event, "dropped_total", d.dropped.Load())
	}
}

// Dropped is how many messages were dropped because the buffer was full.
func (d *Dispatcher) Dropped() int64 { return d.dropped.Load() }

// writeLoop persists buffered messages in batches (one transaction per batch).
func (d *Dispatcher) writeLoop(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case m := <-d.incoming:
			batch := d.drainBuffer([]Message{m}, 512)
			d.persist(ctx, batch)
		}
	}
}

func (d *Dispatcher) drainBuffer(batch []Message, limit int) []Message {
	for len(batch) < limit {
		select {
		case m := <-d.incoming:
			batch = append(batch, m)
		default:
			return batch
		}
	}
	return batch
}

// flush persists whatever is still buffered (at Close).
func (d *Dispatcher) flush(ctx context.Context) {
	for {
		batch := d.drainBuffer(nil, 512)
		if len(batch) == 0 {
			return
		}
		d.persist(ctx, batch)
	}
}

func (d *Dispatcher) persist(ctx context.Context, batch []Message) {
	hooks, err := d.Webhooks(ctx)
	if err == nil {
		_, err = d.enqueue(ctx, batch, hooks)
	}
	if err != nil {
		if !errors.Is(err, context.Canceled) {
			d.log.Error("notify: queue messages", "err", err, "messages", len(batch))
		}
		for _, m := range batch {
			d.Emit(m)
		}
		return
	}
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

// scheduleLoop leases due rows and hands them to the workers; it wakes on new messages, on the
// next due time, and on a short poll (other processes may queue or dead-letter-retry too).
func (d *Dispatcher) scheduleLoop(ctx context.Context, jobs chan<- queued) {
	defer close(jobs)
	for ctx.Err() == nil {
		claimed, err := d.claim(ctx, d.workers*8)
		if err != nil && ctx.Err() == nil {
			d.log.Error("notify: claim queued messages", "err", err)
		}
		for i, q := range claimed {
			select {
			case jobs <- q:
			case <-ctx.Done():
				for _, rest := range claimed[i:] {
					d.release(context.Background(), rest.ID)
				}
				return
			}
		}
		if len(claimed) > 0 {
			continue
		}
		d.pruneAttempts(ctx)
		d.waitForWork(ctx)
	}
}

func (d *Dispatcher) waitForWork(ctx context.Context) {
	wait := d.poll
	if next := d.nextDue(ctx); !next.IsZero() {
		wait = min(wait, max(next.Sub(d.now()), time.Millisecond))
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-d.wake:
	case <-t.C:
	}
}

func (d *Dispatcher) workLoop(ctx context.Context, jobs <-chan queued) {
	for q := range jobs {
		d.process(ctx, q)
	}
}

// keepAttemptRows bounds the attempt history; older rows go when the queue is idle.
const keepAttemptRows = 100000

// pruneAttempts trims the attempt history at most once a minute.
func (d *Dispatcher) pruneAttempts(ctx context.Context) {
	if now := d.now(); now.Sub(d.lastPrune) >= time.Minute {
		d.lastPrune = now
		_, err := d.db.ExecContext(ctx, `DELETE FROM notify_attempts WHERE id <= (SELECT MAX(id) FROM notify_attempts) - ?`, keepAttemptRows)
		if err != nil && ctx.Err() == nil {
			d.log.Warn("notify: prune attempt history", "err", err)
		}
	}
}
