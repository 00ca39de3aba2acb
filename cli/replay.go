package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/hooktap/hooktap/app"
	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/config"
	"github.com/hooktap/hooktap/mask"
	"github.com/hooktap/hooktap/replay"
	"github.com/hooktap/hooktap/subscription"
)

// replayFlags are `hooktap replay`'s options.
type replayFlags struct {
	to            string
	resign        bool
	keepSignature bool
	exact         bool
	edit          bool
	route         string
	failed        bool
	since         time.Duration
	limit         int
	concurrency   int
	rate          float64
	asJSON        bool
	remote        remoteFlags
}

func newReplayCmd(e *env) *cobra.Command {
	var f replayFlags
	cmd := &cobra.Command{
		Use:   "replay [ID…]",
		Short: "Send captured requests again: byte-identical, re-signed or edited",
		Long: "Replays captures to their own route on the running gateway (the pipeline runs again) or to --to URL.\n" +
			"The body is byte-identical and the headers are the original ones minus hop-by-hop headers.\n" +
			"Without --resign the stored signature and delivery id are sent as they were, so the gateway may\n" +
			"answer \"duplicate\" or reject a stale timestamp; --resign signs again with the route's secret.",
		Example: "  hooktap replay 01jb3k                       # to the running gateway, as stored\n" +
			"  hooktap replay 01jb3k --resign              # fresh signature, timestamp and delivery id\n" +
			"  hooktap replay 01jb3k --to http://127.0.0.1:3000/hooks --edit\n" +
			"  hooktap replay --route stripe --failed --since 1h --concurrency 4 --rate 10\n" +
			"  hooktap replay 01jb3k --remote http://127.0.0.1:8645   # through a server's gateway, over ssh -L",
		RunE: func(cmd *cobra.Command, args []string) error { return runReplay(cmd, e, args, f) },
	}
	fl := cmd.Flags()
	fl.StringVar(&f.to, "to", "", "send to this URL instead of the running gateway")
	fl.BoolVar(&f.resign, "resign", false, "re-sign with the route's secret, a fresh timestamp and delivery id")
	fl.BoolVar(&f.keepSignature, "keep-signature", false, "send the stored signature as is (also after --edit)")
	fl.BoolVar(&f.exact, "exact", false, "replay the capture given even if it is itself a replay (default: its original)")
	fl.BoolVar(&f.edit, "edit", false, "edit the body in $EDITOR first, then re-sign")
	fl.StringVar(&f.route, "route", "", "replay the captures of this route")
	fl.BoolVar(&f.failed, "failed", false, "replay captures whose signature check failed")
	fl.DurationVar(&f.since, "since", 0, "replay captures received within this long (e.g. 30m, 2h)")
	fl.IntVar(&f.limit, "limit", 100, "at most this many captures for a filter")
	fl.IntVar(&f.concurrency, "concurrency", 1, "replays in flight at once")
	fl.Float64Var(&f.rate, "rate", 0, "at most this many replays per second (0 = no limit)")
	fl.BoolVar(&f.asJSON, "json", false, "print the new captures as JSON")
	addRemoteFlags(cmd, &f.remote)
	return cmd
}

// check rejects contradictory or empty selections (exit status 2).
func (f replayFlags) check(ids []string) error {
	filter := f.route != "" || f.failed || f.since > 0
	switch {
	case len(ids) == 0 && !filter:
		return errors.New("give capture ids, or a filter: --route, --failed, --since (see `hooktap captures list`)")
	case len(ids) > 0 && filter:
		return errors.New("give capture ids or a filter (--route, --failed, --since), not both")
	case f.resign && f.keepSignature:
		return errors.New("--resign and --keep-signature contradict each other: pick one")
	case f.concurrency < 1 || f.rate < 0 || f.limit < 1 || f.since < 0:
		return errors.New("--concurrency and --limit must be at least 1; --rate and --since cannot be negative")
	case f.edit && (len(ids) > 1 || filter):
		return errors.New("--edit works on one capture at a time")
	}
	return nil
}

