package mcpserver

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/hooktap/hooktap/admin"
	"github.com/hooktap/hooktap/capture"
)

// routeOut is a route as the admin API describes it, with its capture counts.
type routeOut struct {
	admin.RouteJSON
	Captures int `json:"captures" jsonschema:"captures recorded for this route"`
	Failed   int `json:"failed" jsonschema:"of which failed signature verification"`
}

type listRoutesOut struct {
	Routes    []routeOut `json:"routes"`
	LocalURL  string     `json:"local_url" jsonschema:"the gateway's local base URL"`
	PublicURL string     `json:"public_url,omitempty" jsonschema:"the tunnel's (or public_base_url's) base URL; empty when local only"`
	Running   bool       `json:"running" jsonschema:"whether a hooktap gateway is running for this data dir"`
}

func (s *server) addRouteTool(srv *mcp.Server) {
	mcp.AddTool(srv, &mcp.Tool{Name: "list_routes", Title: "List gateway routes", Annotations: readOnly,
		Description: "Lists the gateway's routes (config file and dynamic subscriptions) with their signature scheme, security, limits, " +
			"local and public URL, and how many captures each has (and how many failed verification). Secrets are never listed. Read-only."},
		s.listRoutes)
}

func (s *server) listRoutes(ctx context.Context, _ *mcp.CallToolRequest, _ struct{}) (*mcp.CallToolResult, listRoutesOut, error) {
	in := s.d.Instance()
	local := strings.TrimRight(s.gatewayBase(), "/")
	public := strings.TrimRight(s.d.PublicURL(), "/")
	out := listRoutesOut{Routes: []routeOut{}, LocalURL: local, PublicURL: public, Running: in.Running}
	counts, err := s.routeCounts(ctx)
	if err != nil {
		return nil, listRoutesOut{}, err
	}
	for _, rt := range s.routes() {
		r := routeOut{RouteJSON: admin.DescribeRoute(rt, rt.Effective(s.d.Config.Gateway), local, public)}
		r.Captures, r.Failed = counts(rt.Name)
		out.Routes = append(out.Routes, r)
	}
	return summary("%s", routesText(out)), out, nil
}

// routeCounts returns a lookup of capture counts per route; with no store yet, every count is 0.
func (s *server) routeCounts(ctx context.Context) (func(string) (int, int), error) {
	total, failed := map[string]int{}, map[string]int{}
	lookup := func(n string) (int, int) { return total[n], failed[n] }
	st, release, err := s.d.OpenStore(false)
	if errors.Is(err, capture.ErrNoStore) {
		return lookup, nil // nothing captured yet
	}
	if err != nil {
		return nil, err
	}
	defer release()
	for _, rt := range s.routes() {
		n := rt.Name
		var err error
		if total[n], err = st.Count(ctx, capture.Filter{Route: n}); err != nil {
			return nil, err
		}
		if failed[n], err = st.Count(ctx, capture.Filter{Route: n, Verified: new(false)}); err != nil {
			return nil, err
		}
	}
	return lookup, nil
}

func routesText(out listRoutesOut) string {
	var b strings.Builder
	where := "local only"
	if out.PublicURL != "" {
		where = "public " + out.PublicURL
	}
	state := "not running"
	if out.Running {
		state = "running"
	}
	fmt.Fprintf(&b, "gateway %s (%s), %s; %d %s:\n", out.LocalURL, state, where, len(out.Routes), plural(len(out.Routes), "route"))
	for _, r := range out.Routes {
		fmt.Fprintf(&b, "%s: verify %s (%s), %d %s, %d failed, %s\n", r.Name, r.Verify, r.Security, r.Captures,
			plural(r.Captures, "capture"), r.Failed, r.LocalURL)
	}
	return b.String()
}
