package config

import (
	"errors"
	"strings"

	"go.yaml.in/yaml/v4"
)

// clawdbotIncoming is the route that serves /webhook/<hook-id> for every hook id no handler has.
const clawdbotIncoming = "incoming"

// clawdbotFile is the part of a Clawdbot config hooktap reads: webhooks. Everything else in it
// configures Clawdbot itself and is listed as ignored.
type clawdbotFile struct {
	Webhooks struct {
		Incoming *clawdbotIncomingCfg `yaml:"incoming"`
		Handlers []clawdbotHandler    `yaml:"handlers"`
		Outgoing []clawdbotOutgoing   `yaml:"outgoing"`
	} `yaml:"webhooks"`
	Other Ignored `yaml:"*" why:"a Clawdbot setting outside webhooks: hooktap ignores it"`
}

type clawdbotIncomingCfg struct {
	Enabled      *bool    `yaml:"enabled"`
	Port         *int     `yaml:"port"`
	Secret       Secrets  `yaml:"secret"`
	SecretHeader string   `yaml:"secretHeader"`
	AllowedIPs   []string `yaml:"allowedIPs"`
}

type clawdbotHandler struct {
	ID          string            `yaml:"id"`
	Path        string            `yaml:"path"`
	Action      string            `yaml:"action"`
	Template    string            `yaml:"template"`
	Target      map[string]string `yaml:"target"`
	AgentID     string            `yaml:"agentId" why:"hooktap runs no agent; the agent id is recorded in the capture's note"`
	SessionMode Ignored           `yaml:"sessionMode" why:"hooktap keeps no agent sessions"`
	SessionKey  Ignored           `yaml:"sessionKey" why:"hooktap keeps no agent sessions"`
}

type clawdbotOutgoing struct {
	ID     string   `yaml:"id"`
	URL    string   `yaml:"url"`
	Events []string `yaml:"events"`
	Method string   `yaml:"method"`
	Retry  struct {
		MaxAttempts int    `yaml:"maxAttempts"`
		Backoff     string `yaml:"backoff"`
	} `yaml:"retry"`
}

// clawdbotActions are the handler actions Clawdbot documents.
var clawdbotActions = []string{"send_message", "run_agent", "forward", "custom"}

// readClawdbot maps webhooks.incoming to a shared-secret-header route serving every hook id,
// each handler to a route at /webhook/<path>, and each outgoing webhook to notify.webhooks.
func readClawdbot(c *Config, d *decoder, root *yaml.Node, _ string) error {
	var f clawdbotFile
	errs := d.node(root, reflectValue(&f), "")
	c.Notes = append(c.Notes, d.notes...)
	m := &mapper{c: c, lines: d.lines, file: d.file}
	m.link("gateway.secret", "webhooks.incoming.secret")
	in := f.Webhooks.Incoming
	if in == nil {
		in = &clawdbotIncomingCfg{}
	} else {
		m.clawdbotIncoming(in)
	}
	base := Route{Verify: "header", SignatureHeader: in.SecretHeader, AllowedIPs: in.AllowedIPs}
	for i, h := range f.Webhooks.Handlers {
		m.clawdbotHandler("webhooks.handlers."+itoa(i), h, base)
	}
	if f.Webhooks.Incoming != nil {
		r := base
		r.Name, r.Line = clawdbotIncoming, m.lines["webhooks.incoming"]
		r.Description = "Clawdbot incoming webhooks: POST /webhook/<hook-id>"
		m.link("gateway.routes."+clawdbotIncoming, "webhooks.incoming")
		c.Gateway.Routes = append(c.Gateway.Routes, r)
		c.Gateway.CatchAll = clawdbotIncoming
	}
	for i, o := range f.Webhooks.Outgoing {
		m.clawdbotOutgoing("webhooks.outgoing."+itoa(i), i, o)
	}
	return errors.Join(append(errs, m.errs...)...)
}

// clawdbotIncoming maps the listener and the secret every hook shares.
func (m *mapper) clawdbotIncoming(in *clawdbotIncomingCfg) {
	g := &m.c.Gateway
	m.link("gateway.enabled", "webhooks.incoming.enabled")
	m.link("gateway.port", "webhooks.incoming.port")
	if in.Enabled != nil {
		g.Enabled = in.Enabled
	}
	if in.Port != nil {
		g.Port = *in.Port
	}
	g.Secret = in.Secret
}

// clawdbotHandler maps one handler to a route named after its path: forward delivers to
// target.url, the other actions are rendered and captured with a note that they were not run.
func (m *mapper) clawdbotHandler(key string, h clawdbotHandler, base Route) {
	name := strings.Trim(h.Path, "/")
	if name == "" {
		name = h.ID
	}
	if name == "" {
		m.fail(key, "a handler needs an id or a path")
		return
	}
	if _, taken := m.c.Route(name); taken || name == clawdbotIncoming {
		m.fail(key+".path", "another handler already serves /webhook/"+name)
		return
	}
	r := base
	r.Name, r.Line, r.Prompt, r.Deliver = name, m.lines[key], h.Template, h.Action
	r.Description = "Clawdbot handler " + h.ID
	m.link("gateway.routes."+name, key)
	m.link("gateway.routes."+name+".prompt", key+".template")
	m.link("gateway.routes."+name+".deliver", key+".action")
	m.link("gateway.routes."+name+".deliver_extra.url", key+".target.url")
	switch {
	case h.Action == "forward":
		r.DeliverExtra.URL = h.Target["url"]
	case h.Action == "" || !contains(clawdbotActions, h.Action):
		m.fail(key+".action", "expected one of "+strings.Join(clawdbotActions, ", ")+", got "+quote(h.Action))
		return
	default:
		r.DeliverExtra.Params = h.Target
		if h.AgentID != "" {
			r.DeliverExtra.Params = mergeParams(h.Target, map[string]string{"agentId": h.AgentID})
		}
	}
	m.c.Gateway.Routes = append(m.c.Gateway.Routes, r)
}

// clawdbotOutgoing maps one outgoing webhook to a notify webhook.
func (m *mapper) clawdbotOutgoing(key string, i int, o clawdbotOutgoing) {
	h := "notify.webhooks." + itoa(i)
	m.link(h, key)
	m.link(h+".retry.max_attempts", key+".retry.maxAttempts")
	if o.Method != "" && !strings.EqualFold(o.Method, "POST") {
		m.note(key+".method", NoteDiffers, "hooktap sends every notification as POST, not "+o.Method)
	}
	w := Webhook{ID: o.ID, URL: o.URL, Events: o.Events}
	w.Retry.MaxAttempts, w.Retry.Backoff = o.Retry.MaxAttempts, o.Retry.Backoff
	m.c.Notify.Webhooks = append(m.c.Notify.Webhooks, w)
}

// mergeParams returns a new map with the entries of both.
func mergeParams(a, b map[string]string) map[string]string {
	out := make(map[string]string, len(a)+len(b))
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func quote(s string) string { return `"` + s + `"` }
