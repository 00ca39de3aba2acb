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
	if p.Scheme == "" {
		p.Scheme = signature.Detect(req.Header)
	}
	if p.Scheme == "" {
		return usageError(fmt.Errorf("cannot tell the scheme from these headers: pass --scheme (%s)", strings.Join(signature.Schemes(), ", ")))
	}
	if !signature.Known(p.Scheme) {
		return usageError(fmt.Errorf("unknown scheme %q; known: %s", p.Scheme, strings.Join(signature.Schemes(), ", ")))
	}
	if len(p.Secrets) == 0 && p.PublicKey == "" && p.Scheme != signature.SchemeNone {
		return usageError(fmt.Errorf("--secret is required for the %s scheme", p.Scheme))
	}
	o := signature.Verify(req, p)
	if o.Result == signature.Failed {
		o = signature.Diagnose(req, p, o)
	}
	if o.Diagnosis == nil {
		o.Diagnosis = []signature.Finding{}
	}
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
	return withCaptureStore(e, func(cfg *config.Config, st *capture.Store) error {
		c, err := findCapture(cmd, st, f.captureID)
		if err != nil {
			return err
		}
		if c.Truncated {
			fmt.Fprintf(e.stderr, "note: capture %s was cut at %d bytes; a signature over the full body cannot match\n", c.ID, len(c.Body))
		}
		req.Method, req.Body = c.Method, c.Body
		for _, h := range c.Headers {
			req.Header.Add(h.Name, h.Value)
		}
		if req.URL == "" {
			req.URL = gatewayURL(cfg) + c.Path
			if c.Query != "" {
				req.URL += "?" + c.Query
			}
		}
		all := withSubscriptionRoutes(e, cfg)
		route, ok := all.Route(c.Route)
		fillFromRoute(p, route, ok, cfg, c)
		p.Others = config.OtherRouteSecrets(all.Gateway.Routes, cfg.Gateway, c.Route)
		return nil
	})
}

// fillFromRoute completes unset parameters from the capture's route and its recorded outcome.
func fillFromRoute(p *signature.Params, route config.Route, ok bool, cfg *config.Config, c *capture.Capture) {
	if p.Scheme == "" && ok && route.Verify != "" {
		p.Scheme = route.Verify
	}
	if p.Scheme == "" && c.Verification.Scheme != "" && c.Verification.Scheme != signature.SchemeNone {
		p.Scheme = c.Verification.Scheme
	}
	if !ok {
		return
	}
	set := route.Effective(cfg.Gateway)
	if len(p.Secrets) == 0 {
		p.Secrets = set.Secrets
	}
	if p.Tolerance == 0 {
		p.Tolerance = set.Tolerance
	}
	if p.SignatureHeader == "" {
		p.SignatureHeader = route.SignatureHeader
	}
	if p.TimestampHeader == "" {
		p.TimestampHeader = route.TimestampHeader
	}
	if p.PublicKey == "" {
		p.PublicKey = route.PublicKey
	}
	if p.PublicURL == "" {
		p.PublicURL = route.PublicURL
	}
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
