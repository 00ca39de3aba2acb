package cli

import (
	"errors"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/hooktap/hooktap/internal/shortid"
	"github.com/hooktap/hooktap/notify"
)

func (n *notifyCtx) dlqCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "dlq",
		Short: "Dead-letter queue: messages that could not be delivered",
		Example: "  hooktap notify dlq list --json\n" +
			"  hooktap notify dlq retry 01JD…\n" +
			"  hooktap notify dlq retry --all\n" +
			"  hooktap notify dlq purge --all",
		Args: cobra.NoArgs,
	}
	var asJSON, all bool
	list := &cobra.Command{Use: "list", Short: "List dead letters, newest first", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return n.withDispatcher(func(d *notify.Dispatcher) error {
				dead, err := d.DeadLetters(cmd.Context())
				if err != nil {
					return err
				}
				if asJSON {
					return writeIndentedJSON(n.e.stdout, dead)
				}
				return printDeadTable(n.e.stdout, dead)
			})
		}}
	list.Flags().BoolVar(&asJSON, "json", false, `print [{"id","webhook_id","event","attempts","last_status","last_error","created_at"}]`)
	var retryAll bool
	retry := &cobra.Command{Use: "retry ID… | --all", Short: "Deliver dead letters again now", Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if (len(args) == 0) != retryAll {
				return usageError(errors.New("give dead-letter ids, or --all to retry every one"))
			}
			return n.withDispatcher(func(d *notify.Dispatcher) error {
				if retryAll {
					var err error
					if args, err = deadLetterIDs(cmd, d); err != nil || len(args) == 0 {
						return err
					}
				}
				return n.retryDead(cmd, d, args)
			})
		}}
	retry.Flags().BoolVar(&retryAll, "all", false, "retry every dead letter")
	purge := &cobra.Command{Use: "purge [ID…] [--all]", Short: "Delete dead letters", Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if (len(args) == 0) != all {
				return usageError(errors.New("give dead-letter ids, or --all to purge every one"))
			}
			return n.withDispatcher(func(d *notify.Dispatcher) error {
				count, err := d.PurgeDeadLetters(cmd.Context(), args...)
				if err == nil {
					fmt.Fprintf(n.e.stdout, "purged %d dead letter(s)\n", count)
				}
				return err
			})
		}}
	purge.Flags().BoolVar(&all, "all", false, "purge every dead letter")
	cmd.AddCommand(list, retry, purge)
	return cmd
}

func (n *notifyCtx) withDispatcher(fn func(*notify.Dispatcher) error) error {
	d, done, err := n.open(false)
	if err != nil {
		return err
	}
	defer done()
	return fn(d)
}

// retryDead retries each letter in turn and reports each; any failure makes the exit status 1.
func (n *notifyCtx) retryDead(cmd *cobra.Command, d *notify.Dispatcher, ids []string) error {
	failed := 0
	for _, id := range ids {
		res, err := d.RetryDeadLetter(cmd.Context(), id)
		switch {
		case errors.Is(err, notify.ErrNotFound):
			fmt.Fprintf(n.e.stderr, "%s: no such dead letter (see `hooktap notify dlq list`)\n", id)
			failed++
		case err != nil && len(res.Attempts) == 0:
			fmt.Fprintf(n.e.stderr, "%s: %v\n", id, err)
			failed++
		case err != nil:
			fmt.Fprintf(n.e.stdout, "%s: still failing (%s): %s\n", id, statusLabel(res.Status), res.Error)
			failed++
		default:
			fmt.Fprintf(n.e.stdout, "%s: delivered to %s (%d)\n", id, res.WebhookID, res.Status)
		}
	}
	if failed > 0 {
		return silentFailure
	}
	return nil
}

// deadLetterIDs lists every dead letter's id, oldest first so they are retried in order.
func deadLetterIDs(cmd *cobra.Command, d *notify.Dispatcher) ([]string, error) {
	dead, err := d.DeadLetters(cmd.Context())
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(dead))
	for i := len(dead) - 1; i >= 0; i-- {
		ids = append(ids, dead[i].ID)
	}
	if len(ids) == 0 {
		fmt.Fprintln(cmd.OutOrStdout(), "the dead-letter queue is empty")
	}
	return ids, nil
}

func printDeadTable(w io.Writer, dead []notify.DeadLetter) error {
	if len(dead) == 0 {
		_, err := fmt.Fprintln(w, "the dead-letter queue is empty")
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tWEBHOOK\tEVENT\tATTEMPTS\tLAST\tERROR\tCREATED")
	for _, dl := range dead {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\t%s\n", shortid.Display(dl.ID), dl.WebhookID, dl.Event, dl.Attempts,
			statusLabel(dl.LastStatus), dl.LastError, dl.CreatedAt.Local().Format(time.DateTime))
	}
	return tw.Flush()
}
