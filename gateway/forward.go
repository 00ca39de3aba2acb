package gateway

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math"
	"net/http"
	"strings"
	"time"

	"github.com/hooktap/hooktap/capture"
)

// forward sends the original request to deliver_extra.url and, when that fails, to backup_url;
// attempt numbers the try (both targets of one try share it).
func (s *Server) forward(ctx context.Context, c *capture.Capture, rt *route, attempt int) []capture.Delivery {
	extra := rt.cfg.DeliverExtra
	first := s.forwardOnce(ctx, c, rt, extra.URL, attempt)
	attempts := []capture.Delivery{first}
	if !failedAttempt(first) || extra.BackupURL == "" {
		return attempts
	}
	// Named as notify's failover event names them (from_provider / to_provider), so its text
	// shows the real targets.
	s.notifier.Emit("failover", map[string]any{
		"route": rt.cfg.Name, "from_provider": extra.URL, "to_provider": extra.BackupURL, "reason": attemptReason(first),
	})
	return append(attempts, s.forwardOnce(ctx, c, rt, extra.BackupURL, attempt))
}

func failedAttempt(d capture.Delivery) bool {
	return d.Error != "" || d.Status < 200 || d.Status >= 300
}

func attemptReason(d capture.Delivery) string {
	if d.Error != "" {
		return d.Error
	}
	return fmt.Sprintf("answered %d", d.Status)
}

// forwardOnce makes one attempt: same method, exact body bytes, headers minus hop-by-hop.
func (s *Server) forwardOnce(ctx context.Context, c *capture.Capture, rt *route, target string, attempt int) capture.Delivery {
	start := time.Now()
	d := capture.Delivery{Target: target, Attempt: attempt}
	ctx, cancel := context.WithTimeout(ctx, s.deliveryTimeout(rt))
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, c.Method, withQuery(target, c.Query), bytes.NewReader(c.Body))
	if err != nil {
		d.Error = err.Error()
		return d
	}
	copyHeaders(req.Header, c.Headers)
	for k, v := range rt.cfg.DeliverExtra.Headers {
		req.Header.Set(k, v)
	}
	resp, err := s.client.Do(req)
	d.Duration = time.Since(start)
	if err != nil {
		d.Error = err.Error()
	} else {
		d.Status = resp.StatusCode
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
		resp.Body.Close()
	}
	s.recordDelivery(rt.cfg.Name, d)
	return d
}

// copyHeaders adds the captured headers in their received order, without the ones a forward
// never sends on (capture.Forwardable).
func copyHeaders(dst http.Header, hs []capture.Header) {
	for _, h := range capture.Forwardable(hs) {
		key := http.CanonicalHeaderKey(h.Name)
		dst[key] = append(dst[key], h.Value)
	}
}

func withQuery(target, query string) string {
	if query == "" {
		return target
	}
	if strings.Contains(target, "?") {
		return target + "&" + query
	}
	return target + "?" + query
}

// recordDelivery feeds the route counters and the target-health tracker.
func (s *Server) recordDelivery(route string, d capture.Delivery) {
	ok := !failedAttempt(d)
	s.stats.add(route, func(r *RouteStats) {
		r.Deliveries++
		if !ok {
			r.DeliveryFailures++
		}
	})
	rep := s.health.record(d.Target, ok)
	data := map[string]any{"route": route, "target": d.Target,
		"success_rate": math.Round(rep.rate*1000) / 10, "attempts": rep.attempts}
	switch rep.change {
	case healthDown:
		data["error"] = attemptReason(d)
		s.notifier.Emit("target_down", data)
	case healthUp:
		s.notifier.Emit("target_up", data)
	}
}
