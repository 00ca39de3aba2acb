package cli

import (
	"bytes"
	"fmt"
	"os"
	"slices"

	"github.com/spf13/cobra"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/config"
)

func newCapturesExportCmd(e *env) *cobra.Command {
	var format, out, baseURL string
	var reveal bool
	var rf remoteFlags
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
			return withCaptureReader(e, rf, reveal, func(cfg *config.Config, st capture.Reader, opts capture.JSONOptions) error {
				var cs []*capture.Capture
				for _, id := range args {
					c, err := findCapture(cmd, st, id)
					if err != nil {
						return err
					}
					cs = append(cs, c)
				}
				if baseURL == "" {
					baseURL = gatewayURL(cfg)
				}
				opts.WithBody = true
				data, err := exportCaptures(format, cs, baseURL, opts)
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
	f.BoolVar(&reveal, "reveal", false, "keep credentials (headers, query parameters) in clear")
	addRemoteFlags(cmd, &rf)
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
	return capture.ExportRaw(cs[0], opts), nil
}
