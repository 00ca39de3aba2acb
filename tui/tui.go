// Package tui is hooktap's terminal UI: a root model that routes messages to pages (inspector,
// craft, notify, routes) and draws the header, status line and help footer around them.
package tui

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"

	tea "charm.land/bubbletea/v2"
	"github.com/atotto/clipboard"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/config"
	"github.com/hooktap/hooktap/notify"
	"github.com/hooktap/hooktap/replay"
	"github.com/hooktap/hooktap/tui/common"
	"github.com/hooktap/hooktap/tui/styles"
	"github.com/hooktap/hooktap/tunnel"
)

// Deps is what the TUI shows and drives. Replayer and Notify may be nil: their pages and keys
// then say so instead of acting.
type Deps struct {
	Config *config.Config
	// Store is where captures are read: this machine's store, or a remote hooktap's admin API.
	Store       capture.Reader
	GatewayAddr string
	AdminAddr   string
	Tunnel      tunnel.Tunnel
	Replayer    *replay.Replayer
	Notify      *notify.Dispatcher
	Logger      *slog.Logger
	// ExportDir is where exports go by default; "" means the working directory.
	ExportDir string
	// Routes returns the effective routes (static and dynamic); nil means the config's routes.
	Routes func() []config.Route
	// Attached is the remote hooktap's admin API URL when the TUI reads one (`hooktap attach`):
	// the pages that need this machine's hooktap (craft, notify, routes) then say so.
	Attached string
	// ServerMasks: the remote hooktap masks credentials before sending them.
	ServerMasks bool
	// Replay replays a capture for the inspector's replay keys; nil means Replayer's.
	Replay replay.ReplayFunc
	// Notices are lines about the whole program from outside it (the attached stream broke,
	// is back); nil when there are none.
	Notices <-chan common.StatusMsg
}

// replayFunc is who replays for the inspector: Deps.Replay, else the local replayer, else none.
func (d Deps) replayFunc() replay.ReplayFunc {
	if d.Replay != nil {
		return d.Replay
	}
	if d.Replayer != nil {
		return d.Replayer.Replay
	}
	return nil
}

// Run shows the TUI on the terminal until the user quits or ctx ends.
func Run(ctx context.Context, d Deps) error {
	m := newRoot(d, styles.NoColorFromEnv(os.Environ()))
	defer m.close()
	p := tea.NewProgram(m, tea.WithContext(ctx))
	_, err := p.Run()
	if errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil {
		// The app shutting down ends the program through ctx: not a failure of the TUI.
		return nil
	}
	return err
}

// New returns the root model (for tests and embedding). It assumes a dark background with
// colour until the terminal says otherwise.
func New(d Deps) tea.Model { return newRoot(d, styles.NoColorFromEnv(os.Environ())) }

func exportDir(d Deps) string {
	if d.ExportDir != "" {
		return d.ExportDir
	}
	if wd, err := os.Getwd(); err == nil {
		return wd
	}
	return filepath.Clean(".")
}

// nativeClipboard is a clipboard tool on this machine (pbcopy, wl-copy, xclip, xsel, clip.exe),
// or nil when there is none.
func nativeClipboard() func(string) error {
	if clipboard.Unsupported {
		return nil
	}
	return clipboard.WriteAll
}

func newCommon(d Deps, noColor bool) *common.Common {
	c := common.New(styles.ThemeFor(true, noColor), d.Logger)
	c.Routes = d.Routes
	c.Clipboard = common.DetectClipboard(os.Environ(), nativeClipboard())
	c.GatewayAddr = d.GatewayAddr
	c.Attached, c.ServerMasks = d.Attached, d.ServerMasks
	if c.Routes == nil && d.Config != nil {
		c.Routes = func() []config.Route { return d.Config.Gateway.Routes }
	}
	return c
}
