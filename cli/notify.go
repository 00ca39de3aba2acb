package cli

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/notify"
	"github.com/hooktap/hooktap/tui/notifyview"
)

// newNotifyCmd is `hooktap notify`: preview, send and manage outgoing alert webhooks.
func newNotifyCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "notify",
		Short: "Preview, send and manage outgoing alerts (Slack, Discord, generic JSON)",
		Example: "  hooktap notify preview budget_warning --format discord\n" +
			"  hooktap notify send provider_down --url https://hooks.slack.com/services/T/B/X\n" +
			"  hooktap notify dlq list --json",
		Args: cobra.NoArgs,
	}
	nc := &notifyCtx{e: e}
	cmd.AddCommand(newNotifyPreviewCmd(e), nc.sendCmd(), nc.testCmd(), nc.listCmd(), nc.dlqCmd())
	return cmd
}

// notifyCtx opens a dispatcher over the store for the commands that need webhooks.
type notifyCtx struct {
	e *env
}

// open returns a dispatcher (never started: CLI deliveries are synchronous) and its closer.
// With allowCreate, a missing store is created (send --url works before any gateway ran).
func (n *notifyCtx) open(allowCreate bool) (*notify.Dispatcher, func(), error) {
	cfg, err := n.e.config()
	if err != nil {
		return nil, nil, err
	}
	static := cfg.Notify.Webhooks // --notify-config's webhooks are merged in by config.Load
	st, err := n.e.openLocalStore()
	if err != nil && allowCreate {
		// send --url works before any gateway ran: the store is created, so its attempts and
		// dead letters are there for `notify dlq` afterwards.
		st, err = capture.Open(cfg.StorePath())
	}
	if err != nil {
		return nil, nil, err
	}
	d, err := notify.NewDispatcher(st, static, notify.WithLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		st.Close()
		return nil, nil, usageError(err)
	}
	return d, func() { d.Close(); st.Close() }, nil
}

func newNotifyPreviewCmd(e *env) *cobra.Command {
	var format, at string
	var data []string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "preview EVENT",
		Short: "Show an alert as Slack / Discord / a generic receiver would get it, and its exact body",
		Long: "Events: " + strings.Join(notify.Events, ", ") + ", or any other name (rendered generically).\n" +
			"Data fields default to the catalogue's example values; --data overrides them.",
		Example: "  hooktap notify preview budget_warning --format slack\n" +
			"  hooktap notify preview budget_exceeded --format discord --data spent=250 --data limit=200\n" +
			"  hooktap notify preview daily_summary --format generic --json",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			fields, err := parseDataFlags(data)
			if err != nil {
				return usageError(err)
			}
			pv, err := notify.PreviewAlert(args[0], format, at, fields)
			if err != nil {
				return usageError(fmt.Errorf("--%w", err))
			}
			m, body, warnings := pv.Message, pv.Body, pv.Warnings
			if asJSON {
				_, err := fmt.Fprintf(e.stdout, "%s\n", body)
				printNotifyWarnings(e.stderr, warnings, "")
				return err
			}
			if !notify.KnownEvent(m.Event) {
				fmt.Fprintf(e.stderr, "note: %q is not in the catalogue; rendered generically\n", m.Event)
			}
			fmt.Fprintln(e.stdout, notifyview.Render(m, format, 80, !captureColor(e)))
			_, err = fmt.Fprintf(e.stdout, "\nBody (%d bytes, exactly as sent):\n%s\n", len(body), body)
			return err
		},
	}
	f := cmd.Flags()
	f.StringVar(&format, "format", notify.FormatGeneric, "slack | discord | generic")
	f.StringArrayVar(&data, "data", nil, "set a data field: key=value (numbers, true/false and JSON are typed)")
	f.StringVar(&at, "timestamp", "", `event time, RFC 3339 or "now" (default: the catalogue example's time)`)
	f.BoolVar(&asJSON, "json", false, "print only the exact request body")
	return cmd
}

// parseDataFlags reads key=value pairs; values that are JSON (numbers, booleans, objects) keep
// their type and literal form, anything else is a string.
func parseDataFlags(pairs []string) (map[string]any, error) {
	out := make(map[string]any, len(pairs))
	for _, p := range pairs {
		k, v, ok := strings.Cut(p, "=")
		if !ok || strings.TrimSpace(k) == "" {
			return nil, fmt.Errorf("--data %q: use key=value", p)
		}
		out[strings.TrimSpace(k)] = notify.DataValue(v)
	}
	return out, nil
}

func (n *notifyCtx) sendCmd() *cobra.Command {
	var webhookID, url, format, secret, signing string
	var data, headers []string
	var attempts int
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "send EVENT (--webhook ID | --url URL)",
		Short: "Send an alert for real and show the target's answer",
		Example: "  hooktap notify send budget_warning --webhook ops\n" +
			"  hooktap notify send failover --url http://127.0.0.1:9000/hook --secret s3cret --data reason=test",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if (webhookID == "") == (url == "") {
				return usageError(errors.New("give exactly one of --webhook ID or --url URL"))
			}
			fields, err := parseDataFlags(data)
			if err != nil {
				return usageError(err)
			}
			d, done, err := n.open(url != "")
			if err != nil {
				return err
			}
			defer done()
			w, err := n.target(cmd, d, webhookID, url, format, secret, signing, headers, attempts)
			if err != nil {
				return err
			}
			res, sendErr := d.SendNow(cmd.Context(), w, notify.Build(args[0], fields, time.Now()))
			return n.printResult(res, sendErr, asJSON)
		},
	}
	f := cmd.Flags()
	f.StringVar(&webhookID, "webhook", "", "a configured webhook's id (see `hooktap notify list`)")
	f.StringVar(&url, "url", "", "send to this URL instead")
	f.StringVar(&format, "format", notify.FormatAuto, "auto | slack | discord | generic (with --url)")
	f.StringVar(&secret, "secret", "", "sign with this secret (with --url)")
	f.StringVar(&signing, "signing", "", "timestamped (default) | standard (with --url)")
	f.StringArrayVar(&headers, "header", nil, "extra header 'Name: value' (with --url)")
	f.IntVar(&attempts, "attempts", 1, "attempts with --url (retries back off exponentially)")
	f.StringArrayVar(&data, "data", nil, "set a data field: key=value")
	f.BoolVar(&asJSON, "json", false, "print the delivery result as JSON")
	return cmd
}