func runReplay(cmd *cobra.Command, e *env, args []string, f replayFlags) error {
	if err := f.check(args); err != nil {
		return usageError(err)
	}
	if f.remote.url != "" {
		return runRemoteReplay(cmd, e, args, f)
	}
	return withCaptureStore(e, func(cfg *config.Config, st capture.Store) error {
		ctx := cmd.Context()
		ids, err := replaySelection(cmd, st, args, f)
		if err != nil {
			return err
		}
		o := replay.ReplayOptions{To: f.to, Resign: f.resign, KeepSignature: f.keepSignature, Exact: f.exact}
		if f.edit {
			if o.Body, err = editCaptureBody(ctx, e, st, ids[0]); err != nil {
				return err
			}
		}
		rp := replay.NewReplayer(st, withSubscriptionRoutes(e, cfg), gatewayURL(cfg), &http.Client{Timeout: 30 * time.Second})
		if gw, ok := runningAdminGateway(cfg, st); ok {
			rp.WithGateway(gw)
		}
		p := &replayPrinter{e: e, cfg: cfg, toGateway: f.to == "", asJSON: f.asJSON}
		rp.ReplayMany(ctx, ids, o, f.concurrency, f.rate, p.print)
		return p.finish()
	})
}

// replaySelection resolves ids (or prefixes), or lists the filter's captures oldest first.
func replaySelection(cmd *cobra.Command, st capture.Reader, args []string, f replayFlags) ([]string, error) {
	if len(args) > 0 {
		ids := make([]string, len(args))
		for i, a := range args {
			c, err := findCapture(cmd, st, a)
			if err != nil {
				return nil, err
			}
			ids[i] = c.ID
		}
		return ids, nil
	}
	flt := capture.Filter{Route: f.route, Limit: f.limit}
	if f.failed {
		flt.Verified = new(bool)
	}
	if f.since > 0 {
		flt.Since = time.Now().Add(-f.since)
	}
	page, err := st.List(cmd.Context(), flt)
	if err != nil {
		return nil, err
	}
	if len(page.Captures) == 0 {
		return nil, errors.New("no captures match that filter (see `hooktap captures list`)")
	}
	ids := make([]string, len(page.Captures))
	for i, c := range page.Captures {
		ids[i] = c.ID
	}
	slices.Reverse(ids) // List is newest first; replays go in the order they were received
	return ids, nil
}

