package cli

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"text/tabwriter"

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
func withCaptureStore(e *env, fn func(*config.Config, capture.Store) error) error {
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
	return config.CredentialHeaders(cfg.Gateway.Routes)
}

// findCapture resolves an id or unique prefix with messages a user can act on.
func findCapture(cmd *cobra.Command, st capture.Reader, id string) (*capture.Capture, error) {
	return capture.Find(cmd.Context(), st, id)
}

func writeIndentedJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func newCapturesListCmd(e *env) *cobra.Command {
	var asJSON, reveal bool
	var rf remoteFlags
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List captures, newest first",
		Example: "  hooktap captures list --limit 20\n" +
			"  hooktap captures list --event push --status 4xx --json\n" +
			"  hooktap captures list --q 'content-type: application/json'\n" +
			"  hooktap captures list --remote http://127.0.0.1:8645   # a server's, through ssh -L",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			q := url.Values{}
			for _, name := range []string{"route", "event", "method", "verified", "status", "source", "q", "limit", "before"} {
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
			return withCaptureReader(e, rf, reveal, func(_ *config.Config, st capture.Reader, shown capture.JSONOptions) error {
				page, err := st.List(cmd.Context(), filter)
				if err != nil {
					return err
				}
				if asJSON {
					return printCaptureListJSON(e.stdout, page, shown)
				}
				return printCaptureTable(e.stdout, page)
			})
		},
	}
	f := cmd.Flags()
	f.String("route", "", "only this route")
	f.String("event", "", "only this event type")
	f.String("method", "", "only this HTTP method")
	f.String("verified", "", "true: verified only; false: failed verification only")
	f.String("status", "", "only this response status, or a class such as 4xx")
	f.String("source", "", "only captures that came this way: local, tunnel, replay, craft or audit")
	f.String("q", "", "text to find in path, query, headers or body")
	f.String("limit", "50", "how many (1–1000)")
	f.String("before", "", "page: captures older than this id")
	f.BoolVar(&asJSON, "json", false, "print JSON")
	f.BoolVar(&reveal, "reveal", false, "show credential header values in --json output")
	addRemoteFlags(cmd, &rf)
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
	n := idEndLen(page.Captures)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "TIME\tID\tMETHOD\tROUTE\tEVENT\tVERDICT\tSTATUS\tSIZE")
	for _, c := range page.Captures {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%d\t%s\n", c.ReceivedAt.Local().Format("2006-01-02 15:04:05"),
			c.ID[max(len(c.ID)-n, 0):], c.Method, dashIfEmpty(c.Route), dashIfEmpty(c.Event), verdictMark(c.Verification.Result),
			c.Status, sizeLabel(int64(c.BodySize), c.Truncated))
	}
	if page.Next != "" {
		fmt.Fprintf(tw, "\nmore: --before %s\n", page.Next)
	}
	return tw.Flush()
}

// idEndLen is how much of each id's end the table shows: the short form the TUI shows, longer
// only when two listed ids end alike. Every command takes that end back.
func idEndLen(cs []*capture.Capture) int {
	for n := len(capture.ShortID("01234567890123456789012345")); n < 26; n++ {
		seen := make(map[string]bool, len(cs))
		unique := true
		for _, c := range cs {
			e := c.ID[max(len(c.ID)-n, 0):]
			if seen[e] {
				unique = false
				break
			}
			seen[e] = true
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
			return withCaptureStore(e, func(_ *config.Config, st capture.Store) error {
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
			return withCaptureStore(e, func(_ *config.Config, st capture.Store) error {
				if !yes {
					if err := confirmClear(e, st.Location()); err != nil {
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
