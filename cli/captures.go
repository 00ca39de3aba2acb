package cli

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/url"
	"os"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"github.com/alecthomas/chroma/v2/quick"
	"github.com/spf13/cobra"

	"github.com/hooktap/hooktap/admin"
	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/config"
	"github.com/hooktap/hooktap/signature"
)

// newCapturesCmd is `hooktap captures`: read, export and prune the capture store.
func newCapturesCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "captures",
		Short: "List, show, export and prune recorded requests",
		Example: "  hooktap captures list --route github-pr --verified false\n" +
			"  hooktap captures show 01jb3k\n" +
			"  hooktap captures export 01jb3k --format curl | sh",
		Args: cobra.NoArgs,
	}
	cmd.AddCommand(newCapturesListCmd(e), newCapturesShowCmd(e), newCapturesExportCmd(e),
		newCapturesPruneCmd(e), newCapturesClearCmd(e))
	return cmd
}

// withCaptureStore opens the store for one command and closes it after.
func withCaptureStore(e *env, fn func(*config.Config, *capture.Store) error) error {
	cfg, err := e.config()
	if err != nil {
		return err
	}
	st, err := e.openStore()
	if err != nil {
		return err
	}
	defer st.Close()
	return fn(cfg, st)
}

// captureSecretHeaders are the credential headers to mask for this configuration.
func captureSecretHeaders(cfg *config.Config) []string {
	return admin.SecretHeaders(cfg.Gateway.Routes)
}

// findCapture resolves an id or unique prefix with messages a user can act on.
func findCapture(cmd *cobra.Command, st *capture.Store, id string) (*capture.Capture, error) {
	c, err := st.Get(cmd.Context(), id)
	var amb *capture.AmbiguousError
	switch {
	case errors.As(err, &amb):
		return nil, fmt.Errorf("id prefix %q matches several captures; use more characters:\n  %s", id, strings.Join(amb.Candidates, "\n  "))
	case errors.Is(err, capture.ErrNotFound):
		return nil, fmt.Errorf("no capture with id %q (see `hooktap captures list`)", id)
	}
	return c, err
}

func writeIndentedJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func newCapturesListCmd(e *env) *cobra.Command {
	var asJSON, reveal bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List captures, newest first",
		Example: "  hooktap captures list --limit 20\n" +
			"  hooktap captures list --event push --status 401 --json",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			q := url.Values{}
			for _, name := range []string{"route", "event", "verified", "status", "q", "limit", "before"} {
				if f := cmd.Flags().Lookup(name); f.Changed {
					q.Set(name, f.Value.String())
				}
			}
			filter, _, err := admin.ParseListQuery(q)
			if err != nil {
				return usageError(fmt.Errorf("--%s: %w", err.(*admin.ParamError).Param, err))
			}
			// The table shows each body's size; lists are small pages, so loading bodies is cheap.
			filter.WithBody = !asJSON
			return withCaptureStore(e, func(cfg *config.Config, st *capture.Store) error {
				page, err := st.List(cmd.Context(), filter)
				if err != nil {
					return err
				}
				if asJSON {
					return printCaptureListJSON(e.stdout, page, capture.JSONOptions{Reveal: reveal, SecretHeaders: captureSecretHeaders(cfg)})
				}
				return printCaptureTable(e.stdout, page)
			})
		},
	}
	f := cmd.Flags()
	f.String("route", "", "only this route")
	f.String("event", "", "only this event type")
	f.String("verified", "", "true: verified only; false: failed verification only")
	f.String("status", "", "only this response status")
	f.String("q", "", "text to find in path, query, headers or body")
	f.String("limit", "50", "how many (1–1000)")
	f.String("before", "", "page: captures older than this id")
	f.BoolVar(&asJSON, "json", false, "print JSON")
	f.BoolVar(&reveal, "reveal", false, "show credential header values in --json output")
	return cmd
}

func printCaptureListJSON(w io.Writer, page capture.Page, opts capture.JSONOptions) error {
	out := struct {
		Captures []capture.CaptureJSON `json:"captures"`
		Next     *string               `json:"next"`
	}{Captures: []capture.CaptureJSON{}}
	for _, c := range page.Captures {
		out.Captures = append(out.Captures, c.JSON(opts))
	}
	if page.Next != "" {
		out.Next = &page.Next
	}
	return writeIndentedJSON(w, out)
}

