package cli

import (
	"encoding/json"
	"fmt"
	"runtime"
	"runtime/debug"

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
			info := versionInfo()
			if asJSON {
				return json.NewEncoder(e.stdout).Encode(info)
			}
			_, err := fmt.Fprintf(e.stdout, "hooktap %s (commit %s, %s)\n", info["version"], info["commit"], info["go"])
			return err
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func versionInfo() map[string]string {
	info := map[string]string{"version": version, "commit": "unknown", "go": runtime.Version()}
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" {
				info["commit"] = s.Value
			}
			if s.Key == "vcs.modified" && s.Value == "true" {
				info["commit"] += "+dirty"
			}
		}
		if version == "dev" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			info["version"] = bi.Main.Version
		}
	}
	return info
}
