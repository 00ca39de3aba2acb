package config

import (
	"bytes"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"go.yaml.in/yaml/v4"
)

// Read loads a config file in any format without the environment, flags or validation: what the
// file alone says, for `hooktap config convert`. Problems reading it are returned as Load would.
func Read(path, format string) (*Config, error) {
	cfg := Default()
	if err := cfg.loadFile(path, true, format); err != nil {
		return nil, err
	}
	cfg.fillImplicit()
	cfg.deliveryNotes()
	return &cfg, nil
}

// The shapes Convert writes: hooktap's keys with the defaults left out.
type (
	convDoc struct {
		Gateway convGateway `yaml:"gateway,omitempty"`
		Notify  *convNotify `yaml:"notify,omitempty"`
	}
	convGateway struct {
		Enabled       *bool     `yaml:"enabled,omitempty"`
		Host          string    `yaml:"host,omitempty"`
		Port          int       `yaml:"port,omitempty"`
		Secret        Secrets   `yaml:"secret,omitempty"`
		RateLimit     int       `yaml:"rate_limit,omitempty"`
		MaxBodyBytes  int64     `yaml:"max_body_bytes,omitempty"`
		PublicBaseURL string    `yaml:"public_base_url,omitempty"`
		CatchAll      string    `yaml:"catch_all,omitempty"`
		Routes        yaml.Node `yaml:"routes,omitempty"`
	}
	convRoute struct {
		Description     string          `yaml:"description,omitempty"`
		Events          []string        `yaml:"events,omitempty"`
		Secret          Secrets         `yaml:"secret,omitempty"`
		Verify          string          `yaml:"verify,omitempty"`
		SignatureHeader string          `yaml:"signature_header,omitempty"`
		Signatures      []convSignature `yaml:"signatures,omitempty"`
		AllowedIPs      []string        `yaml:"allowed_ips,omitempty"`
		Prompt          string          `yaml:"prompt,omitempty"`
		Deliver         string          `yaml:"deliver,omitempty"`
		DeliverExtra    *convExtra      `yaml:"deliver_extra,omitempty"`
		DeliverOnly     bool            `yaml:"deliver_only,omitempty"`
	}
	convSignature struct {
		Name            string  `yaml:"name"`
		Verify          string  `yaml:"verify"`
		Secret          Secrets `yaml:"secret,omitempty"`
		SignatureHeader string  `yaml:"signature_header,omitempty"`
		TimestampHeader string  `yaml:"timestamp_header,omitempty"`
	}
	convExtra struct {
		URL    string            `yaml:"url,omitempty"`
		Params map[string]string `yaml:"params,omitempty"`
	}
	convNotify struct {
		Webhooks []convWebhook `yaml:"webhooks"`
	}
	convWebhook struct {
		ID      string            `yaml:"id,omitempty"`
		Enabled *bool             `yaml:"enabled,omitempty"`
		URL     string            `yaml:"url"`
		Events  []string          `yaml:"events,omitempty"`
		Headers map[string]string `yaml:"headers,omitempty"`
		Retry   *convRetry        `yaml:"retry,omitempty"`
	}
	convRetry struct {
		MaxAttempts int    `yaml:"max_attempts"`
		Backoff     string `yaml:"backoff"`
	}
)

// Convert writes c as hooktap's own YAML: the same routes, secrets, limits, templates and
// deliveries, defaults left out, with a header saying where it came from and what was not
// carried over. Loading the result gives the same gateway.
func (c *Config) Convert() ([]byte, error) {
	doc := convDoc{Gateway: c.convGateway()}
	if len(c.Notify.Webhooks) > 0 {
		doc.Notify = &convNotify{}
		for _, w := range c.Notify.Webhooks {
			doc.Notify.Webhooks = append(doc.Notify.Webhooks, convertWebhook(w))
		}
	}
	var root yaml.Node
	if err := root.Encode(doc); err != nil {
		return nil, fmt.Errorf("convert: %w", err)
	}
	root.HeadComment = c.convertHeader()
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(&root); err != nil {
		return nil, fmt.Errorf("convert: %w", err)
	}
	return b.Bytes(), enc.Close()
}

func (c *Config) convGateway() convGateway {
	g, d := c.Gateway, Default().Gateway
	out := convGateway{Enabled: g.Enabled, Secret: g.Secret, PublicBaseURL: g.PublicBaseURL, CatchAll: g.CatchAll}
	if g.Enabled != nil && *g.Enabled {
		out.Enabled = nil
	}
	if g.Host != d.Host {
		out.Host = g.Host
	}
	if g.Port != d.Port {
		out.Port = g.Port
	}
	if g.RateLimit != d.RateLimit {
		out.RateLimit = g.RateLimit
	}
	if g.MaxBodyBytes != d.MaxBodyBytes {
		out.MaxBodyBytes = g.MaxBodyBytes
	}
	if len(g.Routes) > 0 {
		out.Routes = yaml.Node{Kind: yaml.MappingNode}
		for _, r := range g.Routes {
			var v yaml.Node
			_ = v.Encode(convertRoute(r))
			out.Routes.Content = append(out.Routes.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: r.Name}, &v)
		}
	}
	return out
}

func convertRoute(r Route) convRoute {
	out := convRoute{Description: r.Description, Events: r.Events, Secret: r.Secret, Verify: r.Verify,
		SignatureHeader: r.SignatureHeader, AllowedIPs: r.AllowedIPs, Prompt: r.Prompt, DeliverOnly: r.DeliverOnly}
	if r.Deliver != "log" {
		out.Deliver = r.Deliver
	}
	if r.DeliverExtra.URL != "" || len(r.DeliverExtra.Params) > 0 {
		out.DeliverExtra = &convExtra{URL: r.DeliverExtra.URL, Params: r.DeliverExtra.Params}
	}
	for _, s := range r.Signatures {
		out.Signatures = append(out.Signatures, convSignature(s))
	}
	return out
}

func convertWebhook(w Webhook) convWebhook {
	out := convWebhook{ID: w.ID, Enabled: w.Enabled, URL: w.URL, Events: w.Events, Headers: w.Headers}
	if w.Retry.MaxAttempts != DefaultRetryAttempts || w.Retry.Backoff != "exponential" {
		out.Retry = &convRetry{MaxAttempts: w.Retry.MaxAttempts, Backoff: w.Retry.Backoff}
	}
	return out
}

// convertHeader says where the file came from and lists, with their lines, the keys that were
// read but not carried over.
func (c *Config) convertHeader() string {
	lines := []string{fmt.Sprintf("hooktap configuration converted from %s (%s) by `hooktap config convert`.",
		filepath.Base(c.File), FormatTitle(c.Format))}
	if len(c.Notes) > 0 {
		lines = append(lines, "What hooktap reads but does not do as "+FormatTitle(c.Format)+" would:")
		notes := slices.Clone(c.Notes)
		slices.SortStableFunc(notes, func(a, b Note) int { return a.Line - b.Line })
		for _, n := range notes {
			lines = append(lines, fmt.Sprintf("  line %-4d %s: %s", n.Line, n.Key, n.Msg))
		}
	}
	if c.DynamicRoutesFile != "" {
		lines = append(lines, "Dynamic routes stay in "+filepath.Base(c.DynamicRoutesFile)+
			": hooktap watches it only beside the original file (see `hooktap webhook subscribe` for hooktap's own).")
	}
	return strings.Join(lines, "\n")
}
