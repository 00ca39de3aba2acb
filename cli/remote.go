package cli

import (
	"errors"

	"github.com/spf13/cobra"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/config"
	"github.com/hooktap/hooktap/remote"
	"github.com/hooktap/hooktap/replay"
)

// remoteFlags are --remote and --token: read a running hooktap's admin API instead of the
// local store.
type remoteFlags struct {
	url   string
	token string
}

// remoteHelp says how a server's loopback-only admin API is reached.
const remoteHelp = "a running hooktap's admin API, e.g. http://127.0.0.1:8645 — on a server, through `ssh -L 8645:127.0.0.1:8645 server`"

// addRemoteFlags adds --remote and --token to cmd.
func addRemoteFlags(cmd *cobra.Command, r *remoteFlags) {
	f := cmd.Flags()
	f.StringVar(&r.url, "remote", "", "work against "+remoteHelp)
	f.StringVar(&r.token, "token", "", "with --remote: the server's admin.token (default $HOOKTAP_ADMIN_TOKEN)")
}

// client opens the remote admin API; reveal asks the server for credentials in clear.
func (r remoteFlags) client(e *env, reveal bool, opts ...remote.Options) (*remote.Client, error) {
	if e.ov.Store != "" {
		return nil, usageError(errors.New("--remote reads a running hooktap and --store a capture store: give one of them"))
	}
	token := r.token
	if token == "" {
		token = e.getenv("HOOKTAP_ADMIN_TOKEN")
	}
	var o remote.Options
	if len(opts) > 0 {
		o = opts[0]
	}
	o.Token, o.Reveal = token, reveal
	c, err := remote.New(r.url, o)
	if err != nil {
		return nil, usageError(err)
	}
	return c, nil
}

// withCaptureReader runs fn on the remote hooktap's captures with --remote, else on the local
// store. shown is how fn renders what it read: captures from a remote arrive already masked
// (or revealed) by the server, so they are never masked twice.
func withCaptureReader(e *env, r remoteFlags, reveal bool, fn func(cfg *config.Config, rd capture.Reader, shown capture.JSONOptions) error) error {
	cfg, err := e.config()
	if err != nil {
		return err
	}
	if r.url == "" {
		return withCaptureStore(e, func(cfg *config.Config, st capture.Store) error {
			return fn(cfg, st, capture.JSONOptions{Reveal: reveal, SecretHeaders: captureSecretHeaders(cfg)})
		})
	}
	c, err := r.client(e, reveal)
	if err != nil {
		return err
	}
	defer c.Close()
	return fn(cfg, c, capture.JSONOptions{Reveal: true})
}

// withOutbox runs fn on the remote hooktap's outbox with --remote, else on the local store's.
func withOutbox(e *env, r remoteFlags, fn func(capture.OutboxAdmin) error) error {
	if r.url == "" {
		return withStore(e, func(st capture.Store) error { return fn(st) })
	}
	c, err := r.client(e, false)
	if err != nil {
		return err
	}
	defer c.Close()
	return fn(c)
}

// runRemoteReplay has a running hooktap replay captures through its own gateway (or to --to,
// sent from the server): `hooktap replay --remote URL`.
func runRemoteReplay(cmd *cobra.Command, e *env, args []string, f replayFlags) error {
	if f.exact {
		return usageError(remote.ErrExactReplay)
	}
	cfg, err := e.config()
	if err != nil {
		return err
	}
	c, err := f.remote.client(e, false)
	if err != nil {
		return err
	}
	defer c.Close()
	ctx := cmd.Context()
	ids, err := replaySelection(cmd, c, args, f)
	if err != nil {
		return err
	}
	o := replay.ReplayOptions{To: f.to, Resign: f.resign, KeepSignature: f.keepSignature}
	if f.edit {
		if o.Body, err = editCaptureBody(ctx, e, c, ids[0]); err != nil {
			return err
		}
	}
	p := &replayPrinter{e: e, cfg: cfg, toGateway: f.to == "", asJSON: f.asJSON, remote: true}
	replay.Many(ctx, c.Replay, ids, o, f.concurrency, f.rate, p.print)
	return p.finish()
}
