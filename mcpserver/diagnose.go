package mcpserver

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/config"
	"github.com/hooktap/hooktap/mask"
	"github.com/hooktap/hooktap/signature"
)

// diagnoseIn is either a capture id or the raw inputs `hooktap verify` takes.
type diagnoseIn struct {
	ID              string            `json:"id,omitempty" jsonschema:"a capture to check again with its route's current secrets; or give headers and body instead"`
	Scheme          string            `json:"scheme,omitempty" jsonschema:"signature scheme (github, stripe, slack, standard, ...); default: the route's, or detected from the headers"`
	Secrets         []string          `json:"secrets,omitempty" jsonschema:"secrets to try (rotation: several); default for a capture: its route's"`
	Headers         map[string]string `json:"headers,omitempty" jsonschema:"request headers by name (raw inputs); for a capture they are added to its own"`
	Body            string            `json:"body,omitempty" jsonschema:"the raw request body, exactly as sent (raw inputs)"`
	BodyBase64      string            `json:"body_base64,omitempty" jsonschema:"the raw body as base64, for bodies that are not text"`
	URL             string            `json:"url,omitempty" jsonschema:"the URL the provider called (twilio signs it)"`
	Method          string            `json:"method,omitempty" jsonschema:"request method (default POST)"`
	SignatureHeader string            `json:"signature_header,omitempty" jsonschema:"signature header name (hmac, timestamped, header schemes)"`
	TimestampHeader string            `json:"timestamp_header,omitempty" jsonschema:"timestamp header name (timestamped scheme)"`
	PublicKey       string            `json:"public_key,omitempty" jsonschema:"hex Ed25519 public key (discord)"`
	Tolerance       string            `json:"tolerance,omitempty" jsonschema:"allowed timestamp skew, e.g. 5m (default: the route's, or 5m)"`
}

// diagnoseOut is the verification outcome with the doctor's findings.
type diagnoseOut struct {
	CaptureID string `json:"capture_id,omitempty"`
	Route     string `json:"route,omitempty"`
	// Outcome is the check made now; for a capture, timestamps are judged at its receive time.
	Outcome signature.Outcome `json:"outcome"`
	// Recorded is the verdict the gateway stored when the capture arrived.
	Recorded *signature.Outcome `json:"recorded,omitempty" jsonschema:"for a capture: the verdict stored when it arrived"`
}

func (s *server) addDiagnoseTool(srv *mcp.Server) {
	mcp.AddTool(srv, &mcp.Tool{Name: "diagnose", Title: "Explain a signature verdict", Annotations: readOnly,
		Description: "Checks a webhook signature the way the gateway does and, when it fails, runs the signature doctor, which says which usual " +
			"culprit explains it: a re-serialised body, a trailing newline, the wrong secret (or another route's), the wrong algorithm, a stale timestamp. " +
			"Give a capture id, or raw inputs as `hooktap verify` takes them (scheme, secrets, headers, body). Read-only; secrets are never echoed."},
		s.diagnose)
}

func (s *server) diagnose(ctx context.Context, _ *mcp.CallToolRequest, in diagnoseIn) (*mcp.CallToolResult, diagnoseOut, error) {
	req, p, err := in.request()
	if err != nil {
		return nil, diagnoseOut{}, err
	}
	var out diagnoseOut
	if in.ID != "" {
		if err := s.fromCapture(ctx, in, &req, &p, &out); err != nil {
			return nil, diagnoseOut{}, err
		}
	} else if in.Body == "" && in.BodyBase64 == "" {
		return nil, diagnoseOut{}, errors.New("give a capture id, or the raw request: headers and body (or body_base64)")
	}
	for k, v := range in.Headers {
		req.Header.Set(k, v)
	}
	if err := signature.PrepareCheck(req, &p, func(name string) string { return name }); err != nil {
		return nil, diagnoseOut{}, err
	}
	o := signature.Check(req, p)
	if o.Scheme == signature.SchemeTwilio { // Twilio signs the URL, whose query may hold a credential
		o.SignedString = mask.URL(o.SignedString)
	}
	out.Outcome = o
	return summary("%s", outcomeText(o.Scheme, string(o.Result), string(o.Reason), o.Detail, o.Diagnosis)), out, nil
}

