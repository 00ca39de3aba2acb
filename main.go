// Command hooktap is a terminal-first workbench for webhooks: a receiving gateway with signature
// verification, a byte-exact capture store, replay and craft, outgoing alerts, and an inspector.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/hooktap/hooktap/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Main(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
