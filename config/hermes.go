package config

import (
	"errors"
	"fmt"
	"path/filepath"

	"go.yaml.in/yaml/v4"
)

// HermesSubscriptionsFile is the dynamic routes file Hermes keeps beside its config.yaml.
const HermesSubscriptionsFile = "webhook_subscriptions.json"

// hermesFile is the part of a Hermes config.yaml hooktap reads: platforms.webhook. Everything
// else in it configures Hermes itself and is listed as ignored.
type hermesFile struct {
	Platforms hermesPlatforms `yaml:"platforms"`
	// Webhooks is the routes excerpt some Hermes pages show (webhooks: {routes: …}).
	Webhooks *hermesExtra `yaml:"webhooks"`
	Other    Ignored      `yaml:"*" why:"a Hermes setting outside platforms.webhook: hooktap ignores it"`
}

type hermesPlatforms struct {
	Webhook *hermesPlatform `yaml:"webhook"`
	Other   Ignored         `yaml:"*" why:"another Hermes platform: hooktap stands in for the webhook platform only"`
}

type hermesPlatform struct {
	Enabled     *bool       `yaml:"enabled"`
	Extra       hermesExtra `yaml:"extra"`
	Token       Ignored     `yaml:"token" why:"the webhook platform uses no token"`
	APIKey      Ignored     `yaml:"api_key" why:"the webhook platform uses no API key"`
	HomeChannel Ignored     `yaml:"home_channel" why:"hooktap delivers to no chat channel"`
	ReplyToMode Ignored     `yaml:"reply_to_mode" why:"hooktap replies to no chat"`
}

type hermesExtra struct {
	Host          string               `yaml:"host"`
	Port          *int                 `yaml:"port"`
	Secret        Secrets              `yaml:"secret"`
	RateLimit     *int                 `yaml:"rate_limit"`
	MaxBodyBytes  *int64               `yaml:"max_body_bytes"`
	ScriptTimeout Ignored              `yaml:"script_timeout_seconds" why:"hooktap runs no route scripts"`
	Routes        Ordered[hermesRoute] `yaml:"routes"`
}

// hermesRoute is one route of platforms.webhook.extra.routes or of webhook_subscriptions.json.
type hermesRoute struct {
	Description  string            `yaml:"description"`
	Events       []string          `yaml:"events"`
	Secret       Secrets           `yaml:"secret"`
	Prompt       string            `yaml:"prompt"`
	Deliver      string            `yaml:"deliver"`
	DeliverExtra map[string]string `yaml:"deliver_extra"`
	DeliverOnly  bool              `yaml:"deliver_only"`
	Enabled      *bool             `yaml:"enabled"`
	Skills       Ignored           `yaml:"skills" why:"hooktap runs no agent, so no skills are loaded"`
	Toolsets     Ignored           `yaml:"toolsets" why:"hooktap runs no agent, so no toolsets are loaded"`
	CronJob      Ignored           `yaml:"cron_job" why:"hooktap fires no cron jobs; the request is captured and rendered"`
	Script       Ignored           `yaml:"script" why:"hooktap runs no route scripts"`
	RetryScript  Ignored           `yaml:"retry_on_script_failure" why:"hooktap runs no route scripts"`
	Mirror       Ignored           `yaml:"mirror_to_session" why:"hooktap keeps no chat sessions"`
	Profile      Ignored           `yaml:"profile" why:"hooktap serves every route at /webhooks/<name>, without a /p/<profile>/ prefix"`
	CreatedAt    Ignored           `yaml:"created_at" why:"bookkeeping of hermes webhook subscribe"`
}

// readHermes maps a Hermes config.yaml onto c; its webhook_subscriptions.json is watched.
func readHermes(c *Config, d *decoder, root *yaml.Node, path string) error {
	var f hermesFile
	errs := d.node(root, reflectValue(&f), "")
	c.Notes = append(c.Notes, d.notes...)
	m := &mapper{c: c, lines: d.lines, file: d.file}
	extra, prefix := f.Webhooks, "webhooks"
	if p := f.Platforms.Webhook; p != nil {
		extra, prefix = &p.Extra, "platforms.webhook.extra"
		if p.Enabled != nil {
			c.Gateway.Enabled = p.Enabled
			m.link("gateway.enabled", "platforms.webhook.enabled")
		}
	}
	if extra != nil {
		m.hermesExtra(extra, prefix)
	}
	c.DynamicRoutesFile = filepath.Join(filepath.Dir(path), HermesSubscriptionsFile)
	return errors.Join(append(errs, m.errs...)...)
}

