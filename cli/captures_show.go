package cli

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/url"
	"os"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/alecthomas/chroma/v2/quick"
	"github.com/spf13/cobra"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/config"
	"github.com/hooktap/hooktap/signature"
)

func newCapturesShowCmd(e *env) *cobra.Command {
	var asJSON, raw, reveal bool
	var rf remoteFlags
	cmd := &cobra.Command{
		Use:   "show ID",
		Short: "Show one capture: summary, verdict, headers and body",
		Example: "  hooktap captures show 01jb3k\n" +
			"  hooktap captures show 01jb3k --raw > body.bin",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withCaptureReader(e, rf, reveal, func(_ *config.Config, st capture.Reader, opts capture.JSONOptions) error {
				c, err := findCapture(cmd, st, args[0])
				if err != nil {
					return err
				}
				opts.WithBody = true
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
	f.BoolVar(&reveal, "reveal", false, "show credentials (headers, query parameters) in clear")
	addRemoteFlags(cmd, &rf)
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
	c = opts.Shown(c)
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
		if d.NotAttempted() {
			fmt.Fprintf(bw, "delivery  %s: %s\n", d.Target, d.Error)
			continue
		}
		fmt.Fprintf(bw, "delivery  #%d %s → %d %s (%s)\n", d.Attempt, d.Target, d.Status, d.Error, d.Duration.Round(time.Millisecond))
	}
	if c.Rendered != "" {
		fmt.Fprintf(bw, "rendered  %s\n", strings.ReplaceAll(strings.TrimRight(c.Rendered, "\n"), "\n", "\n          "))
	}
	fmt.Fprintln(bw, "\nheaders")
	if len(c.Headers) == 0 {
		fmt.Fprintln(bw, "  (none)")
	}
	for _, h := range c.Headers {
		fmt.Fprintf(bw, "  %s: %s\n", h.Name, h.Value)
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
