package gateway

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/payload"
)

// deliver is step 8: render, then deliver now (deliver_only) or owe the delivery durably: it
// joins the outbox in the capture's own transaction and is made after the 202 (outbox.go).
func (s *Server) deliver(x *exchange) (int, []byte) {
	cfg := x.rt.cfg
	if cfg.Prompt != "" || needsText(cfg.Deliver) || x.rt.notDelivered != "" {
		x.c.Rendered = x.body().Render(cfg.Prompt)
	}
	if x.rt.settings.NoSecret && (cfg.Deliver == "" || cfg.Deliver == "log") {
		return http.StatusOK, statusBody("ok", x.c.ID) // the zero-config route only captures
	}
	if x.rt.notDelivered != "" {
		x.c.Deliveries = append(x.c.Deliveries, s.undelivered(x))
		if cfg.DeliverOnly {
			return http.StatusOK, capturedBody(x.c.ID, cfg.Deliver, x.rt.notDelivered)
		}
		return http.StatusAccepted, acceptedBody(x.c.ID)
	}
	if !cfg.DeliverOnly && !x.replay { // a replay delivers before answering, to show the target's answer
		if owesDelivery(cfg.Deliver) {
			x.c.Outbox = []capture.OutboxEntry{{Route: cfg.Name, Kind: cfg.Deliver,
				Target: cfg.DeliverExtra.URL, Backup: cfg.DeliverExtra.BackupURL}}
		}
		return http.StatusAccepted, acceptedBody(x.c.ID)
	}
	if !owesDelivery(cfg.Deliver) {
		s.logRendered(x)
		return http.StatusOK, statusBody("delivered", x.c.ID)
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(x.r.Context()), s.deliveryTimeout(x.rt)*2)
	defer cancel()
	attempts := s.deliverNow(ctx, x.c, x.rt, 1)
	x.c.Deliveries = append(x.c.Deliveries, attempts...)
	if err := deliveryFailed(attempts); err != "" {
		return http.StatusBadGateway, deliveryFailedBody(x.c.ID, err)
	}
	return http.StatusOK, statusBody("delivered", x.c.ID)
}

// owesDelivery reports whether a route's delivery goes to a target (and so through the outbox);
// log delivery only writes the rendered text.
func owesDelivery(deliver string) bool { return deliver == "forward" || needsText(deliver) }

func needsText(deliver string) bool {
	return deliver == "slack" || deliver == "discord" || deliver == "generic"
}

// deliveryFailed returns the last failure's text when no attempt succeeded, else "".
func deliveryFailed(attempts []capture.Delivery) string {
	if len(attempts) == 0 {
		return ""
	}
	last := attempts[len(attempts)-1]
	if last.Error == "" && last.Status >= 200 && last.Status < 300 {
		return ""
	}
	if last.Error != "" {
		return last.Error
	}
	return fmt.Sprintf("%s answered %d", last.Target, last.Status)
}

// afterAnswer runs once the answer left: a log route (or one whose target hooktap does not
// deliver to) writes its rendered text, an owed delivery wakes the outbox deliverer.
func (s *Server) afterAnswer(x *exchange) {
	if len(x.c.Outbox) > 0 {
		s.outbox.wake()
		return
	}
	if d := x.rt.cfg.Deliver; d == "" || d == "log" || x.rt.notDelivered != "" {
		s.logRendered(x)
	}
}

// deliverNow performs the route's delivery of c once and returns every attempt made.
func (s *Server) deliverNow(ctx context.Context, c *capture.Capture, rt *route, attempt int) []capture.Delivery {
	switch rt.cfg.Deliver {
	case "forward":
		return s.forward(ctx, c, rt, attempt)
	case "slack", "discord", "generic":
		return []capture.Delivery{s.notifyDelivery(ctx, c, rt, attempt)}
	default:
		return nil
	}
}

func (s *Server) notifyDelivery(ctx context.Context, c *capture.Capture, rt *route, attempt int) capture.Delivery {
	start := time.Now()
	m := Message{Event: c.Event, Route: rt.cfg.Name, Text: c.Rendered}
	status, err := s.notifier.Deliver(ctx, rt.cfg.Deliver, rt.cfg.DeliverExtra.URL, m)
	d := capture.Delivery{Target: rt.cfg.DeliverExtra.URL, Status: status, Duration: time.Since(start), Attempt: attempt}
	if err != nil {
		d.Error = err.Error()
	}
	s.recordDelivery(rt.cfg.Name, d)
	return d
}

// logRendered writes the rendered text at debug level, cut at 1000 characters so a
// large payload cannot flood the log.
func (s *Server) logRendered(x *exchange) {
	if !s.log.Enabled(context.Background(), -4) {
		return
	}
	text := x.c.Rendered
	if text == "" {
		text = x.body().Render("")
	}
	s.log.Debug("rendered", "route", x.rt.cfg.Name, "id", x.c.ID, "text", payload.Cut(text, 1000))
}

// maxDeliveryTimeout caps deliver_extra.timeout: an attempt never ties up an outbox worker longer.
const maxDeliveryTimeout = 2 * time.Minute

func (s *Server) deliveryTimeout(rt *route) time.Duration {
	if d := rt.cfg.DeliverExtra.Timeout.D(); d > 0 {
		return min(d, maxDeliveryTimeout)
	}
	return 10 * time.Second
}
