package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/config"
	"github.com/hooktap/hooktap/replay"
)

// sendFlags are `hooktap send`'s options.
type sendFlags struct {
	to, route, secret, bodyFile string
	sets                        []string
	list, asJSON, dryRun        bool
	tamper, duplicate, oversize bool
	stale                       time.Duration
	burst                       int
}

func newSendCmd(e *env) *cobra.Command {
	var f sendFlags
	cmd := &cobra.Command{
		Use:   "send PROVIDER EVENT",
		Short: "Craft a realistic, signed provider event and send it",
		Long: "Builds PROVIDER's EVENT from a built-in fixture with fresh ids and timestamps, signs it the way the\n" +
			"provider does and sends it to a route of the running gateway (signed with that route's secret) or to\n" +
			"--to URL. Negative variants test the receiver: --tamper, --stale, --duplicate, --oversize, --burst.",
		Example: "  hooktap send --list\n" +
			"  hooktap send github pull_request --route github-pr --set pull_request.title='Fix the doctor'\n" +
			"  hooktap send stripe payment_intent.succeeded --to http://127.0.0.1:3000/hooks --secret whsec_…\n" +
			"  hooktap send costkatana budget.warning --route costs --stale 10m\n" +
			"  hooktap send github push --route github-pr --burst 40",
		RunE: func(cmd *cobra.Command, args []string) error { return runSend(cmd, e, args, f) },
	}
	fl := cmd.Flags()
	fl.StringVar(&f.to, "to", "", "send to this URL")
	fl.StringVar(&f.route, "route", "", "send to this route of the running gateway, signed with its secret")
	fl.StringVar(&f.secret, "secret", "", "sign with this secret (default: the route's, or hooktap's test secret)")
	fl.StringArrayVar(&f.sets, "set", nil, "edit a field: path=value (dot path, JSON value or text); repeatable")
	fl.StringVar(&f.bodyFile, "body", "", "use this file as the body (- for stdin) instead of the fixture")
	fl.BoolVar(&f.list, "list", false, "list every provider and its events")
	fl.BoolVar(&f.asJSON, "json", false, "print JSON")
	fl.BoolVar(&f.dryRun, "print", false, "print the signed request instead of sending it")
	fl.BoolVar(&f.tamper, "tamper", false, "change the body after signing (the receiver should answer 401)")
	fl.DurationVar(&f.stale, "stale", 0, "sign with a timestamp this far in the past, e.g. 10m")
	fl.BoolVar(&f.duplicate, "duplicate", false, "reuse the last delivery id sent for this provider")
	fl.BoolVar(&f.oversize, "oversize", false, "pad the body past the route's max_body_bytes (413 expected)")
	fl.IntVar(&f.burst, "burst", 0, "send this many fresh events at once (to trip the rate limit)")
	return cmd
}

