package config

import (
	"slices"
	"strings"
)

// ExternalTargets are deliveries and actions of the systems hooktap stands in for that hooktap
// does not perform: chat platforms and GitHub comments (Hermes' deliver), agent runs and channel
// messages (Clawdbot's handler actions). A route naming one is accepted; each request is rendered
// and captured with a note saying it was not delivered, and the gateway logs that once.
var ExternalTargets = []string{
	"github_comment", "telegram", "signal", "sms", "whatsapp", "matrix", "mattermost",
	"homeassistant", "email", "dingtalk", "feishu", "wecom", "wecom_callback", "weixin",
	"bluebubbles", "qqbot", "yuanbao", "send_message", "run_agent", "custom",
}

// agentActions are the ExternalTargets that run something rather than deliver a message.
var agentActions = []string{"run_agent", "custom"}

// NotDelivered is the note hooktap records for a route whose delivery it does not perform, or ""
// when hooktap delivers (log, forward, or slack / discord / generic with a URL).
func (r Route) NotDelivered() string {
	switch {
	case slices.Contains(agentActions, r.Deliver):
		return "not run by hooktap"
	case slices.Contains(ExternalTargets, r.Deliver):
		return "not delivered by hooktap"
	case (r.Deliver == "slack" || r.Deliver == "discord") && r.DeliverExtra.URL == "":
		return "not delivered by hooktap: it posts to " + r.Deliver + " webhook URLs only; set deliver_extra.url"
	}
	return ""
}

// deliverValues are every deliver value a route may name.
var deliverValues = append(slices.Clone(DeliverModes), ExternalTargets...)

// deliveryNotes lists, once per route, the deliveries hooktap will not perform.
func (c *Config) deliveryNotes() {
	for _, r := range c.Gateway.Routes {
		note := r.NotDelivered()
		if note == "" {
			continue
		}
		key := "gateway.routes." + r.Name + ".deliver"
		msg := "deliver " + r.Deliver + ": " + note + "; each request is rendered and captured with this note"
		if len(r.DeliverExtra.Params) > 0 {
			msg += " (with " + strings.Join(sortedKeys(r.DeliverExtra.Params), ", ") + " rendered)"
		}
		c.Notes = append(c.Notes, Note{Line: c.lineOr(key, r.Line), Key: c.originalKey(key), Kind: NoteNotDelivered, Msg: msg})
	}
}

// sortedKeys returns a map's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
