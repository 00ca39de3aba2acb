package gateway

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/hooktap/hooktap/capture"
)

// RouteStats counts what a route saw since the gateway started or the last daily summary.
type RouteStats struct {
	Requests         int `json:"requests"`
	Verified         int `json:"verified"`
	Failed           int `json:"failed"`
	Duplicates       int `json:"duplicates"`
	RateLimited      int `json:"rate_limited"`
	Deliveries       int `json:"deliveries"`
	DeliveryFailures int `json:"delivery_failures"`
}

// fields is the counters as plain event data.
func (r RouteStats) fields() map[string]any {
	return map[string]any{"requests": r.Requests, "verified": r.Verified, "failed": r.Failed,
		"duplicates": r.Duplicates, "rate_limited": r.RateLimited, "deliveries": r.Deliveries,
		"delivery_failures": r.DeliveryFailures}
}

type stats struct {
	mu      sync.Mutex
	byRoute map[string]*RouteStats
}

func newStats() *stats { return &stats{byRoute: map[string]*RouteStats{}} }

func (s *stats) add(route string, f func(*RouteStats)) {
	s.mu.Lock()
	r := s.byRoute[route]
	if r == nil {
		r = &RouteStats{}
		s.byRoute[route] = r
	}
	f(r)
	s.mu.Unlock()
}

func (s *stats) snapshot() map[string]RouteStats {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]RouteStats, len(s.byRoute))
	for k, v := range s.byRoute {
		out[k] = *v
	}
	return out
}

func (s *stats) reset() map[string]RouteStats {
	out := s.snapshot()
	s.mu.Lock()
	s.byRoute = map[string]*RouteStats{}
	s.mu.Unlock()
	return out
}

// RunDailySummary emits daily_summary at each UTC midnight with the day's per-route counts.
func (s *Server) RunDailySummary(ctx context.Context) {
	for {
		now := s.now().UTC()
		next := now.Truncate(24 * time.Hour).Add(24 * time.Hour)
		t := time.NewTimer(next.Sub(now))
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
		s.emitSummary(now.Format(time.DateOnly))
	}
}

func (s *Server) emitSummary(day string) {
	routes := map[string]any{}
	total := 0
	for name, r := range s.stats.reset() {
		routes[name] = r.fields() // plain values: notify sums its totals from them
		total += r.Requests
	}
	s.notifier.Emit("daily_summary", map[string]any{"date": day, "requests": total, "routes": routes})
}

// logRequest writes the one info line per request that `serve` promises.
func (s *Server) logRequest(c *capture.Capture) {
	if c.Route != "" {
		s.stats.add(c.Route, func(r *RouteStats) { r.Requests++ })
	}
	// LogAttrs with typed attributes: this line is written for every request, and the variadic
	// form boxes each value.
	s.log.LogAttrs(context.Background(), slog.LevelInfo, "request",
		slog.String("id", c.ID), slog.String("method", c.Method), slog.String("path", c.Path),
		slog.String("route", c.Route), slog.String("event", c.Event), slog.Int("status", c.Status),
		slog.String("verdict", string(c.Verification.Result)), slog.String("reason", string(c.Verification.Reason)),
		slog.Int("bytes", len(c.Body)), slog.Float64("latency_ms", float64(c.Latency.Microseconds())/1000))
}