func runSend(cmd *cobra.Command, e *env, args []string, f sendFlags) error {
	if f.list {
		return printProviders(e.stdout, f.asJSON)
	}
	if err := f.check(args); err != nil {
		return usageError(err)
	}
	if _, err := replay.Fixture(args[0], args[1]); err != nil {
		return usageError(err)
	}
	cfg, err := e.config()
	if err != nil {
		return err
	}
	cfg = withSubscriptionRoutes(e, cfg)
	t, err := resolveSendTarget(cfg, args[0], f)
	if err != nil {
		return err
	}
	opts, err := f.craftOptions(e, args[0], &t)
	if err != nil {
		return err
	}
	if f.dryRun {
		return printCrafted(e, args[0], args[1], t.URL, opts)
	}
	st, err := openCreatingStore(cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	s := &sender{e: e, cfg: cfg, rp: replay.NewReplayer(st, cfg, gatewayURL(cfg), &http.Client{Timeout: 30 * time.Second}),
		provider: args[0], event: args[1], target: t, opts: opts, asJSON: f.asJSON,
		expectRefusal: f.tamper || f.stale > 0 || f.oversize || f.duplicate || f.burst > 0}
	return s.run(cmd.Context(), f)
}

func (f sendFlags) check(args []string) error {
	switch {
	case len(args) != 2:
		return errors.New("want PROVIDER EVENT, e.g. `hooktap send github push` (see `hooktap send --list`)")
	case f.to != "" && f.route != "":
		return errors.New("--to and --route both name a target: pick one")
	case f.burst < 0 || f.stale < 0:
		return errors.New("--burst and --stale cannot be negative")
	case f.burst > 0 && f.duplicate:
		return errors.New("--burst sends fresh events; it cannot be combined with --duplicate")
	}
	if f.to != "" {
		if err := replay.CheckURL(f.to); err != nil {
			return fmt.Errorf("--to: %w", err)
		}
	}
	return nil
}

// resolveSendTarget picks --to, --route, a route named like the provider, or the only route;
// --print without a target shows the URL a route named like the provider would have.
func resolveSendTarget(cfg *config.Config, provider string, f sendFlags) (replay.SendTarget, error) {
	if f.dryRun && f.to == "" && f.route == "" {
		return replay.SendTarget{URL: config.RouteURL(gatewayURL(cfg), provider), Secret: f.secret}, nil
	}
	t, err := replay.ResolveSendTarget(cfg, gatewayURL(cfg), provider, f.route, f.to, f.secret)
	if errors.Is(err, replay.ErrNoTarget) {
		return t, usageError(fmt.Errorf("say where to send: --route NAME (%s) or --to URL", replay.RouteNames(cfg)))
	}
	if err != nil {
		return t, usageError(err)
	}
	return t, nil
}

// craftOptions turns the flags into CraftOptions, reading --body and filling the test secret.
func (f sendFlags) craftOptions(e *env, provider string, t *replay.SendTarget) (replay.CraftOptions, error) {
	o := replay.CraftOptions{Secret: t.SigningSecret(provider), Sets: f.sets, Stale: f.stale, Tamper: f.tamper,
		URL: t.SigningURL()}
	if t.DiscordPublicKey != "" {
		fmt.Fprintf(e.stderr, "note: signed with a fresh Ed25519 key pair; the receiver verifies with public key\n  %s\n"+
			"  (pass --secret %s to sign with the same key again)\n", t.DiscordPublicKey, t.Secret)
	}
	if f.oversize {
		limit := t.MaxBody
		if limit <= 0 {
			limit = config.DefaultMaxBodyBytes
		}
		o.OversizeTo = int(limit) + 1024
	}
	if f.bodyFile == "" {
		return o, nil
	}
	var err error
	if o.Body, err = readBodyArg(e, f.bodyFile); err != nil {
		return o, err
	}
	if len(f.sets) > 0 && !json.Valid(o.Body) {
		return o, usageError(fmt.Errorf("--set needs a JSON body, and --body %s is not JSON", f.bodyFile))
	}
	return o, nil
}

// printCrafted is --print: the signed request as HTTP text, nothing sent.
func printCrafted(e *env, provider, event, target string, o replay.CraftOptions) error {
	c, err := replay.Craft(provider, event, o)
	if err != nil {
		return usageError(err)
	}
	printCraftWarnings(e, c)
	fmt.Fprintf(e.stdout, "%s %s\n", c.Method, target)
	for _, h := range c.WireHeaders() {
		fmt.Fprintf(e.stdout, "%s: %s\n", h.Name, h.Value)
	}
	// The body is written byte for byte: a newline after it would be part of what a pipe
	// receives, and the signature covers the exact bytes. On a terminal the newline goes to
	// stderr so the prompt starts on its own line.
	fmt.Fprint(e.stdout, "\n")
	if _, err := e.stdout.Write(c.Body); err != nil {
		return err
	}
	if isCharDevice(e.stdout) {
		fmt.Fprintln(e.stderr)
	}
	return nil
}

func printCraftWarnings(e *env, c *replay.Crafted) {
	for _, w := range c.Warnings {
		fmt.Fprintln(e.stderr, "note: "+w)
	}
}

// sender sends one or more crafted events and reports each answer.
type sender struct {
	e               *env
	cfg             *config.Config
	rp              *replay.Replayer
	provider, event string
	target          replay.SendTarget
	opts            replay.CraftOptions
	asJSON          bool
	// expectRefusal is set when the flags ask for an answer other than 2xx (--tamper, --stale,
	// --oversize, --duplicate, --burst); otherwise a non-2xx answer makes the exit status 1.
	expectRefusal bool
	mu            sync.Mutex
	failures      int
	results       []capture.CaptureJSON
	statusCounts  map[int]int
}

func (s *sender) run(ctx context.Context, f sendFlags) error {
	if s.target.TestSecret {
		fmt.Fprintln(s.e.stderr, "note: signed with hooktap's test secret; pass --secret with the receiver's secret")
	}
	switch {
	case f.burst > 0:
		s.burst(ctx, f.burst)
	case f.duplicate:
		s.duplicate(ctx)
	default:
		s.sendOne(ctx, s.opts, "")
	}
	return s.finish()
}

// duplicate resends the last delivery id; with none yet, it sends a fresh event first.
func (s *sender) duplicate(ctx context.Context) {
	id := replay.LastDelivery(s.cfg.DataDir, s.provider)
	if id == "" {
		fmt.Fprintf(s.e.stderr, "note: no earlier %s delivery; sending a fresh one first\n", s.provider)
		id = s.sendOne(ctx, s.opts, "original")
		if id == "" {
			return
		}
	}
	o := s.opts
	o.DeliveryID = id
	s.sendOne(ctx, o, "duplicate")
}

// burst sends n fresh events at once and sums up the answers.
func (s *sender) burst(ctx context.Context, n int) {
	s.statusCounts = map[int]int{}
	var wg sync.WaitGroup
	sem := make(chan struct{}, 16)
	for i := range n {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			s.sendOne(ctx, s.opts, fmt.Sprintf("#%d", i+1))
		}()
	}
	wg.Wait()
	if !s.asJSON {
		codes := slices.Sorted(maps.Keys(s.statusCounts))
		parts := make([]string, 0, len(codes))
		for _, code := range codes {
			parts = append(parts, fmt.Sprintf("%d × %d %s", s.statusCounts[code], code, http.StatusText(code)))
		}
		fmt.Fprintf(s.e.stdout, "burst of %d: %s\n", n, strings.Join(parts, ", "))
	}
}