func printCaptureTable(w io.Writer, page capture.Page) error {
	if len(page.Captures) == 0 {
		_, err := fmt.Fprintln(w, "no captures match")
		return err
	}
	n := idPrefixLen(page.Captures)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "TIME\tID\tMETHOD\tROUTE\tEVENT\tVERDICT\tSTATUS\tSIZE")
	for _, c := range page.Captures {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%d\t%s\n", c.ReceivedAt.Local().Format("2006-01-02 15:04:05"),
			c.ID[:min(n, len(c.ID))], c.Method, dashIfEmpty(c.Route), dashIfEmpty(c.Event), verdictMark(c.Verification.Result),
			c.Status, sizeLabel(int64(c.BodySize), c.Truncated))
	}
	if page.Next != "" {
		fmt.Fprintf(tw, "\nmore: --before %s\n", page.Next)
	}
	return tw.Flush()
}

// idPrefixLen is the shortest prefix (at least 8) that tells the listed ids apart. ULIDs of
// captures received in the same second share their first 8 characters, so 8 alone is not enough.
func idPrefixLen(cs []*capture.Capture) int {
	for n := 8; n < 26; n++ {
		seen := make(map[string]bool, len(cs))
		unique := true
		for _, c := range cs {
			p := c.ID[:min(n, len(c.ID))]
			if seen[p] {
				unique = false
				break
			}
			seen[p] = true
		}
		if unique {
			return n
		}
	}
	return 26
}

func verdictMark(r signature.Result) string {
	switch r {
	case signature.Verified:
		return "✓"
	case signature.Failed:
		return "✗"
	}
	return "–"
}

func dashIfEmpty(s string) string {
	if s == "" {
		return "–"
	}
	return s
}

func sizeLabel(n int64, truncated bool) string {
	var s string
	switch {
	case n < 1024:
		s = fmt.Sprintf("%d B", n)
	case n < 1<<20:
		s = fmt.Sprintf("%.1f KiB", float64(n)/1024)
	default:
		s = fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	}
	if truncated {
		s += "+"
	}
	return s
}

func newCapturesShowCmd(e *env) *cobra.Command {
	var asJSON, raw, reveal bool
	cmd := &cobra.Command{
		Use:   "show ID",
		Short: "Show one capture: summary, verdict, headers and body",
		Example: "  hooktap captures show 01jb3k\n" +
			"  hooktap captures show 01jb3k --raw > body.bin",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withCaptureStore(e, func(cfg *config.Config, st *capture.Store) error {
				c, err := findCapture(cmd, st, args[0])
				if err != nil {
					return err
				}
				opts := capture.JSONOptions{Reveal: reveal, SecretHeaders: captureSecretHeaders(cfg), WithBody: true}
				switch {
				case raw:
					_, err = e.stdout.Write(c.Body)
					return err
				case asJSON:
					return writeIndentedJSON(e.stdout, c.JSON(opts))
				}
				return printCaptureDetail(e.stdout, c, opts, captureColor(e))
			})
		},
	}
	f := cmd.Flags()
	f.BoolVar(&asJSON, "json", false, "print JSON")
	f.BoolVar(&raw, "raw", false, "write the exact body bytes and nothing else")
	f.BoolVar(&reveal, "reveal", false, "show credential header values")
	cmd.MarkFlagsMutuallyExclusive("json", "raw")
	return cmd
}

// captureColor is true when stdout is a terminal and NO_COLOR is not set.
func captureColor(e *env) bool {
	if e.getenv("NO_COLOR") != "" {
		return false
	}
	return isCharDevice(e.stdout)
}