// request builds the request and parameters from the raw inputs.
func (in diagnoseIn) request() (signature.Request, signature.Params, error) {
	p := signature.Params{Scheme: in.Scheme, SignatureHeader: in.SignatureHeader, TimestampHeader: in.TimestampHeader,
		PublicKey: in.PublicKey, PublicURL: in.URL}
	for i, v := range in.Secrets {
		p.Secrets = append(p.Secrets, signature.Secret{Label: "secret#" + strconv.Itoa(i+1), Value: v})
	}
	if in.Tolerance != "" {
		d, err := config.ParseDuration(in.Tolerance)
		if err != nil || d <= 0 {
			return signature.Request{}, p, fmt.Errorf("tolerance: invalid duration %q (use e.g. 30s, 5m)", in.Tolerance)
		}
		p.Tolerance = d.D()
	}
	method := in.Method
	if method == "" {
		method = http.MethodPost
	}
	req := signature.Request{Method: method, URL: in.URL, Header: http.Header{}, Body: []byte(in.Body)}
	if in.BodyBase64 != "" {
		if in.Body != "" {
			return req, p, errors.New("give body or body_base64, not both")
		}
		b, err := base64.StdEncoding.DecodeString(in.BodyBase64)
		if err != nil {
			return req, p, fmt.Errorf("body_base64: %w", err)
		}
		req.Body = b
	}
	return req, p, nil
}

// fromCapture loads the stored request; unset parameters come from its route.
func (s *server) fromCapture(ctx context.Context, in diagnoseIn, req *signature.Request, p *signature.Params, out *diagnoseOut) error {
	if in.Body != "" || in.BodyBase64 != "" {
		return errors.New("give a capture id or a body, not both")
	}
	return s.withStore(func(st capture.Store) error {
		c, err := capture.Find(ctx, st, in.ID)
		if err != nil {
			return err
		}
		base := s.gatewayBase()
		*req = c.SignatureRequest(base)
		if in.URL != "" {
			req.URL = in.URL
		}
		if in.Method != "" {
			req.Method = in.Method
		}
		// Timestamps are judged at the moment the gateway received the request, not now.
		p.Now = func() time.Time { return c.ReceivedAt }
		config.CompleteVerifyParams(p, s.routes(), s.d.Config.Gateway, c.Route, c.Verification.Scheme)
		recorded := c.Masked(config.CredentialHeaders(s.routes())).Verification
		out.CaptureID, out.Route, out.Recorded = c.ID, c.Route, &recorded
		return nil
	})
}

// gatewayBase is the base URL the gateway is reached at: the running one's, else the configured.
func (s *server) gatewayBase() string {
	if in := s.d.Instance(); in.Gateway != "" {
		return in.Gateway
	}
	return "http://" + s.d.Config.ListenAddr()
}

// outcomeText is a verdict and the doctor's findings in a few lines.
func outcomeText(scheme, result, reason, detail string, findings []signature.Finding) string {
	var b strings.Builder
	fmt.Fprintf(&b, "signature %s", verdictText(result, reason))
	if scheme != "" {
		fmt.Fprintf(&b, " [%s]", scheme)
	}
	if detail != "" {
		fmt.Fprintf(&b, ": %s", detail)
	}
	b.WriteString("\n")
	for _, f := range findings {
		fmt.Fprintf(&b, "doctor: %s — %s\n", f.Code, f.Message)
	}
	if result == string(signature.Failed) && len(findings) == 0 {
		b.WriteString("doctor: no usual culprit explains it; check that the secret is the one the provider shows for this endpoint\n")
	}
	return b.String()
}
