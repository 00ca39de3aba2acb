// Package mcpserver exposes hooktap's workbench to coding agents through the Model Context
// Protocol: list and read captures, diagnose signatures, replay, craft provider events, list
// routes and preview alerts. The same server runs over stdio (`hooktap mcp`) and over streamable
// HTTP at /mcp on the admin listener. Every result is masked: no tool reveals a secret.
package mcpserver

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/config"
)

// Instance says what the server works against: a running hooktap or only its store.
type Instance struct {
	DataDir string
	// Running is true when a hooktap serves this data dir (this process, or one found through
	// runtime.json).
	Running bool
	// InProcess is true when the server is part of that running hooktap (/mcp on the admin API).
	InProcess bool
	PID       int
	// Gateway and Admin are the running instance's base URLs.
	Gateway, Admin string
}

// Deps is what the tools work on; the CLI fills it for stdio, the app for /mcp.
type Deps struct {
	Config *config.Config
	// Routes returns the effective routes, dynamic subscriptions included.
	Routes func() []config.Route
	// OpenStore returns the capture store for one call and the func that releases it. With
	// create, a store that does not exist yet is created (the sending tools record what they
	// send, as `send` and `audit` do); without, capture.ErrNoStore says there is none.
	OpenStore func(create bool) (capture.Store, func(), error)
	// Instance is asked on every call: a hooktap may start or stop while the server runs.
	Instance func() Instance
	// PublicURL returns the tunnel's or public_base_url's base URL, "" when local only.
	PublicURL func() string
	// Client sends replays and crafted events (nil: a 30 s timeout).
	Client  *http.Client
	Version string
	Logger  *slog.Logger
}

// server holds the dependencies the tool handlers share.
type server struct {
	d Deps
}

// New builds the MCP server with every tool registered.
func New(d Deps) *mcp.Server {
	if d.Client == nil {
		d.Client = &http.Client{Timeout: 30 * time.Second}
	}
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	if d.PublicURL == nil {
		d.PublicURL = func() string { return d.Config.Gateway.PublicBaseURL }
	}
	s := &server{d: d}
	srv := mcp.NewServer(&mcp.Implementation{Name: "hooktap", Title: "hooktap webhook workbench", Version: d.Version},
		&mcp.ServerOptions{Instructions: s.instructions(), Logger: warningsOnly(d.Logger), Capabilities: &mcp.ServerCapabilities{}})
	s.addCaptureTools(srv)
	s.addDiagnoseTool(srv)
	s.addSendTools(srv)
	s.addRouteTool(srv)
	s.addAlertTool(srv)
	s.addAuditTool(srv)
	srv.AddReceivingMiddleware(s.maskResults)
	return srv
}

// warningsOnly passes the SDK's warnings and errors on: its info lines (a session connected,
// initialized, ended) come with every stateless HTTP call and would drown the gateway's log.
func warningsOnly(l *slog.Logger) *slog.Logger {
	if l == nil {
		return slog.New(slog.DiscardHandler)
	}
	return slog.New(minLevel{Handler: l.Handler(), min: slog.LevelWarn})
}

type minLevel struct {
	slog.Handler
	min slog.Level
}

func (m minLevel) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= m.min && m.Handler.Enabled(ctx, l)
}

func (m minLevel) WithAttrs(attrs []slog.Attr) slog.Handler {
	return minLevel{Handler: m.Handler.WithAttrs(attrs), min: m.min}
}

func (m minLevel) WithGroup(name string) slog.Handler {
	return minLevel{Handler: m.Handler.WithGroup(name), min: m.min}
}

// instructions tell the agent what the server works against and what it will not do.
func (s *server) instructions() string {
	in := s.d.Instance()
	var b strings.Builder
	b.WriteString("hooktap is a local webhook workbench: every request its gateway receives is captured byte-exact with a signature verdict. ")
	switch {
	case in.InProcess:
		fmt.Fprintf(&b, "This server is part of the running hooktap (gateway %s): replay and send_event go through its gateway, which verifies and records them. ", in.Gateway)
	case in.Running:
		fmt.Fprintf(&b, "Working against the running hooktap of %s (pid %d, gateway %s): replay and send_event go through its gateway, which verifies and records them; the other tools read its capture store. ", in.DataDir, in.PID, in.Gateway)
	default:
		fmt.Fprintf(&b, "No hooktap is running for %s, so the read-only tools (list_captures, get_capture, diagnose, list_routes, preview_alert) read the capture store directly; replay and send_event can only send to an explicit `to` URL until `hooktap` or `hooktap serve` runs. ", in.DataDir)
	}
	b.WriteString("Ids: any id form hooktap shows (a prefix is enough). Secrets are masked in every result and cannot be revealed through this server. " +
		"replay, send_event and audit_endpoint send real HTTP requests; only http(s) targets are accepted.")
	return b.String()
}

// cfgWithRoutes is the configuration with the effective route list, so replays to dynamic
// routes can be re-signed and events crafted for them.
func (s *server) cfgWithRoutes() *config.Config {
	out := *s.d.Config
	out.Gateway.Routes = slices.Clone(s.routes())
	return &out
}

func (s *server) routes() []config.Route {
	if s.d.Routes != nil {
		return s.d.Routes()
	}
	return s.d.Config.Gateway.Routes
}

// withStore runs fn with the existing capture store open.
func (s *server) withStore(fn func(capture.Store) error) error {
	return s.withStoreOpened(false, fn)
}

// withStoreOpened runs fn with the capture store open, created first when create is set.
func (s *server) withStoreOpened(create bool, fn func(capture.Store) error) error {
	st, release, err := s.d.OpenStore(create)
	if err != nil {
		return err
	}
	defer release()
	return fn(st)
}

// Annotation presets: what each kind of tool does to the world.
var (
	readOnly = &mcp.ToolAnnotations{ReadOnlyHint: true, OpenWorldHint: new(false)}
	// sends is a tool that sends HTTP requests (possibly to any URL) and records new captures;
	// it changes nothing that exists, so it is not destructive.
	sends = &mcp.ToolAnnotations{ReadOnlyHint: false, DestructiveHint: new(false), OpenWorldHint: new(true)}
)

// summary is the short text result an agent can quote; the structured result carries the rest.
func summary(format string, args ...any) *mcp.CallToolResult {
	return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: fmt.Sprintf(format, args...)}}}
}
