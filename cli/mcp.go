package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/spf13/cobra"

	"github.com/hooktap/hooktap/app"
	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/config"
	"github.com/hooktap/hooktap/mcpserver"
)

func newMCPCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "mcp",
		Short: "Serve hooktap's tools to coding agents over the Model Context Protocol (stdio)",
		Long: "Speaks MCP on stdin/stdout: list_captures, get_capture, diagnose, replay, send_event, list_routes and\n" +
			"preview_alert. It works against the hooktap running for the data dir (found through runtime.json) and,\n" +
			"when none runs, reads the capture store directly. Secrets are masked in every result. A running hooktap\n" +
			"also serves the same tools over streamable HTTP at /mcp on its admin listener.",
		Example: "  # an MCP client's configuration:\n" +
			`  {"mcpServers": {"hooktap": {"command": "hooktap", "args": ["mcp"]}}}`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runMCP(cmd.Context(), e) },
	}
}

func runMCP(ctx context.Context, e *env) error {
	cfg, err := e.config()
	if err != nil {
		return err
	}
	// stdout is the protocol's; one line on stderr tells a person reading the client's server log
	// what this server found.
	if in := runningInstance(cfg); in.Running {
		fmt.Fprintf(e.stderr, "hooktap mcp: on stdio, working against the hooktap running for %s (pid %d)\n", cfg.DataDir, in.PID)
	} else {
		fmt.Fprintf(e.stderr, "hooktap mcp: on stdio; no hooktap is running for %s, so the tools read its store\n", cfg.DataDir)
	}
	srv := mcpserver.New(mcpserver.Deps{
		Config:    cfg,
		Routes:    func() []config.Route { return withSubscriptionRoutes(e, cfg).Gateway.Routes },
		OpenStore: func(create bool) (capture.Store, func(), error) { return openStoreForCall(cfg, create) },
		Instance:  func() mcpserver.Instance { return runningInstance(cfg) },
		PublicURL: func() string { return runningPublicURL(ctx, cfg) },
		Version:   version,
	})
	err = srv.Run(ctx, &mcp.IOTransport{Reader: readCloser(e.stdin), Writer: writeCloser(e.stdout)})
	if ctx.Err() != nil || err == nil {
		return nil // interrupted: a normal way for a client to stop its server
	}
	return fmt.Errorf("MCP on stdio: %w (the client must speak newline-delimited JSON-RPC)", err)
}

// openStoreForCall opens the store for one tool call: a hooktap started after the server
// creates it, so it is looked for each time.
func openStoreForCall(cfg *config.Config, create bool) (capture.Store, func(), error) {
	open := openExistingStore
	if create {
		open = openCreatingStore
	}
	st, err := open(cfg)
	if err != nil {
		return nil, nil, err
	}
	return st, func() { _ = st.Close() }, nil
}

// runningInstance is the hooktap recorded in the data dir's runtime.json, if it is alive.
func runningInstance(cfg *config.Config) mcpserver.Instance {
	in := mcpserver.Instance{DataDir: cfg.DataDir}
	rt, ok := app.ReadRuntime(cfg.DataDir)
	if !ok {
		return in
	}
	in.Running, in.PID = true, rt.PID
	if rt.Gateway != "" {
		in.Gateway = config.LocalBaseURL(rt.Gateway)
	}
	in.Admin = config.LocalBaseURL(rt.Admin)
	return in
}

// runningPublicURL asks the running hooktap's admin API for its public URL (the tunnel's is only
// known there); without one, public_base_url.
func runningPublicURL(ctx context.Context, cfg *config.Config) string {
	in := runningInstance(cfg)
	if !in.Running {
		return cfg.Gateway.PublicBaseURL
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, in.Admin+"/api/v1/routes", nil)
	if err != nil {
		return cfg.Gateway.PublicBaseURL
	}
	if cfg.Admin.Token != "" {
		req.Header.Set("Authorization", "Bearer "+cfg.Admin.Token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return cfg.Gateway.PublicBaseURL
	}
	defer resp.Body.Close()
	var body struct {
		PublicURL *string `json:"public_url"`
	}
	if resp.StatusCode != http.StatusOK || json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&body) != nil || body.PublicURL == nil {
		return cfg.Gateway.PublicBaseURL
	}
	return *body.PublicURL
}

func readCloser(r io.Reader) io.ReadCloser {
	if rc, ok := r.(io.ReadCloser); ok {
		return rc
	}
	return io.NopCloser(r)
}

// writeCloser keeps the process's stdout open when the session ends: closing it is not the
// server's business.
func writeCloser(w io.Writer) io.WriteCloser { return nopWriteCloser{w} }

type nopWriteCloser struct{ io.Writer }

func (nopWriteCloser) Close() error { return nil }
