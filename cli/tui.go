package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/charmbracelet/x/term"

	"github.com/hooktap/hooktap/app"
	"github.com/hooktap/hooktap/tui"
)

// runTUI starts the app behind the inspector. Without a terminal on stdout (a pipe, CI, a
// service manager) it runs headless instead, as `serve` does.
func runTUI(ctx context.Context, e *env) error {
	out, ok := e.stdout.(*os.File)
	if !ok || !term.IsTerminal(out.Fd()) {
		fmt.Fprintln(e.stderr, "hooktap: stdout is not a terminal; running headless (like `hooktap serve`)")
		return runServe(ctx, e)
	}
	cfg, err := e.config()
	if err != nil {
		return err
	}
	// Logs never go to the screen while the inspector owns it: a file when asked, else nowhere.
	log, closeLog := slog.New(slog.DiscardHandler), func() {}
	if cfg.Log.File != "" {
		if log, closeLog, err = newLogger(cfg, io.Discard); err != nil {
			return usageError(err)
		}
	}
	defer closeLog()
	a, err := newApp(cfg, log)
	if err != nil {
		return err
	}
	return runWithInspector(ctx, a, log)
}

// runWithInspector serves in the background and returns when the user quits the inspector.
func runWithInspector(ctx context.Context, a *app.App, log *slog.Logger) error {
	ctx, cancel := context.WithCancel(ctx)
	served := make(chan error, 1)
	go func() { served <- a.Run(ctx) }()
	err := tui.Run(ctx, tui.Deps{
		Config: a.Config, Store: a.Store, GatewayAddr: a.GatewayAddr(), AdminAddr: a.AdminAddr(),
		Tunnel: a.Tunnel, Replayer: a.Replayer, Notify: a.Notify, Logger: log, Routes: a.Gateway.Routes,
	})
	cancel()
	if serr := <-served; err == nil {
		err = serr
	}
	return err
}
