package cli

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/spf13/cobra"

	"github.com/hooktap/hooktap/audit"
	"github.com/hooktap/hooktap/replay"
	"github.com/hooktap/hooktap/signature"
)

// auditFlags are `hooktap audit`'s options.
type auditFlags struct {
	provider, secret, event, signedURL string
	timeout                            time.Duration
	burst, oversize                    int
	asJSON                             bool
}

func newAuditCmd(e *env) *cobra.Command {
	var f auditFlags
	cmd := &cobra.Command{
		Use:   "audit URL",
		Short: "Grade a webhook endpoint: signature checks, duplicates, limits, speed",
		Long: "Sends a battery of crafted PROVIDER deliveries to your endpoint — correctly signed, tampered, unsigned,\n" +
			"signed with another secret, signed over re-serialised JSON, stale, duplicated, oversized, a burst — and\n" +
			"prints a scorecard: what each answer means and how to fix it. Exit 0 when every required check\n" +
			"passes, 1 otherwise. Every request is captured with source `audit`.",
		Example: "  hooktap audit http://127.0.0.1:3000/webhooks/stripe --provider stripe --secret whsec_…\n" +
			"  hooktap audit http://127.0.0.1:3000/github --provider github --secret \"$GITHUB_WEBHOOK_SECRET\" --event pull_request\n" +
			"  hooktap audit https://staging.example.com/hooks --provider standard --secret whsec_… --json",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return runAudit(cmd, e, args[0], f) },
	}
	fl := cmd.Flags()
	fl.StringVar(&f.provider, "provider", "", "the provider the endpoint receives from (see `hooktap send --list`)")
	fl.StringVar(&f.secret, "secret", "", "the endpoint's signing secret (discord: the Ed25519 private key seed)")
	fl.StringVar(&f.event, "event", "", "the event to send (default: a common one)")
	fl.StringVar(&f.signedURL, "signed-url", "", "twilio: the public URL Twilio signs, when it differs from URL")
	fl.DurationVar(&f.timeout, "timeout", 0, "how long to wait for each answer (default: the provider's delivery timeout)")
	fl.IntVar(&f.burst, "burst", audit.DefaultBurst, "concurrent deliveries in the burst check")
	fl.IntVar(&f.oversize, "oversize-bytes", audit.DefaultOversizeBytes, "body size of the oversized check")
	fl.BoolVar(&f.asJSON, "json", false, "print the scorecard as JSON")
	return cmd
}

func runAudit(cmd *cobra.Command, e *env, target string, f auditFlags) error {
	if err := f.check(target); err != nil {
		return usageError(err)
	}
	cfg, err := e.config()
	if err != nil {
		return err
	}
	st, err := openCreatingStore(cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	timeout := f.timeout
	if timeout <= 0 {
		timeout = time.Minute // the audit bounds each delivery itself; this only caps the client
	}
	rp := replay.NewReplayer(st, cfg, gatewayURL(cfg), &http.Client{Timeout: timeout + 5*time.Second})
	o := audit.Options{URL: target, Provider: f.provider, Event: f.event, Secret: f.secret, SignedURL: f.signedURL,
		Timeout: f.timeout, Burst: f.burst, OversizeBytes: f.oversize, Sender: rp}
	if !f.asJSON {
		fmt.Fprintf(e.stderr, "auditing %s as %s would deliver…\n", target, f.provider)
	}
	sc, err := audit.Run(cmd.Context(), o)
	if errors.Is(err, audit.ErrBadOptions) {
		return usageError(err)
	}
	if err != nil {
		return err
	}
	if f.asJSON {
		err = writeIndentedJSON(e.stdout, sc)
	} else {
		err = sc.WriteText(e.stdout)
		fmt.Fprintln(e.stdout, "every request is captured: hooktap captures list --source audit")
	}
	if err != nil {
		return err
	}
	if !sc.Passed {
		return silentFailure
	}
	return nil
}

func (f auditFlags) check(target string) error {
	if u, err := url.Parse(target); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%q is not an http(s) URL, e.g. http://127.0.0.1:3000/webhooks/stripe", target)
	}
	switch {
	case f.provider == "":
		return errors.New("say which provider the endpoint receives from: --provider stripe (see `hooktap send --list`)")
	case f.secret == "" && f.provider == signature.SchemeDiscord:
		seed, pub := signature.NewDiscordKeyPair()
		return fmt.Errorf("a Discord endpoint verifies with a public key whose private key hooktap must sign with.\n"+
			"Configure your endpoint with this public key:\n  %s\nthen run the audit again with --secret %s", pub, seed)
	case f.secret == "":
		return fmt.Errorf("pass the endpoint's signing secret: --secret (hooktap signs each delivery as %s does)", f.provider)
	case f.burst < 1 || f.burst > 500:
		return errors.New("--burst must be between 1 and 500")
	case f.oversize < 1:
		return errors.New("--oversize-bytes must be positive")
	}
	return nil
}
