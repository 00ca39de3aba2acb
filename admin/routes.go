package admin

import (
	"context"
	"net/http"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/config"
)

// RouteJSON is one route as the admin API (GET /api/v1/routes) and the MCP list_routes tool show
// it: its effective settings and where to call it.
// Secrets are never included, only how many there are; delivery targets are left out because
// chat webhook URLs are credentials themselves.
type RouteJSON struct {
	Name        string   `json:"name"`
	Description string   `json:"description,omitempty"`
	Events      []string `json:"events"`
	Verify      string   `json:"verify"`
	// PinnedBy is the capture whose verified scheme a route without verify: was pinned to.
	PinnedBy        string   `json:"pinned_by,omitempty"`
	Security        string   `json:"security"`
	SecretCount     int      `json:"secret_count"`
	SignatureHeader string   `json:"signature_header,omitempty"`
	RateLimit       int      `json:"rate_limit"`
	MaxBodyBytes    int64    `json:"max_body_bytes"`
	IdempotencyTTL  string   `json:"idempotency_ttl"`
	Tolerance       string   `json:"tolerance"`
	AllowedIPs      []string `json:"allowed_ips"`
	Deliver         string   `json:"deliver"`
	DeliverOnly     bool     `json:"deliver_only"`
	LocalURL        string   `json:"local_url"`
	PublicURL       *string  `json:"public_url"`
}

// listRoutes answers GET /api/v1/routes with the effective routes in declaration order.
func (s *Server) listRoutes(w http.ResponseWriter, _ *http.Request) {
	g := s.deps.Config.Gateway
	local := config.LocalBaseURL(s.gatewayAddr())
	public := s.publicURL()
	routes := s.routeList()
	pins := s.routePins()
	out := make([]RouteJSON, 0, len(routes))
	for _, rt := range routes {
		j := DescribeRoute(rt, rt.Effective(g), local, public)
		if pin, ok := pins[rt.Name]; ok && rt.Verify == "" {
			j.Verify, j.PinnedBy = pin.Scheme, pin.CaptureID
		}
		out = append(out, j)
	}
	writeJSON(w, http.StatusOK, map[string]any{"routes": out, "local_url": local, "public_url": nullable(public)})
}

// DescribeRoute is rt's public description; local and public are the gateway's base URLs
// (public is "" when local only).
func DescribeRoute(rt config.Route, eff config.RouteSettings, local, public string) RouteJSON {
	j := RouteJSON{
		Name: rt.Name, Description: rt.Description, Events: nonNil(rt.Events),
		Verify: rt.Verify, SecretCount: len(eff.Secrets), SignatureHeader: rt.SignatureHeader,
		RateLimit: eff.RateLimit, MaxBodyBytes: eff.MaxBodyBytes,
		IdempotencyTTL: config.Duration(eff.IdempotencyTTL).String(), Tolerance: config.Duration(eff.Tolerance).String(),
		AllowedIPs: nonNil(rt.AllowedIPs), Deliver: rt.Deliver, DeliverOnly: rt.DeliverOnly,
		LocalURL: config.RouteURL(local, rt.Name),
	}
	if j.Verify == "" {
		j.Verify = "auto"
	}
	if j.Deliver == "" {
		j.Deliver = "log"
	}
	switch {
	case eff.Insecure:
		j.Security = "insecure"
	case eff.NoSecret:
		j.Security = "none"
	default:
		j.Security = "secret"
	}
	if public != "" {
		p := config.RouteURL(public, rt.Name)
		j.PublicURL = &p
	}
	return j
}

// routePins reads the schemes routes without verify: were pinned to (none without a store).
func (s *Server) routePins() map[string]capture.RoutePin {
	if s.deps.Store == nil {
		return nil
	}
	pins, err := s.deps.Store.RoutePins(context.Background())
	if err != nil {
		return nil
	}
	return pins
}

// routeList is the effective routes: the app's live list when wired, else the configured ones.
func (s *Server) routeList() []config.Route {
	if s.deps.Routes != nil {
		return s.deps.Routes()
	}
	return s.deps.Config.Gateway.Routes
}

func (s *Server) gatewayAddr() string {
	if s.deps.GatewayAddr != "" {
		return s.deps.GatewayAddr
	}
	return s.deps.Config.ListenAddr()
}

// publicURL is the app's public base when wired, else the configured public_base_url.
func (s *Server) publicURL() string {
	if s.deps.PublicURL != nil {
		return s.deps.Config.Gateway.PublicBase(s.deps.PublicURL())
	}
	return s.deps.Config.Gateway.PublicBase("")
}

// secretHeaders are the routes' own credential headers, masked besides the well-known ones.
func (s *Server) secretHeaders() []string {
	return config.CredentialHeaders(s.routeList())
}

// jsonOptions is how captures are rendered in answers: masked unless revealed.
func (s *Server) jsonOptions(reveal, withBody bool) capture.JSONOptions {
	return capture.JSONOptions{Reveal: reveal, SecretHeaders: s.secretHeaders(), WithBody: withBody}
}

func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
