package cli

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/hooktap/hooktap/config"
	"github.com/hooktap/hooktap/notify"
	"github.com/hooktap/hooktap/subscription"
)

func newConfigCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "config",
		Short: "Explain or convert a configuration file (hooktap, Hermes, Clawdbot, Greentic, gozen)",
		Long: "hooktap reads its own config.yaml and the configuration files of the systems it stands in\n" +
			"for, recognised by their shape (--config-format forces one). `explain` shows how a file is\n" +
			"read; `convert` writes the same configuration as hooktap's own YAML.",
		Args: cobra.NoArgs,
	}
	cmd.AddCommand(newConfigExplainCmd(e), newConfigConvertCmd(e))
	return cmd
}

func newConfigExplainCmd(e *env) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "explain FILE",
		Short: "Show how a configuration file is read: routes, limits, templates, deliveries, ignored keys",
		Example: "  hooktap config explain ~/.hermes/config.yaml\n" +
			"  hooktap config explain clawdbot.json --json",
		Args: cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			ov := e.ov
			ov.ConfigFile = args[0]
			cfg, err := config.Load(ov, e.getenv)
			if err != nil {
				return usageError(err)
			}
			x := cfg.Explain(readDynamic(cfg))
			x.Notes = append(x.Notes, unemittedEvents(x.Webhooks)...)
			if asJSON {
				return writeIndentedJSON(e.stdout, x)
			}
			return printExplanation(e.stdout, x)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

// unemittedEvents notes the events a notify webhook subscribes to that hooktap's catalogue lacks
// (a Clawdbot outgoing webhook's message_received): the webhook is kept, for `notify test` and
// events posted to the admin API.
func unemittedEvents(ws []config.WebhookExplanation) []config.Note {
	var notes []config.Note
	for _, w := range ws {
		var unknown []string
		for _, ev := range w.Events {
			if !notify.KnownEvent(ev) {
				unknown = append(unknown, ev)
			}
		}
		if len(unknown) > 0 {
			notes = append(notes, config.Note{Line: w.Line, Key: w.Key + ".events", Kind: config.NoteDiffers,
				Msg: strings.Join(unknown, ", ") + " are not in hooktap's catalogue (" + strings.Join(notify.Events, ", ") +
					"): the webhook gets them only when they are posted to the admin API (POST /api/v1/events)"})
		}
	}
	return notes
}

// readDynamic reads the original system's dynamic routes file, if the config names one.
func readDynamic(cfg *config.Config) ([]config.Route, error) {
	if cfg.DynamicRoutesFile == "" {
		return nil, nil
	}
	var skipped error
	f := subscription.OpenRoutes(cfg.DynamicRoutesFile, func(data []byte) ([]config.Route, error) {
		routes, left, err := cfg.HermesSubscriptions(data, cfg.DynamicRoutesFile)
		skipped = left
		return routes, err
	})
	routes, err := f.List()
	if err == nil {
		err = skipped
	}
	return routes, err
}

func newConfigConvertCmd(e *env) *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "convert FILE",
		Short: "Write a configuration file of any supported format as hooktap's own YAML",
		Long: "convert reads FILE alone (no environment variables, so none of their secrets end up in the\n" +
			"output) and writes the equivalent hooktap config.yaml to stdout or --output.",
		Example: "  hooktap config convert ~/.hermes/config.yaml > config.yaml\n" +
			"  hooktap config convert answers.json --output config.yaml",
		Args: cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			cfg, err := config.Read(args[0], e.ov.ConfigFormat)
			if err != nil {
				return usageError(err)
			}
			b, err := cfg.Convert()
			if err != nil {
				return err
			}
			if out == "" {
				_, err = e.stdout.Write(b)
				return err
			}
			return os.WriteFile(out, b, 0o600)
		},
	}
	cmd.Flags().StringVarP(&out, "output", "o", "", "write to this file (mode 0600: it holds secrets) instead of stdout")
	return cmd
}

