package config

import (
	"slices"
	"strconv"
	"strings"

	"github.com/hooktap/hooktap/mask"
)

// Explanation is how hooktap read a configuration file, for `hooktap config explain`: every route
// with its scheme, limits, template and delivery, the outgoing webhooks, and every key hooktap
// ignores or does differently, with its line. Secrets are named by where they come from, never
// shown.
type Explanation struct {
	File          string               `json:"file"`
	Format        string               `json:"format"`
	FormatTitle   string               `json:"format_title"`
	Listen        string               `json:"listen"`
	Enabled       bool                 `json:"enabled"`
	PublicBaseURL string               `json:"public_base_url,omitempty"`
	Redis         string               `json:"redis,omitempty"` // gateway.redis, password masked
	ZeroConfig    bool                 `json:"zero_config"`
	Routes        []RouteExplanation   `json:"routes"`
	DynamicFile   string               `json:"dynamic_routes_file,omitempty"`
	Dynamic       []RouteExplanation   `json:"dynamic_routes,omitempty"`
	DynamicError  string               `json:"dynamic_routes_error,omitempty"`
	Webhooks      []WebhookExplanation `json:"notify_webhooks"`
	Notes         []Note               `json:"notes"`
}

// RouteExplanation is one route as the gateway will serve it.
type RouteExplanation struct {
	Name           string   `json:"name"`
	Line           int      `json:"line,omitempty"`
	Key            string   `json:"key,omitempty"`
	Description    string   `json:"description,omitempty"`
	Paths          []string `json:"paths"`
	Verify         string   `json:"verify"`
	Secret         string   `json:"secret"`
	AllowedIPs     []string `json:"allowed_ips,omitempty"`
	Events         []string `json:"events,omitempty"`
	RateLimit      int      `json:"rate_limit_per_minute"`
	MaxBodyBytes   int64    `json:"max_body_bytes"`
	IdempotencyTTL string   `json:"idempotency_ttl"`
	Template       string   `json:"template"`
	Deliver        string   `json:"deliver"`
	Target         string   `json:"target,omitempty"`
	DeliverOnly    bool     `json:"deliver_only"`
	NotDelivered   string   `json:"not_delivered,omitempty"`
}

// WebhookExplanation is one outgoing notify webhook; its URL and header values are masked.
type WebhookExplanation struct {
	ID      string   `json:"id,omitempty"`
	Line    int      `json:"line,omitempty"`
	Key     string   `json:"key"`
	Enabled bool     `json:"enabled"`
	URL     string   `json:"url"`
	Format  string   `json:"format"`
	Events  []string `json:"events,omitempty"`
	Headers []string `json:"headers,omitempty"`
	Retry   string   `json:"retry"`
}

// WholePayload is what a route without a template renders.
const WholePayload = "(the whole payload as indented JSON)"

// Explain describes c; dynamic are the routes of its DynamicRoutesFile as read now.
func (c *Config) Explain(dynamic []Route, dynamicErr error) Explanation {
	e := Explanation{File: c.File, Format: c.Format, FormatTitle: FormatTitle(c.Format), Listen: c.ListenAddr(),
		Enabled: c.GatewayEnabled(), PublicBaseURL: c.Gateway.PublicBaseURL, ZeroConfig: c.ZeroConfig,
		DynamicFile: c.DynamicRoutesFile, Notes: c.Notes, Redis: mask.URL(c.Gateway.Redis)}
	for _, r := range c.Gateway.Routes {
		x := c.explainRoute(r)
		if r.Line > 0 {
			x.Key = c.originalKey("gateway.routes." + r.Name)
		}
		e.Routes = append(e.Routes, x)
	}
	for _, r := range dynamic {
		if _, static := c.Route(r.Name); !static {
			x := c.explainRoute(r)
			x.Key = r.Name
			e.Dynamic = append(e.Dynamic, x)
		}
	}
	e.Notes = slices.Clone(e.Notes)
	slices.SortStableFunc(e.Notes, func(a, b Note) int { return a.Line - b.Line })
	if dynamicErr != nil {
		e.DynamicError = dynamicErr.Error()
	}
	for i, w := range c.Notify.Webhooks {
		e.Webhooks = append(e.Webhooks, c.explainWebhook(i, w))
	}
	if e.Notes == nil {
		e.Notes = []Note{}
	}
	return e
}

