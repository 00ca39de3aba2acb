package mcpserver

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/hooktap/hooktap/audit"
	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/config"
	"github.com/hooktap/hooktap/replay"
)

// maxAuditBurst bounds the burst check, as `hooktap audit --burst` does.
const maxAuditBurst = 500

type auditIn struct {
	URL           string `json:"url" jsonschema:"the http(s) endpoint to grade, e.g. http://127.0.0.1:3000/webhooks/stripe"`
	Provider      string `json:"provider" jsonschema:"the provider the endpoint receives from (as send_event's providers)"`
	Secret        string `json:"secret" jsonschema:"the endpoint's signing secret (discord: the Ed25519 private key seed)"`
	Event         string `json:"event,omitempty" jsonschema:"the event to send (default: a common one)"`
	SignedURL     string `json:"signed_url,omitempty" jsonschema:"twilio: the public URL Twilio signs, when it differs from url"`
	Timeout       string `json:"timeout,omitempty" jsonschema:"how long to wait for each answer, e.g. 10s (default: the provider's delivery timeout)"`
	Burst         int    `json:"burst,omitempty" jsonschema:"concurrent deliveries in the burst check (1-500, default 20)"`
	OversizeBytes int    `json:"oversize_bytes,omitempty" jsonschema:"body size of the oversized check (default 5 MiB)"`
}

type auditOut struct {
	*audit.Scorecard
}

func (s *server) addAuditTool(srv *mcp.Server) {
	mcp.AddTool(srv, &mcp.Tool{Name: "audit_endpoint", Title: "Audit a webhook endpoint", Annotations: sends,
		Description: "SENDS MANY HTTP REQUESTS to the endpoint: grades it as `hooktap audit` does with a battery of crafted deliveries — correctly signed, " +
			"tampered, unsigned, signed with another secret, re-serialised, stale, duplicated, oversized, a burst — and returns the scorecard: " +
			"each check's answer, what a failure means and how to fix it. Only audit endpoints you own."},
		s.auditEndpoint)
}

func (s *server) auditEndpoint(ctx context.Context, _ *mcp.CallToolRequest, in auditIn) (*mcp.CallToolResult, auditOut, error) {
	if err := replay.CheckURL(in.URL); err != nil {
		return nil, auditOut{}, err
	}
	o := audit.Options{URL: in.URL, Provider: in.Provider, Event: in.Event, Secret: in.Secret, SignedURL: in.SignedURL,
		Burst: in.Burst, OversizeBytes: in.OversizeBytes}
	if in.Burst < 0 || in.Burst > maxAuditBurst || in.OversizeBytes < 0 {
		return nil, auditOut{}, fmt.Errorf("burst must be between 1 and %d, oversize_bytes positive", maxAuditBurst)
	}
	if in.Timeout != "" {
		d, err := config.ParseDuration(in.Timeout)
		if err != nil || d <= 0 {
			return nil, auditOut{}, fmt.Errorf("timeout: invalid duration %q (use e.g. 10s)", in.Timeout)
		}
		o.Timeout = d.D()
	}
	out := auditOut{}
	// Every delivery is captured (source audit), as the CLI's audit does.
	err := s.withStoreOpened(true, func(st capture.Store) error {
		o.Sender = replay.NewReplayer(st, s.cfgWithRoutes(), s.d.Instance().Gateway, s.auditClient(o.Timeout))
		sc, err := audit.Run(ctx, o)
		out.Scorecard = sc
		return err
	})
	if err != nil {
		return nil, auditOut{}, err
	}
	var b strings.Builder
	_ = out.WriteText(&b)
	b.WriteString("every request is captured: list_captures with source audit shows them\n")
	return summary("%s", b.String()), out, nil
}

// auditClient bounds one delivery's exchange; the audit bounds each answer itself, so this only
// caps the client, as the CLI does.
func (s *server) auditClient(timeout time.Duration) *http.Client {
	if timeout <= 0 {
		timeout = time.Minute
	}
	return &http.Client{Timeout: timeout + 5*time.Second}
}