// printExplanation writes the explanation for a person.
func printExplanation(w io.Writer, x config.Explanation) error {
	p := &linePrinter{w: w}
	p.f("%s: read as %s\n", x.File, x.FormatTitle)
	state := "listens on " + x.Listen
	if !x.Enabled {
		state = "disabled (the gateway does not listen)"
	}
	p.f("gateway   %s\n", state)
	if x.PublicBaseURL != "" {
		p.f("public    %s\n", x.PublicBaseURL)
	}
	if x.Redis != "" {
		p.f("redis     %s (idempotency keys and route limits shared by every instance)\n", x.Redis)
	}
	if x.ZeroConfig {
		p.f("\nno routes: hooktap serves the zero-config route inspect, which captures everything unverified\n")
	}
	p.routes("routes", x.Routes)
	if x.DynamicFile != "" {
		p.f("\ndynamic routes  %s (read now; watched while hooktap runs)\n", x.DynamicFile)
		if x.DynamicError != "" {
			p.f("  problem: %s\n", x.DynamicError)
		}
		p.routes("", x.Dynamic)
	}
	p.webhooks(x.Webhooks)
	p.notes(x.Notes)
	return p.err
}

// linePrinter writes formatted lines, keeping the first error.
type linePrinter struct {
	w   io.Writer
	err error
}

func (p *linePrinter) f(format string, args ...any) {
	if p.err == nil {
		_, p.err = fmt.Fprintf(p.w, format, args...)
	}
}

func (p *linePrinter) routes(title string, routes []config.RouteExplanation) {
	if title != "" && len(routes) > 0 {
		p.f("\n%s\n", title)
	}
	for _, r := range routes {
		where := ""
		if r.Line > 0 {
			where = fmt.Sprintf("  (line %d, %s)", r.Line, r.Key)
		}
		p.f("  %s%s\n", r.Name, where)
		p.f("    paths     POST %s\n", strings.Join(r.Paths, ", "))
		p.f("    verify    %s; secret: %s\n", r.Verify, r.Secret)
		if len(r.AllowedIPs) > 0 {
			p.f("    allow     %s\n", strings.Join(r.AllowedIPs, ", "))
		}
		events := "all"
		if len(r.Events) > 0 {
			events = strings.Join(r.Events, ", ")
		}
		p.f("    events    %s\n", events)
		p.f("    limits    %d/min, body ≤ %d bytes, duplicates dropped for %s\n", r.RateLimit, r.MaxBodyBytes, r.IdempotencyTTL)
		p.f("    template  %s\n", strings.ReplaceAll(strings.TrimRight(r.Template, "\n"), "\n", "\n              "))
		p.f("    delivery  %s\n", deliveryText(r))
	}
}

// deliveryText says what happens after the answer.
func deliveryText(r config.RouteExplanation) string {
	text := r.Deliver
	if r.Target != "" {
		text += " → " + r.Target
	}
	if r.NotDelivered != "" {
		text += ": " + r.NotDelivered + " (rendered and captured with that note)"
	}
	if r.DeliverOnly {
		text += "; deliver_only: answers after delivering"
	}
	return text
}

func (p *linePrinter) webhooks(ws []config.WebhookExplanation) {
	if len(ws) == 0 {
		return
	}
	p.f("\nnotify webhooks\n")
	for _, w := range ws {
		name := w.ID
		if name == "" {
			name = "(no id)"
		}
		if w.Line > 0 {
			name += fmt.Sprintf("  (line %d)", w.Line)
		}
		if !w.Enabled {
			name += "  disabled"
		}
		events := "every event"
		if len(w.Events) > 0 {
			events = strings.Join(w.Events, ", ")
		}
		p.f("  %s\n    %s  format %s, %s\n    events    %s\n", name, w.URL, w.Format, w.Retry, events)
		for _, h := range w.Headers {
			p.f("    header    %s\n", h)
		}
	}
}

func (p *linePrinter) notes(notes []config.Note) {
	if len(notes) == 0 {
		return
	}
	p.f("\nread but not done as the original system would\n")
	for _, n := range notes {
		p.f("  line %-4d %s: %s\n", n.Line, n.Key, n.Msg)
	}
}
