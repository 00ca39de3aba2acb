package gateway

import (
	"context"
	"sync"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/signature"
)

// One scheme per route. With `verify:` a route accepts that scheme only. Without it, the sender
// would pick the scheme, and schemes that share a raw-key HMAC let one provider's signature pass
// as another's (a Stripe v1 is a valid GitHub signature of "t." + body). So a route without
// `verify:` pins the scheme of its first verified delivery, kept in the store; from then on a
// delivery carrying another scheme's headers is refused with reason scheme_mismatch.

// pinSet caches the store's pins; the store decides which pin wins.
type pinSet struct {
	mu     sync.RWMutex
	byName map[string]capture.RoutePin
}

func (p *pinSet) get(route string) (capture.RoutePin, bool) {
	p.mu.RLock()
	defer p.mu.RUnlock()
	pin, ok := p.byName[route]
	return pin, ok
}

func (p *pinSet) set(pin capture.RoutePin) {
	p.mu.Lock()
	p.byName[pin.Route] = pin
	p.mu.Unlock()
}

// loadPins reads the pins kept in the store.
func (s *Server) loadPins() error {
	pins, err := s.store.RoutePins(context.Background())
	if err != nil {
		return err
	}
	s.pins = &pinSet{byName: pins}
	return nil
}

// RoutePin returns the scheme a route without `verify:` was pinned to, if it was.
func (s *Server) RoutePin(route string) (capture.RoutePin, bool) { return s.pins.get(route) }

// routeScheme is the scheme a route accepts: its `verify:`, else its pin, else "" (not yet known).
func (s *Server) routeScheme(rt *route) (scheme string, pinned bool) {
	if rt.cfg.Verify != "" {
		return rt.cfg.Verify, false
	}
	if pin, ok := s.pins.get(rt.cfg.Name); ok {
		return pin.Scheme, true
	}
	return "", false
}

// schemeMismatch turns a failure for missing headers into scheme_mismatch when the request
// carries another scheme's headers instead, saying which scheme the route accepts and why.
func (s *Server) schemeMismatch(rt *route, x *exchange, out signature.Outcome, want string, pinned bool) signature.Outcome {
	if out.Reason != signature.ReasonMissingHeader {
		return out
	}
	got := signature.Detect(x.r.Header)
	if got == "" || got == want {
		return out
	}
	why := "its verify: setting"
	if pinned {
		pin, _ := s.pins.get(rt.cfg.Name)
		why = "its first verified delivery " + pin.CaptureID + " (set verify: to choose)"
	}
	out.Reason = signature.ReasonSchemeMismatch
	out.Detail = "route " + rt.cfg.Name + " accepts " + want + " signatures only, by " + why +
		"; this delivery carries " + got + " headers"
	return out
}

// pinFirst pins a route without `verify:` to the scheme its first verified delivery used. It
// reports false when another process pinned a different scheme first.
func (s *Server) pinFirst(x *exchange, scheme string) bool {
	name := x.rt.cfg.Name
	if _, ok := s.pins.get(name); ok || scheme == "" || scheme == signature.SchemeNone {
		return true
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(x.r.Context()), saveTimeout)
	defer cancel()
	held, err := s.store.PinRouteScheme(ctx, capture.RoutePin{Route: name, Scheme: scheme, CaptureID: x.c.ID, PinnedAt: s.now()})
	if err != nil {
		s.log.Error("route scheme not pinned", "route", name, "err", err)
		return true // the next verified delivery tries again
	}
	s.pins.set(held)
	if held.Scheme != scheme {
		return false
	}
	s.log.Info("route pinned to the scheme of its first verified delivery; other schemes are refused (401 scheme_mismatch)",
		"route", name, "scheme", scheme, "capture", x.c.ID)
	return true
}

// verifyOneScheme verifies a route without signature rules in the one scheme it accepts, and pins
// the scheme when this is the route's first verified delivery. p.Scheme is set to that scheme.
func (s *Server) verifyOneScheme(x *exchange, req signature.Request, p *signature.Params) signature.Outcome {
	want, pinned := s.routeScheme(x.rt)
	p.Scheme = want
	out := signature.Verify(req, *p)
	if want != "" {
		return s.schemeMismatch(x.rt, x, out, want, pinned)
	}
	if out.Result == signature.Verified && !s.pinFirst(x, out.Scheme) {
		pin, _ := s.pins.get(x.rt.cfg.Name)
		return signature.Outcome{Scheme: pin.Scheme, Result: signature.Failed, Reason: signature.ReasonSchemeMismatch,
			Detail: "route " + x.rt.cfg.Name + " was pinned to " + pin.Scheme + " by another hooktap process at the same moment; " +
				"this delivery is " + out.Scheme}
	}
	return out
}
