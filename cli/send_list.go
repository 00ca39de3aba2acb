package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/hooktap/hooktap/replay"
)

// printProviders is `hooktap send --list`: each provider, what it is, and its events wrapped
// under it.
func printProviders(w io.Writer, asJSON bool) error {
	ps := replay.Providers()
	if asJSON {
		return writeIndentedJSON(w, ps)
	}
	fmt.Fprintln(w, "Providers and events to send: hooktap send PROVIDER EVENT")
	for _, p := range ps {
		fmt.Fprintf(w, "\n%-10s %s\n", p.Name, p.Description)
		line := "          "
		for i, ev := range p.Events {
			if i > 0 && len(line)+len(ev)+2 > 100 {
				fmt.Fprintln(w, strings.TrimRight(line, " "))
				line = "          "
			}
			line += " " + ev
		}
		fmt.Fprintln(w, line)
	}
	return nil
}
