package gateway

import (
	"fmt"
	"net/netip"
	"strings"
	"sync"
	"time"

	"github.com/hooktap/hooktap/config"
	"github.com/hooktap/hooktap/signature"
)

// route is a configured route compiled for the hot path: parsed allow-list, resolved settings,
// its own rate limiter.
type route struct {
	cfg      config.Route
	settings config.RouteSettings
	allow    []netip.Prefix
	limiter  Limiter
	events   map[string]bool
	dynamic  bool
	// notDelivered is the note for a target hooktap does not deliver to ("" when it does).
	notDelivered string
}

// routeTable is an immutable snapshot of every route; the server swaps it atomically.
type routeTable struct {
	byName map[string]*route
	order  []string
	// catchAll serves every name no route has (gateway.catch_all), nil when such names are 404.
	catchAll *route
}

// lookup finds the route serving name: its own, else the catch-all, else nil.
func (t *routeTable) lookup(name string) *route {
	if rt, ok := t.byName[name]; ok {
		return rt
	}
	return t.catchAll
}

func compileRoute(r config.Route, g config.Gateway, limiters *limiterSet) (*route, error) {
	rt := &route{cfg: r, settings: r.Effective(g), notDelivered: r.NotDelivered()}
	for _, s := range r.AllowedIPs {
		p, err := parsePrefix(s)
		if err != nil {
			return nil, fmt.Errorf("route %q: allowed_ips: %w", r.Name, err)
		}
		rt.allow = append(rt.allow, p)
	}
	if len(r.Events) > 0 {
		rt.events = make(map[string]bool, len(r.Events))
		for _, e := range r.Events {
			rt.events[e] = true
		}
	}
	rt.limiter = limiters.get(r.Name, rt.settings.RateLimit)
	return rt, nil
}

// parsePrefix reads an IP or a CIDR; a bare IP is a /32 (or /128).
func parsePrefix(s string) (netip.Prefix, error) {
	s = strings.TrimSpace(s)
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		return p.Masked(), err
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, err
	}
	return netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()), nil
}

func allowed(prefixes []netip.Prefix, ip netip.Addr) bool {
	if len(prefixes) == 0 {
		return true
	}
	ip = ip.Unmap()
	for _, p := range prefixes {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// buildTable compiles static routes and dynamic ones; a static route wins a name clash.
func buildTable(cfg *config.Config, dynamic []config.Route, limiters *limiterSet) (*routeTable, error) {
	t := &routeTable{byName: map[string]*route{}}
	add := func(r config.Route, dyn bool) error {
		if _, taken := t.byName[r.Name]; taken {
			return nil
		}
		rt, err := compileRoute(r, cfg.Gateway, limiters)
		if err != nil {
			return err
		}
		rt.dynamic = dyn
		t.byName[r.Name] = rt
		t.order = append(t.order, r.Name)
		return nil
	}
	for _, r := range cfg.Gateway.Routes {
		if err := add(r, false); err != nil {
			return nil, err
		}
	}
	for _, r := range dynamic {
		if err := add(r, true); err != nil {
			return nil, err
		}
	}
	t.catchAll = t.byName[cfg.Gateway.CatchAll]
	return t, nil
}

// verifyParams builds the signature parameters for this route. Other routes' secrets, which
// the doctor needs, are added only on a failure (pipeline.go's diagnose).
func (r *route) verifyParams(now func() time.Time) signature.Params {
	return signature.Params{
		Scheme:          r.cfg.Verify,
		Secrets:         r.settings.Secrets,
		Tolerance:       r.settings.Tolerance,
		SignatureHeader: r.cfg.SignatureHeader,
		TimestampHeader: r.cfg.TimestampHeader,
		PublicKey:       r.cfg.PublicKey,
		PublicURL:       r.cfg.PublicURL,
		Now:             now,
	}
}

// otherSecrets lists every other route's secrets labelled with the route's name.
func (t *routeTable) otherSecrets(g config.Gateway, except string) []signature.Secret {
	routes := make([]config.Route, 0, len(t.order))
	for _, name := range t.order {
		routes = append(routes, t.byName[name].cfg)
	}
	return config.OtherRouteSecrets(routes, g, except)
}

// limiterSet keeps one limiter per route name across table rebuilds, so a reload of dynamic
// subscriptions does not hand every route a fresh burst.
type limiterSet struct {
	mu    sync.Mutex
	byKey map[string]Limiter
	make  LimiterFactory
}

func (l *limiterSet) get(name string, perMinute int) Limiter {
	l.mu.Lock()
	defer l.mu.Unlock()
	key := fmt.Sprintf("%s\x00%d", name, perMinute)
	if lim, ok := l.byKey[key]; ok {
		return lim
	}
	lim := l.make(name, perMinute)
	l.byKey[key] = lim
	return lim
}