// hermesExtra maps the listener settings and static routes.
func (m *mapper) hermesExtra(x *hermesExtra, prefix string) {
	g := &m.c.Gateway
	for _, k := range []string{"host", "port", "secret", "rate_limit", "max_body_bytes"} {
		m.link("gateway."+k, prefix+"."+k)
	}
	if x.Host != "" {
		g.Host = x.Host
	} else {
		m.note(prefix, NoteDiffers, "Hermes listens on every interface unless extra.host is set; hooktap listens on "+DefaultHost+" (set extra.host or --addr to expose it)")
	}
	if x.Port != nil {
		g.Port = *x.Port
	}
	if x.RateLimit != nil {
		g.RateLimit = *x.RateLimit
	}
	if x.MaxBodyBytes != nil {
		g.MaxBodyBytes = *x.MaxBodyBytes
	}
	g.Secret = x.Secret
	for _, e := range x.Routes {
		key := prefix + ".routes." + e.Name
		if e.Value.Enabled != nil && !*e.Value.Enabled {
			m.note(key, NoteIgnored, "the route is disabled (enabled: false): hooktap does not serve it")
			continue
		}
		m.link("gateway.routes."+e.Name, key)
		g.Routes = append(g.Routes, e.Value.route(e.Name, e.Line))
	}
}

// route converts a Hermes route; deliver_extra.url (which Hermes ignores) lets hooktap deliver to
// a Slack or Discord webhook, every other deliver_extra key is kept for the capture's note.
func (h hermesRoute) route(name string, line int) Route {
	r := Route{Name: name, Line: line, Description: h.Description, Events: h.Events, Secret: h.Secret,
		Prompt: h.Prompt, Deliver: h.Deliver, DeliverOnly: h.DeliverOnly}
	for k, v := range h.DeliverExtra {
		if k == "url" {
			r.DeliverExtra.URL = v
			continue
		}
		if r.DeliverExtra.Params == nil {
			r.DeliverExtra.Params = map[string]string{}
		}
		r.DeliverExtra.Params[k] = v
	}
	return r
}

// HermesSubscriptions reads Hermes' webhook_subscriptions.json ({"<name>": {route…}}) into
// routes. Unknown keys and syntax errors fail the whole file (err), naming the file and line. A
// route with no secret of its own and no global one is left out and reported in skipped, never
// served unverified, as Hermes does.
func (c *Config) HermesSubscriptions(data []byte, path string) (routes []Route, skipped, err error) {
	root, err := parseDocument(data, path)
	if err != nil || root == nil {
		return nil, nil, err
	}
	d := &decoder{file: filepath.Base(path), lines: map[string]int{}}
	var subs Ordered[hermesRoute]
	if errs := d.node(root, reflectValue(&subs), ""); len(errs) > 0 {
		return nil, nil, errors.Join(errs...)
	}
	var errs []error
	for _, e := range subs {
		r := e.Value.route(e.Name, e.Line)
		switch {
		case e.Value.Enabled != nil && !*e.Value.Enabled:
			continue
		case !routeNameRE.MatchString(r.Name):
			errs = append(errs, &Error{File: d.file, Line: e.Line, Key: e.Name, Msg: "a route name may only use letters, digits, '.', '_' and '-'"})
		case len(r.Secret.nonEmpty()) == 0 && len(c.Gateway.Secret.nonEmpty()) == 0:
			errs = append(errs, &Error{File: d.file, Line: e.Line, Key: e.Name + ".secret",
				Msg: fmt.Sprintf("route %q has no secret and there is no global one: left out (use %s only for tests)", e.Name, InsecureNoAuth)})
		default:
			routes = append(routes, r)
		}
	}
	return routes, errors.Join(errs...), nil
}
