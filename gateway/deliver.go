package gateway

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/payload"
)

// deliver is step 8: render, then deliver now (deliver_only) or after answering 202.
func (s *Server) deliver(x *exchange) (int, []byte) {
	cfg := x.rt.cfg
	if cfg.Prompt != "" || needsText(cfg.Deliver) {
		x.parse()
		x.c.Rendered = payload.Render(cfg.Prompt, x.parsed, x.c.Body)
	}
	if x.rt.settings.NoSecret {
		return http.StatusOK, statusBody("ok", x.c.ID)
	}
	if !cfg.DeliverOnly {
		return http.StatusAccepted, acceptedBody(x.c.ID)
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(x.r.Context()), s.deliveryTimeout(x.rt)*2)
	defer cancel()
	attempts := s.deliverNow(ctx, x)
	x.c.Deliveries = append(x.c.Deliveries, attempts...)
	if err := deliveryFailed(attempts); err != "" {
		return http.StatusBadGateway, deliveryFailedBody(x.c.ID, err)
	}
	return http.StatusOK, statusBody("delivered", x.c.ID)
}

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

// deliverLater runs delivery in the background after a 202, appending attempts to the capture.
func (s *Server) deliverLater(x *exchange) {
	if d := x.rt.cfg.Deliver; d == "" || d == "log" {
		s.logRendered(x)
		return
	}
	s.bg.Add(1)
	go func() {
		defer s.bg.Done()
		s.delivery <- struct{}{}
		defer func() { <-s.delivery }()
		ctx, cancel := context.WithTimeout(context.Background(), s.deliveryTimeout(x.rt)*2)
		defer cancel()
		for _, d := range s.deliverNow(ctx, x) {
			if err := s.store.AddDelivery(ctx, x.c.ID, d); err != nil {
				s.log.Error("delivery not recorded", "id", x.c.ID, "err", err)
			}
		}
	}()
}

// deliverNow performs the route's delivery and returns every attempt made.
func (s *Server) deliverNow(ctx context.Context, x *exchange) []capture.Delivery {
	cfg := x.rt.cfg
	switch cfg.Deliver {
	case "forward":
		return s.forward(ctx, x)
	case "slack", "discord", "generic":
		return []capture.Delivery{s.notifyDelivery(ctx, x)}
	default:
		s.logRendered(x)
		return nil
	}
}

func (s *Server) notifyDelivery(ctx context.Context, x *exchange) capture.Delivery {
	start := time.Now()
	m := Message{Event: x.c.Event, Route: x.rt.cfg.Name, Text: x.c.Rendered}
	status, err := s.notifier.Deliver(ctx, x.rt.cfg.Deliver, x.rt.cfg.DeliverExtra.URL, m)
	d := capture.Delivery{Target: x.rt.cfg.DeliverExtra.URL, Status: status, Duration: time.Since(start), Attempt: 1}
	if err != nil {
		d.Error = err.Error()
	}
	s.recordDelivery(x.rt.cfg.Name, d)
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
		x.parse()
		text = payload.Render("", x.parsed, x.c.Body)
	}
	s.log.Debug("rendered", "route", x.rt.cfg.Name, "id", x.c.ID, "text", payload.Cut(text, 1000))
}

func (s *Server) deliveryTimeout(rt *route) time.Duration {
	if d := rt.cfg.DeliverExtra.Timeout.D(); d > 0 {
		return d
	}
	return 10 * time.Second
}