// isCharDevice reports whether a stream is a character device (a terminal).
func isCharDevice(s any) bool {
	f, ok := s.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

func printCaptureDetail(w io.Writer, c *capture.Capture, opts capture.JSONOptions, color bool) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "capture   %s\n", c.ID)
	fmt.Fprintf(bw, "received  %s  via %s from %s\n", c.ReceivedAt.Local().Format(time.RFC3339Nano), dashIfEmpty(string(c.Source)), dashIfEmpty(c.Peer))
	target := c.Path
	if c.Query != "" {
		target += "?" + c.Query
	}
	fmt.Fprintf(bw, "request   %s %s\n", c.Method, target)
	fmt.Fprintf(bw, "route     %s   event %s   delivery %s\n", dashIfEmpty(c.Route), dashIfEmpty(c.Event), dashIfEmpty(c.DeliveryID))
	printVerdict(bw, c.Verification)
	fmt.Fprintf(bw, "response  %d in %s", c.Status, c.Latency.Round(time.Microsecond))
	if len(c.ResponseBody) > 0 {
		fmt.Fprintf(bw, "  %s", strings.TrimSpace(string(c.ResponseBody)))
	}
	fmt.Fprintln(bw)
	if c.ReplayOf != "" {
		fmt.Fprintf(bw, "replay of %s\n", c.ReplayOf)
	}
	for _, d := range c.Deliveries {
		fmt.Fprintf(bw, "delivery  #%d %s → %d %s (%s)\n", d.Attempt, d.Target, d.Status, d.Error, d.Duration.Round(time.Millisecond))
	}
	fmt.Fprintln(bw, "\nheaders")
	if len(c.Headers) == 0 {
		fmt.Fprintln(bw, "  (none)")
	}
	for _, h := range c.JSON(opts).Headers {
		fmt.Fprintf(bw, "  %s: %s\n", h[0], h[1])
	}
	fmt.Fprintf(bw, "\nbody      %s, %s\n", dashIfEmpty(c.ContentType), sizeLabel(int64(len(c.Body)), c.Truncated))
	printCaptureBody(bw, c.ContentType, c.Body, color)
	return bw.Flush()
}

func printVerdict(w io.Writer, o signature.Outcome) {
	fmt.Fprintf(w, "verdict   %s %s", verdictMark(o.Result), dashIfEmpty(string(o.Result)))
	if o.Scheme != "" {
		fmt.Fprintf(w, " (%s", o.Scheme)
		if o.Reason != "" {
			fmt.Fprintf(w, ", %s", o.Reason)
		}
		fmt.Fprint(w, ")")
	}
	if o.MatchedSecret != "" {
		fmt.Fprintf(w, " with %s", o.MatchedSecret)
	}
	fmt.Fprintln(w)
	if o.Detail != "" {
		fmt.Fprintf(w, "          %s\n", o.Detail)
	}
	for _, f := range o.Diagnosis {
		fmt.Fprintf(w, "  doctor: %s — %s\n", f.Code, f.Message)
	}
}

// printCaptureBody shows a body the way a person reads it: indented (and highlighted) JSON, decoded form
// fields, text as is, and a hex dump for anything else.
func printCaptureBody(w io.Writer, contentType string, body []byte, color bool) {
	if len(body) == 0 {
		fmt.Fprintln(w, "  (empty)")
		return
	}
	mt, _, _ := mime.ParseMediaType(contentType)
	var pretty bytes.Buffer
	switch {
	case json.Valid(body) && json.Indent(&pretty, body, "", "  ") == nil:
		if !color || quick.Highlight(w, pretty.String()+"\n", "json", "terminal256", "monokai") != nil {
			fmt.Fprintln(w, pretty.String())
		}
	case mt == "application/x-www-form-urlencoded" && utf8.Valid(body):
		printFormFields(w, body)
	case utf8.Valid(body):
		fmt.Fprintln(w, strings.TrimRight(string(body), "\n"))
	default:
		fmt.Fprint(w, hex.Dump(body))
	}
}

func printFormFields(w io.Writer, body []byte) {
	vals, err := url.ParseQuery(string(body))
	if err != nil {
		fmt.Fprintln(w, string(body))
		return
	}
	// Keep the sender's field order: ParseQuery's map would lose it.
	for _, pair := range strings.Split(string(body), "&") {
		k, v, _ := strings.Cut(pair, "=")
		dk, _ := url.QueryUnescape(k)
		dv, _ := url.QueryUnescape(v)
		if _, ok := vals[dk]; ok {
			fmt.Fprintf(w, "  %s = %s\n", dk, dv)
		}
	}
}

