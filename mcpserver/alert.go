package mcpserver

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/hooktap/hooktap/notify"
)

type previewAlertIn struct {
	Event     string         `json:"event" jsonschema:"the alert event: budget_warning, budget_exceeded, provider_down, provider_up, failover, daily_summary, signature_failed, target_down, target_up, or any other name (rendered generically)"`
	Format    string         `json:"format,omitempty" jsonschema:"slack, discord or generic (default generic)"`
	Data      map[string]any `json:"data,omitempty" jsonschema:"data fields over the catalogue's example values, e.g. {\"spent\": 250, \"limit\": 200}"`
	Timestamp string         `json:"timestamp,omitempty" jsonschema:"event time, RFC 3339 or now (default: the catalogue example's time)"`
}

type previewAlertOut struct {
	Event  string `json:"event"`
	Format string `json:"format"`
	// Body is the exact request body hooktap would send.
	Body     string           `json:"body" jsonschema:"the exact request body, as hooktap notify preview --json prints it"`
	Bytes    int              `json:"bytes"`
	Text     string           `json:"text" jsonschema:"the human text of the alert"`
	Known    bool             `json:"known" jsonschema:"false when the event is not in the catalogue and was rendered generically"`
	Warnings []notify.Warning `json:"warnings" jsonschema:"fields over the platform's limits (they are cut when sent)"`
}

func (s *server) addAlertTool(srv *mcp.Server) {
	mcp.AddTool(srv, &mcp.Tool{Name: "preview_alert", Title: "Preview an outgoing alert", Annotations: readOnly,
		Description: "Renders an alert event as Slack, Discord or a generic JSON receiver would get it, with data overrides: the exact request body " +
			"(as `hooktap notify preview --json`) and the platform-limit warnings. Sends nothing."},
		s.previewAlert)
}

func (s *server) previewAlert(_ context.Context, _ *mcp.CallToolRequest, in previewAlertIn) (*mcp.CallToolResult, previewAlertOut, error) {
	format := in.Format
	if format == "" {
		format = notify.FormatGeneric
	}
	data, err := dataValues(in.Data)
	if err != nil {
		return nil, previewAlertOut{}, err
	}
	pv, err := notify.PreviewAlert(in.Event, format, in.Timestamp, data)
	if err != nil {
		return nil, previewAlertOut{}, err
	}
	out := previewAlertOut{Event: pv.Message.Event, Format: pv.Format, Body: string(pv.Body), Bytes: len(pv.Body),
		Text: pv.Message.Text, Known: notify.KnownEvent(in.Event), Warnings: append([]notify.Warning{}, pv.Warnings...)}
	var b strings.Builder
	fmt.Fprintf(&b, "%s alert %s (%d bytes, exactly as sent):\n%s\n", out.Format, out.Event, out.Bytes, out.Body)
	for _, w := range out.Warnings {
		fmt.Fprintf(&b, "warning: %s\n", w.Message)
	}
	if !out.Known {
		fmt.Fprintf(&b, "note: %q is not in the catalogue; rendered generically\n", out.Event)
	}
	return summary("%s", b.String()), out, nil
}

// dataValues types each value as `--data key=value` would: a string goes through the same
// parser, anything else through its JSON text, so a preview here matches the CLI's.
func dataValues(in map[string]any) (map[string]any, error) {
	out := make(map[string]any, len(in))
	for k, v := range in {
		if s, ok := v.(string); ok {
			out[k] = notify.DataValue(s)
			continue
		}
		raw, err := json.Marshal(v)
		if err != nil {
			return nil, fmt.Errorf("data %s: %w", k, err)
		}
		out[k] = notify.DataValue(string(raw))
	}
	return out, nil
}
