// Package app wires hooktap's parts into one running program: the capture store, the gateway,
// the admin API, notify, the tunnel and dynamic subscriptions. `serve` runs it headless; the TUI
// runs it behind the inspector.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/hooktap/hooktap/admin"
	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/config"
	"github.com/hooktap/hooktap/gateway"
	"github.com/hooktap/hooktap/notify"
	"github.com/hooktap/hooktap/redisstate"
	"github.com/hooktap/hooktap/replay"
	"github.com/hooktap/hooktap/storage"
	"github.com/hooktap/hooktap/subscription"
	"github.com/hooktap/hooktap/tunnel"
)

// App is one running hooktap: every part, with its listeners already open.
type App struct {
	Config   *config.Config
	Log      *slog.Logger
	Store    capture.Store
	Gateway  *gateway.Server
	Admin    *admin.Server
	Tunnel   tunnel.Tunnel
	Notify   *notify.Dispatcher
	Replayer *replay.Replayer
	Subs     *subscription.File
	// Foreign is the original system's dynamic routes file (Hermes' webhook_subscriptions.json
	// beside its config), nil when the config names none.
	Foreign *subscription.RoutesFile
	// Shared is the Redis keeping idempotency keys and route limits (gateway.redis), nil when
	// they are kept in process.
	Shared *redisstate.State

	gatewayLn net.Listener
	adminLn   net.Listener
	// local keeps notify's tables: the store itself when it is SQLite, else the data dir's
	// SQLite file opened beside the shared store (notify's queue stays per instance).
	local *capture.SQLite
}

// storeOpenTimeout bounds connecting to a store server at start, so an unreachable one fails
// the start with its error instead of hanging it.
const storeOpenTimeout = 30 * time.Second

// openStores opens the capture store the configuration names, and notify's local SQLite file.
func (a *App) openStores() error {
	cfg := a.Config
	ctx, cancel := context.WithTimeout(context.Background(), storeOpenTimeout)
	defer cancel()
	st, err := storage.Open(ctx, cfg.StoreURL(),
		capture.WithRetention(cfg.Capture.MaxCount, cfg.Capture.MaxAge.D()),
		capture.WithMaxBytes(int64(cfg.Capture.MaxBytes)))
	if err != nil {
		return err
	}
	a.Store = st
	if local, ok := st.(*capture.SQLite); ok {
		a.local = local
		return nil
	}
	if a.local, err = capture.Open(cfg.StorePath()); err != nil {
		return fmt.Errorf("notify's local store: %w", err)
	}
	return nil
}

// New opens the store and the listeners and builds every part; nothing is served until Run.
func New(cfg *config.Config, log *slog.Logger) (_ *App, err error) {
	a := &App{Config: cfg, Log: log}
	defer func() {
		if err != nil {
			a.closeAll() // whatever was opened before the failure
		}
	}()
	if err = a.openStores(); err != nil {
		return nil, err
	}
	if a.Tunnel, err = tunnel.New(cfg.Tunnel, log.With("part", "tunnel")); err != nil {
		return nil, err
	}
	if a.Notify, err = notify.NewDispatcher(a.local, cfg.Notify.Webhooks,
		notify.WithLogger(log.With("part", "notify"))); err != nil {
		return nil, fmt.Errorf("notify: %w", err)
	}
	if err = a.openListeners(); err != nil {
		return nil, err
	}
	opts := []gateway.Option{gateway.WithLogger(log.With("part", "gateway")),
		gateway.WithNotifier(notifier{a.Notify}), gateway.WithPublicURL(a.PublicURL)}
	if cfg.Gateway.Redis != "" {
		if a.Shared, err = redisstate.Open(cfg.Gateway.Redis, redisstate.WithLogger(log.With("part", "redis"))); err != nil {
			return nil, fmt.Errorf("gateway.redis: %w", err)
		}
		opts = append(opts, a.Shared.Options()...)
	}
	if a.Gateway, err = gateway.New(cfg, a.Store, opts...); err != nil {
		return nil, err
	}
	a.Replayer = replay.NewReplayer(a.Store, cfg, "http://"+a.GatewayAddr(), &http.Client{Timeout: 30 * time.Second}).
		WithGateway(a.Gateway)
	a.Subs = subscription.Open(cfg.SubscriptionsPath(), subscription.WithLogger(log.With("part", "subscriptions")))
	a.Foreign = foreignRoutes(cfg, log.With("part", "subscriptions"))
	a.Admin = admin.New(a.adminDeps())
	return a, nil
}