func newCapturesExportCmd(e *env) *cobra.Command {
	var format, out, baseURL string
	var reveal bool
	cmd := &cobra.Command{
		Use:   "export ID... --format curl|har|json|raw",
		Short: "Export captures as a curl command, HAR 1.2, JSON or raw HTTP",
		Example: "  hooktap captures export 01jb3k --format curl | sh   # replays the exact bytes\n" +
			"  hooktap captures export 01jb3k 01jb3m --format har -o session.har",
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "har" && len(args) > 1 {
				return usageError(fmt.Errorf("--format %s exports one capture; got %d ids (har takes several)", format, len(args)))
			}
			if !slices.Contains([]string{"curl", "har", "json", "raw"}, format) {
				return usageError(fmt.Errorf("invalid --format %q (want curl, har, json or raw)", format))
			}
			return withCaptureStore(e, func(cfg *config.Config, st *capture.Store) error {
				var cs []*capture.Capture
				for _, id := range args {
					c, err := findCapture(cmd, st, id)
					if err != nil {
						return err
					}
					cs = append(cs, c)
				}
				if baseURL == "" {
					baseURL = "http://" + cfg.ListenAddr()
				}
				data, err := exportCaptures(format, cs, baseURL, capture.JSONOptions{Reveal: reveal, SecretHeaders: captureSecretHeaders(cfg), WithBody: true})
				if err != nil {
					return err
				}
				if out != "" {
					// 0600: a revealed export holds credentials.
					return os.WriteFile(out, data, 0o600)
				}
				_, err = e.stdout.Write(data)
				return err
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&format, "format", "curl", "curl, har, json or raw")
	f.StringVarP(&out, "output", "o", "", "write to this file instead of stdout")
	f.StringVar(&baseURL, "base-url", "", "where the curl command sends (default http://<gateway addr>)")
	f.BoolVar(&reveal, "reveal", false, "keep credential header values in clear")
	return cmd
}

// exportCaptures renders captures in one export format.
func exportCaptures(format string, cs []*capture.Capture, baseURL string, opts capture.JSONOptions) ([]byte, error) {
	switch format {
	case "curl":
		return []byte(capture.ExportCurl(cs[0], baseURL, opts) + "\n"), nil
	case "har":
		return capture.ExportHAR(cs, opts)
	case "json":
		var b bytes.Buffer
		err := writeIndentedJSON(&b, cs[0].JSON(opts))
		return b.Bytes(), err
	}
	c := *cs[0]
	if !opts.Reveal {
		c.Headers = capture.MaskHeaders(c.Headers, opts.SecretHeaders)
	}
	return capture.ExportRaw(&c), nil
}

func newCapturesPruneCmd(e *env) *cobra.Command {
	var olderThan string
	var keep int
	var asJSON bool
	cmd := &cobra.Command{
		Use:     "prune --older-than DURATION | --keep N",
		Short:   "Delete old captures",
		Example: "  hooktap captures prune --older-than 7d\n  hooktap captures prune --keep 1000",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var age config.Duration
			if olderThan != "" {
				d, err := config.ParseDuration(olderThan)
				if err != nil || d <= 0 {
					return usageError(fmt.Errorf("--older-than: invalid duration %q (use e.g. 12h, 7d, 2w)", olderThan))
				}
				age = d
			}
			if keep < 0 || (age == 0 && keep == 0) {
				return usageError(errors.New("say what to prune: --older-than DURATION and/or --keep N (N ≥ 1)"))
			}
			return withCaptureStore(e, func(_ *config.Config, st *capture.Store) error {
				n, err := st.Prune(cmd.Context(), age.D(), keep)
				if err != nil {
					return err
				}
				if asJSON {
					return writeIndentedJSON(e.stdout, map[string]int64{"deleted": n})
				}
				_, err = fmt.Fprintf(e.stdout, "deleted %d captures\n", n)
				return err
			})
		},
	}
	cmd.Flags().StringVar(&olderThan, "older-than", "", "delete captures older than this (e.g. 12h, 7d)")
	cmd.Flags().IntVar(&keep, "keep", 0, "keep only the newest N captures")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func newCapturesClearCmd(e *env) *cobra.Command {
	var yes bool
	cmd := &cobra.Command{
		Use:     "clear [--yes]",
		Short:   "Delete every capture",
		Example: "  hooktap captures clear --yes",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withCaptureStore(e, func(_ *config.Config, st *capture.Store) error {
				if !yes {
					if err := confirmClear(e, st.Path()); err != nil {
						return err
					}
				}
				n, err := st.Clear(cmd.Context())
				if err != nil {
					return err
				}
				_, err = fmt.Fprintf(e.stdout, "deleted %d captures\n", n)
				return err
			})
		},
	}
	cmd.Flags().BoolVarP(&yes, "yes", "y", false, "do not ask for confirmation")
	return cmd
}

// confirmClear asks on a terminal; without one nobody can answer, so it refuses.
func confirmClear(e *env, path string) error {
	if !isCharDevice(e.stdin) {
		return usageError(errors.New("clear deletes every capture: pass --yes (stdin is not a terminal to confirm on)"))
	}
	fmt.Fprintf(e.stderr, "Delete every capture in %s? [y/N] ", path)
	line, _ := bufio.NewReader(e.stdin).ReadString('\n')
	if a := strings.ToLower(strings.TrimSpace(line)); a != "y" && a != "yes" {
		return errors.New("clear cancelled")
	}
	return nil
}