func (n *notifyCtx) target(cmd *cobra.Command, d *notify.Dispatcher, id, url, format, secret, signing string,
	headers []string, attempts int) (notify.Webhook, error) {
	if id != "" {
		w, err := d.Webhook(cmd.Context(), id)
		if errors.Is(err, notify.ErrNotFound) {
			return w, fmt.Errorf("no webhook %q (see `hooktap notify list`)", id)
		}
		return w, err
	}
	w := notify.Webhook{ID: "cli", Enabled: true, URL: url, Format: format, Secret: secret, Signing: signing,
		Headers: map[string]string{}, Retry: notify.Retry{MaxAttempts: attempts}}
	for _, h := range headers {
		k, v, ok := strings.Cut(h, ":")
		if !ok || strings.TrimSpace(k) == "" {
			return w, usageError(fmt.Errorf("--header %q: use 'Name: value'", h))
		}
		w.Headers[strings.TrimSpace(k)] = strings.TrimSpace(v)
	}
	if _, err := w.Validate(); err != nil {
		return w, usageError(err)
	}
	return w, nil
}

// printResult shows every attempt and the final answer; a failed delivery is exit status 1.
func (n *notifyCtx) printResult(res notify.Result, sendErr error, asJSON bool) error {
	out := n.e.stdout
	if asJSON {
		if err := writeIndentedJSON(out, res); err != nil {
			return err
		}
		if sendErr != nil {
			return silentFailure
		}
		return nil
	}
	if sendErr != nil && len(res.Attempts) == 0 {
		return sendErr
	}
	printNotifyWarnings(n.e.stderr, res.Warnings, "")
	for _, a := range res.Attempts {
		fmt.Fprintln(out, attemptLine(a))
	}
	if res.Response != "" {
		fmt.Fprintf(out, "answer: %s\n", strings.TrimSpace(res.Response))
	}
	if sendErr != nil {
		return fmt.Errorf("not delivered to %s after %d attempt(s)", res.WebhookID, len(res.Attempts))
	}
	fmt.Fprintf(out, "delivered %s to %s (%s)\n", res.Event, res.WebhookID, res.Format)
	return nil
}

// attemptLine is one delivery attempt: the answer and how long it took, or why none came
// (a refused connection is not "no answer in 0s").
func attemptLine(a notify.Attempt) string {
	took := a.Duration.Round(time.Millisecond)
	if a.Status == 0 {
		reason := a.Error
		if reason == "" {
			reason = "no answer"
		}
		return fmt.Sprintf("attempt %d: not delivered — %s (after %s)", a.N, reason, took)
	}
	line := fmt.Sprintf("attempt %d: %d answered in %s", a.N, a.Status, took)
	if a.Error != "" {
		line += " — " + a.Error
	}
	return line
}

func statusLabel(code int) string {
	if code == 0 {
		return "no answer"
	}
	return fmt.Sprintf("%d", code)
}

func printNotifyWarnings(w io.Writer, warnings []notify.Warning, prefix string) {
	for _, warn := range warnings {
		fmt.Fprintf(w, "%swarning: %s\n", prefix, warn.Message)
	}
}

func (n *notifyCtx) testCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:     "test ID",
		Short:   "Send a test message to a configured webhook (even a disabled one)",
		Example: "  hooktap notify test ops",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return n.withDispatcher(func(d *notify.Dispatcher) error {
				res, err := d.TestWebhook(cmd.Context(), args[0])
				if errors.Is(err, notify.ErrNotFound) {
					return fmt.Errorf("no webhook %q (see `hooktap notify list`)", args[0])
				}
				return n.printResult(res, err, asJSON)
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the delivery result as JSON")
	return cmd
}

func (n *notifyCtx) listCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:     "list",
		Short:   "List outgoing webhooks (config file and API), secrets masked",
		Example: "  hooktap notify list --json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return n.withDispatcher(func(d *notify.Dispatcher) error { return n.list(cmd, d, asJSON) })
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func (n *notifyCtx) list(cmd *cobra.Command, d *notify.Dispatcher, asJSON bool) error {
	hooks, err := d.Webhooks(cmd.Context())
	if err != nil {
		return err
	}
	for i, h := range hooks {
		hooks[i] = h.Masked()
	}
	if asJSON {
		return writeIndentedJSON(n.e.stdout, hooks)
	}
	return printWebhookTable(n.e.stdout, hooks)
}

func printWebhookTable(w io.Writer, hooks []notify.Webhook) error {
	if len(hooks) == 0 {
		_, err := fmt.Fprintln(w, "no webhooks: add them under notify.webhooks in config.yaml or POST /api/v1/webhooks")
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tENABLED\tFORMAT\tEVENTS\tSOURCE\tURL")
	for _, h := range hooks {
		events := strings.Join(h.Events, ",")
		if events == "" {
			events = "(all)"
		}
		fmt.Fprintf(tw, "%s\t%t\t%s\t%s\t%s\t%s\n", h.ID, h.Enabled, h.ResolvedFormat(), events, h.Source, h.URL)
	}
	return tw.Flush()
}
