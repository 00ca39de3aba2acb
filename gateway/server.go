// Package gateway is hooktap's public listener: it routes, limits, verifies, de-duplicates,
// renders and delivers webhook requests, and records every one of them in the capture store.
package gateway

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/config"
)

// Server is the public gateway.
type Server struct {
	cfg       *config.Config
	store     capture.Store
	log       *slog.Logger
	now       func() time.Time
	table     atomic.Pointer[routeTable]
	limiters  *limiterSet
	dedupe    Deduper
	notifier  Notifier
	client    *http.Client
	stats     *stats
	health    *targetHealth
	publicURL func() string
	trusted   []netip.Prefix
	doctor    chan struct{}
	outbox    *deliverer
	rejects   *rejectBudget
	pins      *pinSet
	bg        sync.WaitGroup
	// noted remembers the routes whose undelivered target was logged, so it is logged once.
	notedMu sync.Mutex
	noted   map[string]bool
	// noSecretDetail tells a zero-config user where to add routes to verify signatures.
	noSecretDetail string
	// storeDep and shared are what /ready checks; shared also counts the deduper's and the
	// limiters' errors, so its outages are logged once.
	storeDep, shared *dependency
	ready            readiness
}

// Option configures a Server.
type Option func(*Server)

// WithLogger sets the logger (default: discard).
func WithLogger(l *slog.Logger) Option { return func(s *Server) { s.log = l } }

// WithClock sets the clock used for rate limits, tolerance and TTLs.
func WithClock(now func() time.Time) Option { return func(s *Server) { s.now = now } }

// WithNotifier sets where slack/discord/generic deliveries and the gateway's own events go.
func WithNotifier(n Notifier) Option { return func(s *Server) { s.notifier = n } }

// WithDeduper replaces the in-memory idempotency cache; team mode passes its shared one.
func WithDeduper(d Deduper) Option { return func(s *Server) { s.dedupe = d } }

// WithLimiterFactory replaces the in-memory token buckets of the routes; team mode passes its
// shared ones. The per-source budget of rejected requests stays in process (rejects.go).
func WithLimiterFactory(f LimiterFactory) Option {
	return func(s *Server) { s.limiters.make = f }
}

// WithPublicURL gives the public base URL (tunnel or public_base_url) used for Twilio's signed URL.
func WithPublicURL(f func() string) Option { return func(s *Server) { s.publicURL = f } }

// New builds the gateway over a store.
func New(cfg *config.Config, store capture.Store, opts ...Option) (*Server, error) {
	s := &Server{
		cfg:       cfg,
		store:     store,
		log:       slog.New(slog.DiscardHandler),
		now:       time.Now,
		dedupe:    newMemoryDeduper(),
		shared:    &dependency{name: "shared state"},
		notifier:  noNotifier{},
		publicURL: func() string { return cfg.Gateway.PublicBase("") },
		doctor:    make(chan struct{}, 2),
		client:    &http.Client{CheckRedirect: noRedirects},
		noted:     map[string]bool{},
	}
	s.limiters = &limiterSet{byKey: map[string]Limiter{}, make: newTokenBucket}
	for _, o := range opts {
		o(s)
	}
	s.storeDep = &dependency{name: "capture store", check: store.Ping, log: s.log, now: s.now}
	s.shared.log, s.shared.now = s.log, s.now
	s.stats = newStats()
	s.noSecretDetail = "no secret configured for this route: nothing was verified"
	if where := cfg.ConfigPath(); where != "" {
		s.noSecretDetail += "; to verify signatures, add routes with their secrets to " + where
	}
	s.health = newTargetHealth()
	s.outbox = newDeliverer(s)
	s.rejects = newRejectBudget(rejectPerMinute)
	if err := s.loadPins(); err != nil {
		return nil, err
	}
	for _, p := range cfg.Gateway.TrustedProxies {
		pfx, err := parsePrefix(p)
		if err != nil {
			return nil, err
		}
		s.trusted = append(s.trusted, pfx)
	}
	return s, s.SetDynamicRoutes(nil)
}

// SetDynamicRoutes replaces the dynamic subscriptions; static routes win a name clash.
func (s *Server) SetDynamicRoutes(dynamic []config.Route) error {
	t, err := buildTable(s.cfg, dynamic, s.limiters)
	if err != nil {
		return err
	}
	s.table.Store(t)
	s.noteUndelivered(t)
	return nil
}

// Routes returns the effective routes, static first, in declaration order.
func (s *Server) Routes() []config.Route {
	t := s.table.Load()
	out := make([]config.Route, 0, len(t.order))
	for _, n := range t.order {
		out = append(out, t.byName[n].cfg)
	}
	return out
}

// Handler is the public handler: the only one ever served on the public and tunnel listeners.
func (s *Server) Handler() http.Handler { return http.HandlerFunc(s.serveHTTP) }

// Serve runs the public listener on ln until ctx ends, then shuts down gracefully. The tunnel's
// listener is served the same way, so its traffic gets the same timeouts, limits and shutdown.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	read := s.cfg.Gateway.ReadTimeout.D()
	if read <= 0 {
		read = 30 * time.Second
	}
	srv := &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: min(10*time.Second, read),
		ReadTimeout:       read,
		WriteTimeout:      read + time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    1 << 20,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelDebug),
		ConnContext:       connContext,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(recordingListener{ln}) }()
	deliverCtx, stopDelivering := context.WithCancel(ctx)
	defer stopDelivering()
	s.bg.Add(1)
	go func() { defer s.bg.Done(); s.outbox.run(deliverCtx) }()
	select {
	case err := <-errc:
		stopDelivering()
		s.Wait()
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := srv.Shutdown(shutdown)
	s.Wait()
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// Wait blocks until the outbox deliverer has stopped (after Serve's context ended).
func (s *Server) Wait() { s.bg.Wait() }

// Stats returns per-route counters since start (or since the last daily summary).
func (s *Server) Stats() map[string]RouteStats { return s.stats.snapshot() }

func noRedirects(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
