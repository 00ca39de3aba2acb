package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/hooktap/hooktap/admin"
	"github.com/hooktap/hooktap/app"
	"github.com/hooktap/hooktap/config"
	"github.com/hooktap/hooktap/internal/logbuf"
	"github.com/hooktap/hooktap/tunnel"
)

func newServeCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the gateway, capture store and admin API headless",
		Long: "serve runs everything `hooktap` runs except the inspector: the public gateway, the capture\n" +
			"store, the admin API on loopback and, when a token is present, the ngrok tunnel. It logs one\n" +
			"line per request to stderr and stops cleanly on SIGINT or SIGTERM, flushing the store.",
		Example: "  hooktap serve --config config.yaml\n" +
			"  WEBHOOK_SECRET=s3cret hooktap serve --addr 0.0.0.0:8644 --log-format json",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runServe(cmd.Context(), e) },
	}
	addServerFlags(cmd, e)
	cmd.Flags().StringVar(&e.ov.LogFormat, "log-format", "", "text|json (default text)")
	return cmd
}

// runServe starts the app headless and blocks until the context ends.
func runServe(ctx context.Context, e *env) error {
	cfg, err := e.config()
	if err != nil {
		return err
	}
	log, closeLog, err := newLogger(cfg, e.stderr)
	if err != nil {
		return usageError(err)
	}
	defer closeLog()
	a, err := newApp(cfg, log)
	if err != nil {
		return err
	}
	announce(a, log)
	go logTunnel(ctx, a, log)
	return a.Run(ctx)
}

// announce logs where everything listens and each route's URLs.
func announce(a *app.App, log *slog.Logger) {
	log.Info("hooktap started", "gateway", "http://"+a.GatewayAddr(), "admin", "http://"+a.AdminAddr(),
		"store", a.Store.Location(), "tunnel", a.Tunnel.Status().Hint)
	if a.Shared != nil {
		log.Info("idempotency keys and route limits shared through redis", "redis", a.Shared.Location(), "key_prefix", a.Shared.Prefix())
	}
	if f := a.Config.Format; f != config.FormatHooktap && f != "" {
		log.Info("config read as "+config.FormatTitle(f), "file", a.Config.File, "notes", len(a.Config.Notes),
			"hint", "hooktap config explain "+a.Config.File+" lists what is ignored or done differently")
	}
	if a.Config.ZeroConfig {
		announceZeroConfig(a.Config.Gateway.Routes[0], log)
	}
	for _, r := range a.Gateway.Routes() {
		attrs := []any{"route", r.Name, "url", config.RouteURL(config.LocalBaseURL(a.GatewayAddr()), r.Name), "verify", schemeName(a, r)}
		if pub := a.PublicURL(); pub != "" {
			attrs = append(attrs, "public_url", config.RouteURL(pub, r.Name))
		}
		if r.Name == a.Config.Gateway.CatchAll {
			attrs = append(attrs, "also", "every other route name: /webhook/{any-id}, /events/webhook/{tenant}/{event_type}")
		}
		if r.Effective(a.Config.Gateway).Insecure {
			attrs = append(attrs, "insecure", true)
		}
		log.Info("route", attrs...)
	}
}

// announceZeroConfig says what the zero-config route does: capture, or forward (--forward-to).
func announceZeroConfig(r config.Route, log *slog.Logger) {
	switch {
	case r.DeliverExtra.URL != "" && r.Verify != "":
		log.Info("forwarding every delivery to /webhooks/inspect that verifies as "+r.Verify, "to", r.DeliverExtra.URL)
	case r.DeliverExtra.URL != "":
		log.Info("forwarding every delivery to /webhooks/inspect, unverified", "to", r.DeliverExtra.URL)
	default:
		log.Info("no routes configured: everything sent to /webhooks/inspect is captured unverified; add routes to config.yaml to verify signatures")
	}
}

// schemeName is what a route verifies: its signature rules, its verify:, the scheme its first
// verified delivery pinned, or auto until one does.
func schemeName(a *app.App, r config.Route) string {
	if len(r.Signatures) > 0 {
		names := make([]string, len(r.Signatures))
		for i, s := range r.Signatures {
			names[i] = s.Name + ":" + s.Verify
		}
		return "per provider (" + strings.Join(names, ", ") + ")"
	}
	if r.Verify != "" {
		return r.Verify
	}
	if pin, ok := a.Gateway.RoutePin(r.Name); ok {
		return pin.Scheme + " (pinned by " + pin.CaptureID + ")"
	}
	return "auto"
}

// newApp builds the app; a tunnel asked for without a token, or an admin address off loopback, is
// bad usage (exit 2), found before anything is opened.
func newApp(cfg *config.Config, log *slog.Logger) (*app.App, error) {
	if err := admin.CheckLoopbackAddr(cfg.Admin.Addr); err != nil {
		return nil, usageError(fmt.Errorf("admin.addr: %w", err))
	}
	a, err := app.New(cfg, log)
	if errors.Is(err, tunnel.ErrNoToken) {
		return nil, usageError(err)
	}
	return a, err
}

// logTunnel turns tunnel status changes into log lines; once online, each route's public URL.
func logTunnel(ctx context.Context, a *app.App, log *slog.Logger) {
	for st := range a.Tunnel.Subscribe(ctx) {
		switch st.State {
		case tunnel.StateOnline:
			log.Info("tunnel online", "url", st.URL)
			for _, r := range a.Gateway.Routes() {
				log.Info("route", "route", r.Name, "public_url", config.RouteURL(st.URL, r.Name))
			}
		case tunnel.StateError:
			log.Warn("tunnel error", "err", st.Err, "hint", st.Hint)
		default:
			log.Info("tunnel "+string(st.State), "hint", st.Hint)
		}
	}
}

// newLogger builds the slog logger the config asks for: text or JSON, stderr or a file.
func newLogger(cfg *config.Config, stderr io.Writer) (*slog.Logger, func(), error) {
	dst, closeDst := stderr, func() {}
	if cfg.Log.File != "" {
		f, err := os.OpenFile(cfg.Log.File, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
		if err != nil {
			return nil, nil, fmt.Errorf("log file: %w", err)
		}
		dst, closeDst = f, func() { _ = f.Close() }
	}
	out := logbuf.New(dst)
	closer := func() { _ = out.Close(); closeDst() }
	level := slog.LevelInfo
	if strings.EqualFold(cfg.Log.Level, "debug") {
		level = slog.LevelDebug
	}
	opts := &slog.HandlerOptions{Level: level}
	if cfg.Log.Format == "json" {
		return slog.New(slog.NewJSONHandler(out, opts)), closer, nil
	}
	return slog.New(slog.NewTextHandler(out, opts)), closer, nil
}
