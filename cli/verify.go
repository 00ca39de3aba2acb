package cli

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/config"
	"github.com/hooktap/hooktap/signature"
)

// verifyFlags are `hooktap verify`'s options.
type verifyFlags struct {
	scheme, bodyFile, captureID, url, method string
	secrets, headers                         []string
	sigHeader, tsHeader, publicKey           string
	tolerance                                time.Duration
	asJSON                                   bool
}

func newVerifyCmd(e *env) *cobra.Command {
	var f verifyFlags
	cmd := &cobra.Command{
		Use:   "verify",
		Short: "Check a webhook signature offline and explain a failure (the signature doctor)",
		Long: "Verifies a request's signature the way the gateway does and, when it fails, says which usual\n" +
			"culprit explains it: a re-serialised body, a trailing newline, the wrong secret or algorithm, a\n" +
			"stale timestamp… Exit status 0 when it verifies, 1 when it does not.",
		Example: "  hooktap verify --scheme github --secret \"$SECRET\" \\\n" +
			"      --header 'X-Hub-Signature-256: sha256=757107ea…' --body payload.json\n" +
			"  curl … | hooktap verify --scheme stripe --secret whsec_… --header 'Stripe-Signature: t=…,v1=…' --body -\n" +
			"  hooktap verify --capture 01jb3k --secret new-secret --json",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runVerify(cmd, e, f) },
	}
	fl := cmd.Flags()
	fl.StringVar(&f.scheme, "scheme", "", "signature scheme (default: detected from the headers): "+strings.Join(signature.Schemes(), ", "))
	fl.StringArrayVar(&f.secrets, "secret", nil, "secret to try; repeat for several (rotation)")
	fl.StringArrayVar(&f.headers, "header", nil, "request header 'Name: value'; repeatable")
	fl.StringVar(&f.bodyFile, "body", "", "file holding the raw body (- for stdin)")
	fl.StringVar(&f.captureID, "capture", "", "re-check a stored capture (its headers and body)")
	fl.StringVar(&f.url, "url", "", "the URL the provider called (twilio signs it)")
	fl.StringVar(&f.method, "method", http.MethodPost, "request method")
	fl.StringVar(&f.sigHeader, "signature-header", "", "signature header name (hmac, timestamped, header schemes)")
	fl.StringVar(&f.tsHeader, "timestamp-header", "", "timestamp header name (timestamped scheme)")
	fl.StringVar(&f.publicKey, "public-key", "", "hex Ed25519 public key (discord)")
	fl.DurationVar(&f.tolerance, "tolerance", 0, "allowed timestamp skew (default 5m)")
	fl.BoolVar(&f.asJSON, "json", false, `print {"scheme","result","reason","detail","diagnosis"} as JSON`)
	return cmd
}

func runVerify(cmd *cobra.Command, e *env, f verifyFlags) error {
	req, p, err := f.request(cmd, e)
	if err != nil {
		return err
	}
	if err := signature.PrepareCheck(req, &p, func(name string) string { return "--" + name }); err != nil {
		return usageError(err)
	}
	o := signature.Check(req, p)
	if f.asJSON {
		if err := writeIndentedJSON(e.stdout, o); err != nil {
			return err
		}
	} else {
		printOutcome(e.stdout, o)
	}
	if o.Result != signature.Verified {
		return silentFailure
	}
	return nil
}

// request builds what to verify from a capture or from --header/--body, and the parameters.
func (f verifyFlags) request(cmd *cobra.Command, e *env) (signature.Request, signature.Params, error) {
	p := signature.Params{Scheme: f.scheme, Tolerance: f.tolerance, SignatureHeader: f.sigHeader,
		TimestampHeader: f.tsHeader, PublicKey: f.publicKey, PublicURL: f.url}
	for i, s := range f.secrets {
		p.Secrets = append(p.Secrets, signature.Secret{Label: "--secret#" + strconv.Itoa(i+1), Value: s})
	}
	req := signature.Request{Method: f.method, URL: f.url, Header: http.Header{}}
	if f.captureID != "" {
		if err := f.fromCapture(cmd, e, &req, &p); err != nil {
			return req, p, err
		}
	} else if f.bodyFile == "" {
		return req, p, usageError(fmt.Errorf("--body FILE (or - for stdin) is required, or --capture ID"))
	}
	for _, h := range f.headers {
		name, value, ok := strings.Cut(h, ":")
		if !ok || strings.TrimSpace(name) == "" {
			return req, p, usageError(fmt.Errorf("--header %q: want 'Name: value'", h))
		}
		req.Header.Set(strings.TrimSpace(name), strings.TrimLeft(value, " \t"))
	}
	if f.bodyFile != "" {
		body, err := readBodyArg(e, f.bodyFile)
		if err != nil {
			return req, p, err
		}
		req.Body = body
	}
	return req, p, nil
}

func readBodyArg(e *env, name string) ([]byte, error) {
	var body []byte
	var err error
	if name == "-" {
		body, err = io.ReadAll(e.stdin)
	} else {
		body, err = os.ReadFile(name)
	}
	if err != nil {
		return nil, fmt.Errorf("read --body %s: %w", name, err)
	}
	return body, nil
}

// fromCapture loads a stored request; without --secret the route's current secrets are tried.
func (f verifyFlags) fromCapture(cmd *cobra.Command, e *env, req *signature.Request, p *signature.Params) error {
	return withCaptureStore(e, func(cfg *config.Config, st capture.Store) error {
		c, err := findCapture(cmd, st, f.captureID)
		if err != nil {
			return err
		}
		if c.Truncated {
			fmt.Fprintf(e.stderr, "note: capture %s was cut at %d bytes; a signature over the full body cannot match\n", c.ID, len(c.Body))
		}
		url := req.URL
		*req = c.SignatureRequest(gatewayURL(cfg))
		if url != "" {
			req.URL = url
		}
		// Timestamps are judged at the moment the gateway received the request, not now.
		if p.Now == nil {
			p.Now = func() time.Time { return c.ReceivedAt }
		}
		all := withSubscriptionRoutes(e, cfg)
		config.CompleteVerifyParams(p, all.Gateway.Routes, cfg.Gateway, c.Route, c.Verification.Scheme)
		return nil
	})
}

// printOutcome is the human form of a verification.
func printOutcome(w io.Writer, o signature.Outcome) {
	printVerdict(w, o)
	if o.Result != signature.Failed {
		return
	}
	if o.SignedString != "" {
		fmt.Fprintf(w, "  signed:   %q\n", o.SignedString)
	}
	if o.Expected != "" || o.Received != "" {
		fmt.Fprintf(w, "  expected: %s\n  received: %s\n", dashIfEmpty(o.Expected), dashIfEmpty(o.Received))
	}
	if len(o.Diagnosis) == 0 {
		fmt.Fprintln(w, "  doctor: no usual culprit explains it; check that the secret is the one the provider shows for this endpoint")
	}
}
