package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/remote"
	"github.com/hooktap/hooktap/tui"
	"github.com/hooktap/hooktap/tui/common"
)

// newAttachCmd is `hooktap attach URL`: the inspector on a running hooktap's admin API.
func newAttachCmd(e *env) *cobra.Command {
	var rf remoteFlags
	var reveal bool
	var logFile string
	cmd := &cobra.Command{
		Use:   "attach URL",
		Short: "Open the inspector on a running hooktap (a shared gateway) through its admin API",
		Long: "Opens the inspector on another hooktap's captures: the live list, detail, the signature doctor's\n" +
			"findings, filters, and replays that go through that hooktap's gateway again.\n\n" +
			"The admin API only ever listens on the server's loopback (admin.addr, default 127.0.0.1:8645).\n" +
			"Reach it over SSH: `ssh -N -L 8645:127.0.0.1:8645 server` forwards your local port 8645 to it;\n" +
			"then attach to http://127.0.0.1:8645. When the server sets admin.token, give it with --token\n" +
			"or HOOKTAP_ADMIN_TOKEN. Credentials stay masked by the server unless --reveal.\n\n" +
			"Pages that work on a local hooktap (craft, notify, routes) say so while attached.",
		Example: "  ssh -N -L 8645:127.0.0.1:8645 staging.example.com &\n" +
			"  hooktap attach http://127.0.0.1:8645\n" +
			"  HOOKTAP_ADMIN_TOKEN=… hooktap attach http://127.0.0.1:8645",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			rf.url = args[0]
			return runAttach(cmd.Context(), e, rf, reveal, logFile)
		},
	}
	f := cmd.Flags()
	f.StringVar(&rf.token, "token", "", "the server's admin.token (default $HOOKTAP_ADMIN_TOKEN)")
	f.BoolVar(&reveal, "reveal", false, "ask the server for credentials in clear (then the s key masks and shows them here)")
	f.StringVar(&logFile, "log-file", "", "write logs (stream reconnects) to this file")
	return cmd
}

func runAttach(ctx context.Context, e *env, rf remoteFlags, reveal bool, logFile string) error {
	out, ok := e.stdout.(*os.File)
	if !ok || !term.IsTerminal(out.Fd()) {
		return usageError(errors.New("attach opens the inspector and needs a terminal; in scripts use `hooktap captures list --remote URL`"))
	}
	log, closeLog, err := attachLogger(logFile)
	if err != nil {
		return usageError(err)
	}
	defer closeLog()
	notices := make(chan common.StatusMsg, 8)
	c, err := rf.client(e, reveal, remote.Options{Logger: log, OnStream: streamNotices(rf.url, notices)})
	if err != nil {
		return err
	}
	defer c.Close()
	if err := checkRemote(ctx, c); err != nil {
		return err
	}
	return tui.Run(ctx, tui.Deps{Store: c, Attached: c.URL(), ServerMasks: !reveal, Replay: c.Replay, Logger: log,
		Notices: notices})
}

// streamNotices turns the live stream's breaks and recoveries into status lines; a full
// channel drops a line rather than hold up the stream.
func streamNotices(url string, out chan<- common.StatusMsg) func(remote.StreamState) {
	return func(s remote.StreamState) {
		msg := common.StatusMsg{Text: "Live updates from " + url + " are back; what arrived meanwhile is listed."}
		if !s.Connected {
			msg = common.StatusMsg{Text: fmt.Sprintf("Live updates from %s paused (%v); reconnecting…", url, s.Err), Err: true, Busy: true}
		}
		select {
		case out <- msg:
		default:
		}
	}
}

// checkRemote asks once before the screen is taken, so a wrong URL or token is a plain error.
func checkRemote(ctx context.Context, c *remote.Client) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if _, err := c.List(ctx, capture.Filter{Limit: 1}); err != nil {
		return fmt.Errorf("attach %s: %w", c.URL(), err)
	}
	return nil
}

// attachLogger writes to logFile when given; logs never go to the screen the inspector owns.
func attachLogger(logFile string) (*slog.Logger, func(), error) {
	if logFile == "" {
		return slog.New(slog.DiscardHandler), func() {}, nil
	}
	f, err := os.OpenFile(logFile, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, nil, fmt.Errorf("--log-file: %w", err)
	}
	return slog.New(slog.NewTextHandler(io.Writer(f), nil)), func() { f.Close() }, nil
}