func (a *App) openListeners() error {
	var err error
	if a.Config.GatewayEnabled() {
		if a.gatewayLn, err = net.Listen("tcp", a.Config.ListenAddr()); err != nil {
			return fmt.Errorf("gateway listener %s: %w", a.Config.ListenAddr(), err)
		}
	}
	if err = admin.CheckLoopbackAddr(a.Config.Admin.Addr); err != nil {
		return fmt.Errorf("admin.addr: %w", err)
	}
	if a.adminLn, err = net.Listen("tcp", a.Config.Admin.Addr); err != nil {
		return fmt.Errorf("admin listener %s: %w", a.Config.Admin.Addr, err)
	}
	return nil
}

// GatewayAddr is the address the public listener is bound to ("" when the gateway is disabled).
func (a *App) GatewayAddr() string {
	if a.gatewayLn == nil {
		return ""
	}
	return a.gatewayLn.Addr().String()
}

// AdminAddr is the address the admin API is bound to.
func (a *App) AdminAddr() string { return a.adminLn.Addr().String() }

// PublicURL is the base URL the internet reaches the gateway at: the tunnel's, or
// gateway.public_base_url, or "" when local only.
func (a *App) PublicURL() string {
	tunnelURL := ""
	if a.Tunnel != nil {
		tunnelURL = a.Tunnel.URL()
	}
	return a.Config.Gateway.PublicBase(tunnelURL)
}

// Run serves until ctx ends, then shuts every part down and flushes the store.
func (a *App) Run(ctx context.Context) error {
	defer a.writeRuntime()()
	g, ctx := errgroup.WithContext(ctx)
	a.Notify.Start(ctx)
	if a.gatewayLn != nil {
		g.Go(func() error { return a.Gateway.Serve(ctx, a.gatewayLn) })
		a.serveTunnel(ctx, g)
	}
	g.Go(func() error { return a.Admin.Serve(ctx, a.adminLn) })
	g.Go(func() error { a.watchSubscriptions(ctx); return nil })
	g.Go(func() error { a.Gateway.RunDailySummary(ctx); return nil })
	// A store or Redis that does not answer at start is logged now, not at the first request.
	g.Go(func() error { a.Gateway.CheckReady(ctx); return nil })
	err := g.Wait()
	a.closeAll()
	if errors.Is(err, context.Canceled) {
		err = nil
	}
	return err
}

// serveTunnel has the gateway serve the tunnel's listener like its own. The tunnel outlives
// ctx: Close (after every Serve has returned) disconnects it, so requests in flight through it
// finish during the gateway's graceful shutdown instead of being cut.
func (a *App) serveTunnel(ctx context.Context, g *errgroup.Group) {
	ln, err := a.Tunnel.Start(context.WithoutCancel(ctx))
	if err != nil {
		a.Log.Warn("tunnel not started", "err", err)
		return
	}
	if ln != nil {
		g.Go(func() error { return a.Gateway.Serve(ctx, ln) })
	}
}

func (a *App) closeAll() {
	if a.Tunnel != nil {
		_ = a.Tunnel.Close()
	}
	if a.Notify != nil {
		a.Notify.Close()
	}
	for _, ln := range []net.Listener{a.gatewayLn, a.adminLn} {
		if ln != nil {
			_ = ln.Close()
		}
	}
	if a.Shared != nil {
		_ = a.Shared.Close()
	}
	if a.Store != nil {
		if err := a.Store.Close(); err != nil {
			a.Log.Error("store close", "err", err)
		}
	}
	if a.local != nil && capture.Store(a.local) != a.Store {
		if err := a.local.Close(); err != nil {
			a.Log.Error("local store close", "err", err)
		}
	}
}