// gatewayURL is the running gateway's base URL; a wildcard bind is reached on loopback.
// gatewayURL is where the running gateway listens: the address a running hooktap recorded in
// the data dir, else the configured one.
func gatewayURL(cfg *config.Config) string {
	addr := cfg.ListenAddr()
	if rt, ok := app.ReadRuntime(cfg.DataDir); ok && rt.Gateway != "" {
		addr = rt.Gateway
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "http://" + addr
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// withSubscriptionRoutes adds the dynamic routes (hooktap webhook subscribe) so replays to them
// can be re-signed and crafted events sent to them; a static route wins a name clash.
func withSubscriptionRoutes(e *env, cfg *config.Config) *config.Config {
	file, err := e.subscriptions()
	if err != nil {
		return cfg
	}
	subs, err := file.List()
	if err != nil || len(subs) == 0 {
		return cfg
	}
	out := *cfg
	out.Gateway.Routes = append(slices.Clone(cfg.Gateway.Routes), subscription.Routes(subs, cfg.Gateway.Routes)...)
	return &out
}

// replayPrinter reports each replay as it finishes: one line per replay, or JSON at the end.
type replayPrinter struct {
	e         *env
	cfg       *config.Config
	toGateway bool
	asJSON    bool
	remote    bool
	failures  int
	out       []replayJSON
}

// replayJSON is one element of `hooktap replay --json`.
type replayJSON struct {
	ReplayOf string               `json:"replay_of"`
	Capture  *capture.CaptureJSON `json:"capture"`
	Error    *string              `json:"error"`
}

func (p *replayPrinter) print(r replay.Result) {
	if r.Err != nil {
		p.failures++
	}
	if p.asJSON {
		j := replayJSON{ReplayOf: r.ID}
		if r.Capture != nil {
			// A remote's captures arrive masked by the server: never masked twice.
			cj := r.Capture.JSON(capture.JSONOptions{WithBody: true, SecretHeaders: captureSecretHeaders(p.cfg), Reveal: p.remote})
			j.Capture = &cj
		}
		if r.Err != nil {
			msg := p.errorText(r.Err)
			j.Error = &msg
		}
		p.out = append(p.out, j)
		return
	}
	if r.Err != nil {
		line := fmt.Sprintf("✗ %s: %s", r.ID, p.errorText(r.Err))
		if r.Capture != nil {
			line += " (attempt captured as " + r.Capture.ID + ")"
		}
		fmt.Fprintln(p.e.stderr, line)
		return
	}
	printExchange(p.e.stdout, "replayed "+r.ID, "", r.Capture, false)
}

// errorText adds the likely cause when the running gateway refused the connection.
func (p *replayPrinter) errorText(err error) string {
	msg := err.Error()
	if p.toGateway && errors.Is(err, syscall.ECONNREFUSED) {
		msg += " — is the gateway running (`hooktap` or `hooktap serve`)? Or pass --to URL"
	}
	return msg
}

func (p *replayPrinter) finish() error {
	if p.asJSON {
		if p.out == nil {
			p.out = []replayJSON{}
		}
		if err := writeIndentedJSON(p.e.stdout, p.out); err != nil {
			return err
		}
	}
	if p.failures > 0 {
		return silentFailure
	}
	return nil
}

// printExchange prints one line for a sent request and its answer (unless compact), with a
// hint on a duplicate. target is the URL sent to when the capture does not record it.
func printExchange(w io.Writer, what, target string, c *capture.Capture, compact bool) {
	if len(c.Deliveries) > 0 && c.Deliveries[0].Target != "" {
		target = c.Deliveries[0].Target
	}
	if target == "" {
		target = c.Path
	}
	fmt.Fprintf(w, "%s %s → %d %s  %s  %.1fms  capture %s\n", statusMark(c.Status), what, c.Status,
		http.StatusText(c.Status), mask.URL(target), float64(c.Latency)/float64(time.Millisecond), c.ID)
	if compact {
		return
	}
	if len(c.Deliveries) > 0 {
		text, _ := replay.Answer(c)
		fmt.Fprintf(w, "    delivery: %s\n", mask.URL(text))
	}
	answer := strings.TrimSpace(string(c.ResponseBody))
	if len(answer) > 120 {
		answer = answer[:120] + "…"
	}
	if answer != "" {
		fmt.Fprintf(w, "    %s\n", answer)
	}
	if c.Verification.Result == "failed" {
		fmt.Fprintf(w, "    signature %s: %s\n", c.Verification.Reason, c.Verification.Detail)
	}
	if strings.Contains(answer, `"duplicate"`) && strings.HasPrefix(what, "replayed") {
		fmt.Fprintln(w, "    hint: the gateway has seen this delivery id. --resign sends fresh id headers; an id inside the body (id, event_id) needs --edit")
	}
}

func statusMark(status int) string {
	if status >= 200 && status < 300 {
		return "✓"
	}
	return "✗"
}

// editCaptureBody opens the stored body in $EDITOR and returns what the user saved.
func editCaptureBody(ctx context.Context, e *env, st capture.Reader, id string) ([]byte, error) {
	c, err := st.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if c.Truncated {
		return nil, fmt.Errorf("capture %s was cut at %d bytes when received; editing the prefix would not replay it", c.ID, len(c.Body))
	}
	return editBody(ctx, e, c.Body)
}

// editBody writes body to a temporary file, runs $EDITOR on it (vi when unset, said on stderr)
// and reads it back. A result that is not JSON is allowed — it may be the point of the test —
// but the user is warned.
func editBody(ctx context.Context, e *env, body []byte) ([]byte, error) {
	editor := strings.Fields(e.getenv("EDITOR"))
	if len(editor) == 0 {
		editor = []string{"vi"}
		fmt.Fprintln(e.stderr, "note: $EDITOR is not set; using vi")
	}
	ext := ".txt"
	if json.Valid(body) {
		ext = ".json"
	}
	f, err := os.CreateTemp("", "hooktap-body-*"+ext)
	if err != nil {
		return nil, fmt.Errorf("temporary file for the editor: %w", err)
	}
	path := f.Name()
	defer os.Remove(path)
	_, werr := f.Write(body)
	if cerr := f.Close(); werr != nil || cerr != nil {
		return nil, fmt.Errorf("write %s: %w", path, errors.Join(werr, cerr))
	}
	run := exec.CommandContext(ctx, editor[0], append(editor[1:], path)...)
	run.Stdin, run.Stdout, run.Stderr = e.stdin, e.stderr, e.stderr
	if err := run.Run(); err != nil {
		return nil, fmt.Errorf("editor %s: %w (nothing was replayed)", editor[0], err)
	}
	edited, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read the edited body: %w", err)
	}
	if json.Valid(body) && !json.Valid(edited) {
		fmt.Fprintln(e.stderr, "warning: the edited body is not valid JSON; sending it anyway")
	}
	return edited, nil
}
