package cli

import (
	"context"
	"strings"

	"github.com/spf13/cobra"
)

// addCommandGroups adds every subcommand group beyond serve and version.
func addCommandGroups(root *cobra.Command, e *env) {
	root.AddCommand(
		newCapturesCmd(e),
		newReplayCmd(e),
		newSendCmd(e),
		newAuditCmd(e),
		newVerifyCmd(e),
		newNotifyCmd(e),
		newWebhookCmd(e),
		newDeliveriesCmd(e),
		newAttachCmd(e),
		newMCPCmd(e),
		newConfigCmd(e),
	)
}

// runMain is `hooktap` with no subcommand.
func runMain(ctx context.Context, e *env) error {
	return runTUI(ctx, e)
}

func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}
