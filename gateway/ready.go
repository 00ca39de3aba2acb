package gateway

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// What the gateway needs to answer 2xx: the capture store always, and in team mode the shared
// state behind idempotency keys and rate limits. /ready checks each; an outage, noticed by /ready
// or by a request, is logged once when it starts and once when it ends.
const (
	// readyTimeout bounds each check /ready makes.
	readyTimeout = 2 * time.Second
	// readyReuse is how long a /ready result is reused: /ready is as public as /health, so a
	// flood of it costs at most one check of each dependency per interval.
	readyReuse = time.Second
	// stateRetryAfter is the Retry-After, in seconds, of a 503 for unreachable shared state.
	stateRetryAfter = 5
)

var bodyReady = []byte(`{"status":"ready"}`)

// dependency is one thing the gateway cannot answer 2xx without.
type dependency struct {
	name  string
	check func(context.Context) error
	log   *slog.Logger
	now   func() time.Time
	down  atomic.Bool
	mu    sync.Mutex
	since time.Time
}

// fail records an error from the dependency; only the first of an outage is logged.
func (d *dependency) fail(err error) {
	if d.down.Load() {
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.down.Load() {
		return
	}
	d.since = d.now()
	d.down.Store(true)
	d.log.Error(d.name+" unreachable: requests that need it are answered 503 with Retry-After, /ready is 503, until it answers again",
		"err", err)
}

// ok records an answer from the dependency; the first after an outage is logged.
func (d *dependency) ok() {
	if !d.down.Load() {
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if !d.down.Load() {
		return
	}
	d.down.Store(false)
	d.log.Info(d.name+" reachable again: ready", "down_for", d.now().Sub(d.since).Round(time.Second).String())
}

// WithSharedState names the shared state behind WithDeduper and WithLimiterFactory (team mode:
// "redis") and gives the check /ready makes of it. The name, never an address, is what the log
// lines and /ready's answer show.
func WithSharedState(name string, check func(context.Context) error) Option {
	return func(s *Server) { s.shared.name, s.shared.check = name, check }
}

// readiness caches the last /ready result (readyReuse).
type readiness struct {
	mu     sync.Mutex
	at     time.Time
	status int
	body   []byte
}

// dependencies lists what /ready checks: the store, then the shared state when it is set.
func (s *Server) dependencies() []*dependency {
	if s.shared.check == nil {
		return []*dependency{s.storeDep}
	}
	return []*dependency{s.storeDep, s.shared}
}

// serveReady answers 200 when every dependency answers, else 503 naming those that do not.
func (s *Server) serveReady(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		writeJSON(w, http.StatusMethodNotAllowed, bodyMethodNotAllowed)
		return
	}
	status, body := s.checkReady(r.Context())
	if status != http.StatusOK {
		w.Header().Set("Retry-After", strconv.Itoa(stateRetryAfter))
	}
	writeJSON(w, status, body)
}

// CheckReady checks what a 2xx depends on, as /ready does, and returns the names of what does not
// answer; an outage it finds is logged once, like one a request finds.
func (s *Server) CheckReady(ctx context.Context) (down []string) {
	status, _ := s.checkReady(ctx)
	if status == http.StatusOK {
		return nil
	}
	for _, d := range s.dependencies() {
		if d.down.Load() {
			down = append(down, d.name)
		}
	}
	return down
}

// checkReady checks every dependency at once, at most once per readyReuse.
func (s *Server) checkReady(ctx context.Context) (int, []byte) {
	s.ready.mu.Lock()
	defer s.ready.mu.Unlock()
	if s.ready.body != nil && s.now().Sub(s.ready.at) < readyReuse {
		return s.ready.status, s.ready.body
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), readyTimeout)
	defer cancel()
	deps := s.dependencies()
	errs := make([]error, len(deps))
	var wg sync.WaitGroup
	for i, d := range deps {
		wg.Go(func() { errs[i] = d.check(ctx) })
	}
	wg.Wait()
	down := []string{}
	for i, d := range deps {
		if errs[i] != nil {
			d.fail(errs[i])
			down = append(down, d.name)
		} else {
			d.ok()
		}
	}
	s.ready.status, s.ready.body = http.StatusOK, bodyReady
	if len(down) > 0 {
		s.ready.status = http.StatusServiceUnavailable
		s.ready.body, _ = json.Marshal(struct {
			Status string   `json:"status"`
			Down   []string `json:"down"`
		}{"unavailable", down})
	}
	s.ready.at = s.now()
	return s.ready.status, s.ready.body
}

// stateUnavailable answers a request whose idempotency key or rate limit could not be read: 503
// with Retry-After, so the sender retries and nothing is taken as accepted. A request its client
// abandoned says nothing about the shared state, so it does not count as an outage.
func (s *Server) stateUnavailable(x *exchange, err error) (int, []byte) {
	if x.r.Context().Err() == nil {
		s.shared.fail(err)
	}
	x.w.Header().Set("Retry-After", strconv.Itoa(stateRetryAfter))
	s.log.Debug("request answered 503: shared state unreachable", "route", x.c.Route, "err", err)
	return http.StatusServiceUnavailable, bodyStateDown
}