// sendOne crafts and sends one event and prints the answer; it returns the delivery id sent
// ("" when crafting failed).
func (s *sender) sendOne(ctx context.Context, o replay.CraftOptions, label string) string {
	c, err := replay.Craft(s.provider, s.event, o)
	if err != nil {
		s.fail(err.Error())
		return ""
	}
	if label == "" || label == "#1" || label == "original" {
		printCraftWarnings(s.e, c)
	}
	got, err := s.rp.Send(ctx, c, s.target.URL, capture.SourceCraft)
	replay.RememberDelivery(s.cfg.DataDir, c.Provider, c.DeliveryID)
	what := strings.Join(strings.Fields(fmt.Sprintf("%s %s %s (delivery %s)", c.Provider, c.Event, label, c.DeliveryID)), " ")
	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil {
		s.failures++
		line := fmt.Sprintf("✗ %s: %s", what, err)
		if got != nil {
			line += " (attempt captured as " + got.ID + ")"
		}
		fmt.Fprintln(s.e.stderr, line)
		return c.DeliveryID
	}
	if s.statusCounts != nil {
		s.statusCounts[got.Status]++
	}
	if !s.expectRefusal && (got.Status < 200 || got.Status >= 300) {
		s.failures++
	}
	if s.asJSON {
		s.results = append(s.results, got.JSON(capture.JSONOptions{WithBody: true, SecretHeaders: captureSecretHeaders(s.cfg)}))
		return c.DeliveryID
	}
	printExchange(s.e.stdout, "sent "+what, s.target.URL, got, s.statusCounts != nil)
	if strings.Contains(string(got.ResponseBody), `"duplicate"`) && label != "duplicate" {
		fmt.Fprintln(s.e.stdout, "    hint: the gateway has seen this delivery id; `hooktap send` without --duplicate sends a fresh one")
	}
	return c.DeliveryID
}

func (s *sender) fail(msg string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failures++
	fmt.Fprintln(s.e.stderr, "✗ "+msg)
}

// finish prints the JSON (one capture, or an array for several) and sets the exit status.
func (s *sender) finish() error {
	if s.asJSON && len(s.results) > 0 {
		var v any = s.results
		if len(s.results) == 1 {
			v = s.results[0]
		}
		if err := writeIndentedJSON(s.e.stdout, v); err != nil {
			return err
		}
	}
	if s.failures > 0 {
		return silentFailure
	}
	return nil
}
