package app

import (
	"context"
	"net/http"
	"os"

	"github.com/hooktap/hooktap/admin"
	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/config"
	"github.com/hooktap/hooktap/gateway"
	"github.com/hooktap/hooktap/mcpserver"
	"github.com/hooktap/hooktap/notify"
	"github.com/hooktap/hooktap/replay"
	"github.com/hooktap/hooktap/tunnel"
)

func (a *App) adminDeps() admin.Deps {
	nh := a.Notify.Handler()
	return admin.Deps{
		Config:        a.Config,
		Store:         a.Store,
		GatewayAddr:   a.GatewayAddr(),
		PublicURL:     a.PublicURL,
		Routes:        func() []config.Route { return a.Gateway.Routes() },
		GatewayReplay: a.Gateway.Replay,
		Replay: func(ctx context.Context, id string, o admin.ReplayOptions) (*capture.Capture, error) {
			return a.Replayer.Replay(ctx, id, replay.ReplayOptions{To: o.To, Resign: o.Resign, Body: o.Body, KeepSignature: o.KeepSignature})
		},
		TunnelURL: a.tunnelURL,
		Mounts: map[string]http.Handler{
			"/api/v1/webhooks": nh, "/api/v1/events": nh,
			"/mcp": mcpserver.Handler(a.mcpDeps()),
		},
		Logger: a.Log.With("part", "admin"),
	}
}

// tunnelURL is the tunnel's public URL while it is online, else "".
func (a *App) tunnelURL() string {
	if st := a.Tunnel.Status(); st.State == tunnel.StateOnline {
		return st.URL
	}
	return ""
}

// mcpDeps backs the /mcp endpoint: the same tools as `hooktap mcp`, on this process's parts.
func (a *App) mcpDeps() mcpserver.Deps {
	in := mcpserver.Instance{DataDir: a.Config.DataDir, Running: true, InProcess: true, PID: os.Getpid(),
		Admin: config.LocalBaseURL(a.AdminAddr())}
	if addr := a.GatewayAddr(); addr != "" {
		in.Gateway = config.LocalBaseURL(addr)
	}
	return mcpserver.Deps{
		Config:    a.Config,
		Routes:    func() []config.Route { return a.Gateway.Routes() },
		OpenStore: func(bool) (capture.Store, func(), error) { return a.Store, func() {}, nil },
		Instance:  func() mcpserver.Instance { return in },
		PublicURL: a.PublicURL,
		Logger:    a.Log.With("part", "mcp"),
	}
}

// notifier adapts notify/ to the gateway's Notifier: route messages sent synchronously once,
// gateway events queued.
type notifier struct{ d *notify.Dispatcher }

func (n notifier) Deliver(ctx context.Context, format, url string, m gateway.Message) (int, error) {
	msg := notify.Message{Event: m.Event, Text: m.Text, Data: map[string]any{"text": m.Text, "route": m.Route}}
	res, err := n.d.SendNow(ctx, notify.Webhook{ID: "route:" + m.Route, Enabled: true, URL: url, Format: format,
		Retry: notify.Retry{MaxAttempts: 1}}, msg)
	return res.Status, err
}

func (n notifier) Emit(event string, data map[string]any) { n.d.Dispatch(event, data) }
