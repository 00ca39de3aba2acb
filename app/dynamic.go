package app

import (
	"context"
	"log/slog"
	"sync"

	"github.com/hooktap/hooktap/config"
	"github.com/hooktap/hooktap/subscription"
)

// foreignRoutes opens the original system's dynamic routes file the config names, if any.
func foreignRoutes(cfg *config.Config, log *slog.Logger) *subscription.RoutesFile {
	path := cfg.DynamicRoutesFile
	if path == "" {
		return nil
	}
	decode := func(data []byte) ([]config.Route, error) {
		routes, skipped, err := cfg.HermesSubscriptions(data, path)
		if skipped != nil {
			log.Warn("routes left out", "file", path, "err", skipped)
		}
		return routes, err
	}
	return subscription.OpenRoutes(path, decode, subscription.WithLogger(log))
}

// dynamicRoutes joins the two sources of dynamic routes (hooktap's subscriptions.json and the
// original system's file) so a change in one never drops the other's routes.
type dynamicRoutes struct {
	mu            sync.Mutex
	subs, foreign []config.Route
}

func (d *dynamicRoutes) setSubs(r []config.Route) []config.Route {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.subs = r
	return append(append([]config.Route(nil), d.subs...), d.foreign...)
}

func (d *dynamicRoutes) setForeign(r []config.Route) []config.Route {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.foreign = r
	return append(append([]config.Route(nil), d.subs...), d.foreign...)
}

// watchSubscriptions feeds dynamic routes to the gateway as subscriptions.json (and the original
// system's routes file) change; static routes win a name clash.
func (a *App) watchSubscriptions(ctx context.Context) {
	var d dynamicRoutes
	apply := func(routes []config.Route) {
		if err := a.Gateway.SetDynamicRoutes(routes); err != nil {
			a.Log.Error("subscriptions not applied", "err", err)
		}
	}
	var wg sync.WaitGroup
	defer wg.Wait()
	if a.Foreign != nil {
		wg.Go(func() {
			err := a.Foreign.Watch(ctx, func(r []config.Route) { apply(d.setForeign(r)) })
			if err != nil && ctx.Err() == nil {
				a.Log.Error("routes file not watched", "file", a.Foreign.Path(), "err", err)
			}
		})
	}
	onSubs := func(subs []subscription.Subscription) {
		routes := make([]config.Route, 0, len(subs))
		for _, s := range subs {
			routes = append(routes, s.Route())
		}
		apply(d.setSubs(routes))
	}
	if subs, err := a.Subs.List(); err == nil {
		onSubs(subs)
	} else {
		a.Log.Error("subscriptions unreadable", "file", a.Subs.Path(), "err", err)
	}
	if err := a.Subs.Watch(ctx, onSubs); err != nil && ctx.Err() == nil {
		a.Log.Error("subscriptions not watched", "err", err)
	}
}