func (c *Config) explainRoute(r Route) RouteExplanation {
	s := r.Effective(c.Gateway)
	x := RouteExplanation{Name: r.Name, Line: r.Line, Description: r.Description, Paths: c.routePaths(r),
		Verify: verifyText(r), Secret: c.secretSource(r, s), AllowedIPs: r.AllowedIPs, Events: r.Events,
		RateLimit: s.RateLimit, MaxBodyBytes: s.MaxBodyBytes, IdempotencyTTL: Duration(s.IdempotencyTTL).String(),
		Template: r.Prompt, Deliver: r.Deliver, Target: mask.URL(r.DeliverExtra.URL), DeliverOnly: r.DeliverOnly,
		NotDelivered: r.NotDelivered()}
	if x.Template == "" {
		x.Template = WholePayload
	}
	if x.Deliver == "" {
		x.Deliver = "log"
	}
	return x
}

// routePaths lists the URL paths the route answers on.
func (c *Config) routePaths(r Route) []string {
	paths := []string{RoutePath(r.Name), "/webhook/" + r.Name, "/events/webhook/" + r.Name + "/{event_type}"}
	if r.Name == c.Gateway.CatchAll {
		paths = append(paths, "/webhook/{any-id}", "/events/webhook/{tenant}/{event_type}")
	}
	return paths
}

// verifyText says how the route verifies: its scheme, each provider's rule, or detection.
func verifyText(r Route) string {
	if len(r.Signatures) > 0 {
		var rules []string
		for _, s := range r.Signatures {
			rule := s.Name + ": " + s.Verify
			if s.SignatureHeader != "" {
				rule += " in " + s.SignatureHeader
			}
			rules = append(rules, rule)
		}
		return "per provider (" + strings.Join(rules, "; ") + ")"
	}
	v := r.Verify
	switch {
	case v == "":
		v = "auto (the scheme the request's headers show)"
	case r.SignatureHeader != "":
		v += " in " + r.SignatureHeader
	case v == "header":
		v += " in X-Webhook-Secret"
	}
	return v
}

// secretSource names where the route's secret comes from without showing it.
func (c *Config) secretSource(r Route, s RouteSettings) string {
	switch {
	case r.Open:
		return "none (zero-config route: nothing is verified)"
	case s.Insecure:
		return InsecureNoAuth + " (verification is off)"
	case len(r.Signatures) > 0:
		return "one per provider rule"
	case len(r.Secret.nonEmpty()) > 0:
		return plural(len(r.Secret.nonEmpty()), "secret") + " of its own"
	case len(c.Gateway.Secret.nonEmpty()) > 0:
		if src, ok := c.setBy["gateway.secret"]; ok {
			return "the global secret (" + src + ")"
		}
		return "the global secret (" + c.originalKey("gateway.secret") + ")"
	}
	return "none"
}

func (c *Config) explainWebhook(i int, w Webhook) WebhookExplanation {
	key := "notify.webhooks." + strconv.Itoa(i)
	x := WebhookExplanation{ID: w.ID, Line: c.lines[key], Key: c.originalKey(key), Enabled: w.Enabled == nil || *w.Enabled,
		URL: mask.URL(w.URL), Format: w.Format, Events: w.Events,
		Retry: plural(w.Retry.MaxAttempts, "attempt") + ", " + w.Retry.Backoff + " from " + w.Retry.Initial.String()}
	for _, k := range sortedKeys(w.Headers) {
		x.Headers = append(x.Headers, k+": "+mask.Header(k, w.Headers[k], nil))
	}
	return x
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}
