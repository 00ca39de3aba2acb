package cli

import (
	"encoding/json"
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
)

// version is set at build time with -ldflags "-X github.com/hooktap/hooktap/cli.version=v1.2.3".
var version = "dev"

func newVersionCmd(e *env) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:     "version",
		Short:   "Print the version, commit and Go version",
		Example: "  hooktap version\n  hooktap version --json",
		Args:    cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			bi, _ := debug.ReadBuildInfo()
			info := versionInfo(bi)
			if asJSON {
				return json.NewEncoder(e.stdout).Encode(info)
			}
			_, err := fmt.Fprintln(e.stdout, versionLine(info))
			return err
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

// versionInfo reads what the Go toolchain stamped into the binary: the module version when it
// was installed with `go install …@version`, else the git revision, its commit time and whether
// the tree had uncommitted changes (vcs.revision, vcs.time, vcs.modified).
func versionInfo(bi *debug.BuildInfo) map[string]string {
	info := map[string]string{"version": version, "commit": "", "commit_time": "", "modified": "", "go": runtime.Version()}
	if bi == nil {
		return info
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			info["commit"] = s.Value
		case "vcs.time":
			info["commit_time"] = s.Value
		case "vcs.modified":
			info["modified"] = s.Value
		}
	}
	if version == "dev" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		info["version"] = bi.Main.Version
	}
	return info
}

// versionLine is the human form: "hooktap dev (commit 1a2b3c4d5e6f, 2026-12-01T01:40:00Z, with
// uncommitted changes; go1.26.0)".
func versionLine(info map[string]string) string {
	var parts []string
	if c := info["commit"]; c != "" {
		parts = append(parts, "commit "+c[:min(len(c), 12)])
	} else {
		parts = append(parts, "built without version control information")
	}
	if t := info["commit_time"]; t != "" {
		parts = append(parts, t)
	}
	if info["modified"] == "true" {
		parts = append(parts, "with uncommitted changes")
	}
	return fmt.Sprintf("hooktap %s (%s; %s)", info["version"], strings.Join(parts, ", "), info["go"])
}
