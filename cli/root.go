// Package cli holds hooktap's cobra commands. Each command group lives in its own file; they share
// the env built here (flags, config loading, the store, output streams).
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/config"
	"github.com/hooktap/hooktap/storage"
)

// env is what every command gets: the global flags, the process's streams and environment.
type env struct {
	ov     config.Overrides
	stdout io.Writer
	stderr io.Writer
	stdin  io.Reader
	getenv func(string) string
	// forwardProvider is --provider beside --forward-to, resolved to a scheme when the config loads.
	forwardProvider string

	loaded *config.Config
}

// config loads the configuration once: defaults, file, env, flags, then validation.
func (e *env) config() (*config.Config, error) {
	if e.loaded != nil {
		return e.loaded, nil
	}
	if err := e.resolveForwardProvider(); err != nil {
		return nil, usageError(err)
	}
	cfg, err := config.Load(e.ov, e.getenv)
	if err != nil {
		return nil, usageError(err)
	}
	e.loaded = cfg
	return cfg, nil
}

// openStore opens the existing capture store the configuration names (--store, HOOKTAP_STORE,
// capture.store; else the data dir's SQLite file) read-write; it says clearly when there is
// none yet.
func (e *env) openStore() (capture.Store, error) {
	cfg, err := e.config()
	if err != nil {
		return nil, err
	}
	st, err := openExistingStore(cfg)
	if errors.Is(err, capture.ErrNoStore) {
		return nil, fmt.Errorf("no capture store at %s yet: run `hooktap serve` (or `hooktap`) and send it a request first", cfg.StorePath())
	}
	return st, err
}

// openExistingStore opens cfg's capture store; a SQLite file that does not exist yet is
// capture.ErrNoStore.
func openExistingStore(cfg *config.Config) (capture.Store, error) {
	ctx, cancel := context.WithTimeout(context.Background(), storeConnectTimeout)
	defer cancel()
	return storage.OpenExisting(ctx, cfg.StoreURL())
}

// openCreatingStore opens cfg's capture store, creating it when missing (send and audit record
// what they send before any gateway ran).
func openCreatingStore(cfg *config.Config) (capture.Store, error) {
	ctx, cancel := context.WithTimeout(context.Background(), storeConnectTimeout)
	defer cancel()
	return storage.Open(ctx, cfg.StoreURL())
}

// storeConnectTimeout bounds reaching a store server, so an unreachable one is an error, not a hang.
const storeConnectTimeout = 30 * time.Second

// openLocalStore opens the local SQLite file, which keeps notify's tables (also when the
// capture store is PostgreSQL).
func (e *env) openLocalStore() (*capture.SQLite, error) {
	cfg, err := e.config()
	if err != nil {
		return nil, err
	}
	st, err := capture.OpenExisting(cfg.StorePath())
	if errors.Is(err, capture.ErrNoStore) {
		return nil, fmt.Errorf("no capture store at %s yet: run `hooktap serve` (or `hooktap`) and send it a request first", cfg.StorePath())
	}
	return st, err
}

// exitError carries the process exit status with the message.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// usageError marks err as bad usage: exit status 2.
func usageError(err error) error {
	var ee *exitError
	if errors.As(err, &ee) {
		return err
	}
	return &exitError{code: 2, err: err}
}

// silentFailure is exit status 1 with nothing more to print (the command already said it).
var silentFailure = &exitError{code: 1, err: errors.New("")}

// Main runs the command line and returns the process exit status.
func Main(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{stdout: stdout, stderr: stderr, stdin: stdin, getenv: os.Getenv}
	root := newRootCmd(e)
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return 0
	}
	code := 1
	var ee *exitError
	if errors.As(err, &ee) {
		code = ee.code
	} else if isCobraUsage(err) {
		code = 2
	}
	if msg := err.Error(); msg != "" {
		fmt.Fprintln(stderr, "hooktap: "+msg)
	}
	return code
}

func newRootCmd(e *env) *cobra.Command {
	root := &cobra.Command{
		Use:   "hooktap",
		Short: "A terminal-first workbench for webhooks",
		Long: "hooktap receives, verifies, records, replays and crafts webhooks on your machine.\n" +
			"Run it with no subcommand for the interactive inspector; `hooktap serve` runs headless.",
		Example: "  hooktap                      # inspector + gateway on 127.0.0.1:8644\n" +
			"  hooktap serve --config config.yaml\n" +
			"  hooktap captures list --route github-pr",
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runMain(cmd.Context(), e)
		},
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError(err) })
	pf := root.PersistentFlags()
	pf.StringVar(&e.ov.ConfigFile, "config", "", "config file (default $XDG_CONFIG_HOME/hooktap/config.yaml)")
	pf.StringVar(&e.ov.DataDir, "data-dir", "", "data directory (default $XDG_DATA_HOME/hooktap)")
	pf.StringVar(&e.ov.Store, "store", "", "capture store URL: sqlite:PATH, a file path, or postgres://… (default DATA_DIR/hooktap.db)")
	pf.StringVar(&e.ov.NotifyConfig, "notify-config", "", `outgoing webhooks file ({"webhooks":[…]}), added to notify.webhooks`)
	pf.StringVar(&e.ov.ConfigFormat, "config-format", "", "read --config as "+strings.Join(config.Formats, "|")+" (default: recognised by its shape)")
	addServerFlags(root, e)
	root.AddCommand(newServeCmd(e), newVersionCmd(e))
	addCommandGroups(root, e)
	return root
}

// addServerFlags adds the flags of the commands that run the gateway.
func addServerFlags(cmd *cobra.Command, e *env) {
	f := cmd.Flags()
	f.StringVar(&e.ov.Addr, "addr", "", "public listener HOST:PORT (default 127.0.0.1:8644)")
	f.StringVar(&e.ov.AdminAddr, "admin-addr", "", "admin API HOST:PORT, loopback only (default 127.0.0.1:8645)")
	f.StringVar(&e.ov.Tunnel, "tunnel", "", "auto|ngrok|off (auto: on when NGROK_AUTHTOKEN is set)")
	f.StringVar(&e.ov.Redis, "redis", "", "Redis URL keeping idempotency keys and route limits shared by several instances (gateway.redis, HOOKTAP_REDIS)")
	f.StringVar(&e.ov.LogFile, "log-file", "", "write logs to this file")
	f.BoolVar(&e.ov.Debug, "debug", false, "debug logging")
	f.StringVar(&e.ov.Forward.URL, "forward-to", "", "forward every delivery to this URL, byte-exact (zero-config route)")
	f.StringVar(&e.forwardProvider, "provider", "", "with --forward-to: verify deliveries as this provider first")
	f.StringVar(&e.ov.Forward.Secret, "secret", "", "with --forward-to --provider: the secret (discord: the public key)")
}

func isCobraUsage(err error) bool {
	msg := err.Error()
	for _, p := range []string{"unknown command", "unknown flag", "unknown shorthand", "accepts ", "requires ", "invalid argument"} {
		if len(msg) >= len(p) && containsFold(msg, p) {
			return true
		}
	}
	return false
}
