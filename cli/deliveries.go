package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/hooktap/hooktap/capture"
)

// newDeliveriesCmd is `hooktap deliveries`: the outbox of deliveries owed after answering.
func newDeliveriesCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "deliveries",
		Short: "Deliveries owed after answering (forward, slack, discord, generic): list, retry, purge",
		Long: "Every delivery the gateway owes after a 202 waits in the store's outbox until it succeeds.\n" +
			"A failing target is retried with backoff for about an hour, then the delivery is dead.",
		Example: "  hooktap deliveries list --state dead --json\n" +
			"  hooktap deliveries retry 42 43\n" +
			"  hooktap deliveries retry --all\n" +
			"  hooktap deliveries purge --all\n" +
			"  hooktap deliveries list --remote http://127.0.0.1:8645   # a server's, through ssh -L",
		Args: cobra.NoArgs,
	}
	var rf remoteFlags
	f := cmd.PersistentFlags()
	f.StringVar(&rf.url, "remote", "", "work against "+remoteHelp)
	f.StringVar(&rf.token, "token", "", "with --remote: the server's admin.token (default $HOOKTAP_ADMIN_TOKEN)")
	cmd.AddCommand(deliveriesListCmd(e, &rf), deliveriesRetryCmd(e, &rf), deliveriesPurgeCmd(e, &rf))
	return cmd
}

func deliveriesListCmd(e *env, rf *remoteFlags) *cobra.Command {
	var asJSON bool
	var f capture.OutboxFilter
	var state string
	cmd := &cobra.Command{Use: "list", Short: "List pending and dead deliveries, oldest first", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			switch state {
			case "", string(capture.OutboxPending), string(capture.OutboxDead):
				f.State = capture.OutboxState(state)
			default:
				return usageError(fmt.Errorf("--state %q: want pending or dead", state))
			}
			return withOutbox(e, *rf, func(st capture.OutboxAdmin) error {
				entries, err := st.ListOutbox(cmd.Context(), f)
				if err != nil {
					return err
				}
				if rf.url == "" { // a remote's entries arrive masked by the server
					for i := range entries {
						entries[i] = entries[i].Masked()
					}
				}
				if asJSON {
					return writeIndentedJSON(e.stdout, nonNilEntries(entries))
				}
				return printOutbox(e.stdout, entries)
			})
		}}
	cmd.Flags().BoolVar(&asJSON, "json", false, `print [{"id","capture_id","route","kind","target","state","attempts","next_at","last_status","last_error",…}]`)
	cmd.Flags().StringVar(&state, "state", "", "pending or dead (default: both)")
	cmd.Flags().StringVar(&f.Route, "route", "", "only this route's deliveries")
	cmd.Flags().IntVar(&f.Limit, "limit", 0, "at most this many (default: all)")
	return cmd
}

func deliveriesRetryCmd(e *env, rf *remoteFlags) *cobra.Command {
	return outboxActionCmd(e, rf, "retry", "Make deliveries due now with a fresh attempt count (--all: every dead one)",
		"retry every dead delivery", (capture.OutboxAdmin).RetryOutbox,
		func(n int64) string {
			return fmt.Sprintf("%d deliver%s due now; a running hooktap makes them within a second", n, plural(n, "y", "ies"))
		})
}

func deliveriesPurgeCmd(e *env, rf *remoteFlags) *cobra.Command {
	return outboxActionCmd(e, rf, "purge", "Delete deliveries, never to be made (--all: every dead one)",
		"purge every dead delivery", (capture.OutboxAdmin).PurgeOutbox,
		func(n int64) string { return fmt.Sprintf("purged %d deliver%s", n, plural(n, "y", "ies")) })
}

// outboxActionCmd is a deliveries subcommand that acts on the ids given, or on every dead
// delivery with --all, and reports how many it changed.
func outboxActionCmd(e *env, rf *remoteFlags, verb, short, allHelp string,
	act func(capture.OutboxAdmin, context.Context, ...int64) (int64, error), report func(int64) string) *cobra.Command {
	var all bool
	cmd := &cobra.Command{Use: verb + " ID… | --all", Short: short,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ids, err := outboxIDs(args, all)
			if err != nil {
				return err
			}
			return withOutbox(e, *rf, func(st capture.OutboxAdmin) error {
				n, err := act(st, cmd.Context(), ids...)
				if err == nil {
					fmt.Fprintln(e.stdout, report(n))
				}
				return err
			})
		}}
	cmd.Flags().BoolVar(&all, "all", false, allHelp)
	return cmd
}

// outboxIDs reads the ids given, or none with --all; exactly one of the two is required.
func outboxIDs(args []string, all bool) ([]int64, error) {
	if (len(args) == 0) != all {
		return nil, usageError(errors.New("give delivery ids (see `hooktap deliveries list`), or --all"))
	}
	ids := make([]int64, 0, len(args))
	for _, a := range args {
		id, err := strconv.ParseInt(a, 10, 64)
		if err != nil || id <= 0 {
			return nil, usageError(fmt.Errorf("%q is not a delivery id (a number from `hooktap deliveries list`)", a))
		}
		ids = append(ids, id)
	}
	return ids, nil
}

func withStore(e *env, fn func(capture.Store) error) error {
	st, err := e.openStore()
	if err != nil {
		return err
	}
	defer st.Close()
	return fn(st)
}

func nonNilEntries(es []capture.OutboxEntry) []capture.OutboxEntry {
	if es == nil {
		return []capture.OutboxEntry{}
	}
	return es
}

func plural(n int64, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func printOutbox(w io.Writer, entries []capture.OutboxEntry) error {
	if len(entries) == 0 {
		_, err := fmt.Fprintln(w, "no deliveries pending or dead")
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSTATE\tCAPTURE\tROUTE\tKIND\tTARGET\tATTEMPTS\tNEXT\tLAST")
	for _, x := range entries {
		next := "–"
		if x.State == capture.OutboxPending {
			next = x.NextAt.Local().Format(time.DateTime)
		}
		last := "–"
		if x.Attempts > 0 {
			last = statusLabel(x.LastStatus)
			if x.LastError != "" {
				last += ": " + x.LastError
			}
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%d\t%s\t%s\n", x.ID, x.State, x.CaptureID, x.Route, x.Kind, x.Target,
			x.Attempts, next, last)
	}
	return tw.Flush()
}
