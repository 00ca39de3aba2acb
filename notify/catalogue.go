// Package notify sends outgoing alert webhooks (Slack, Discord, generic JSON): the event
// catalogue and its texts, exact request bodies, and a persistent, retrying dispatcher.
package notify

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"
)

// Message is one event ready to be formatted: the event type, when it happened, its data and the
// human text the chat formats show.
type Message struct {
	Event     string
	Timestamp time.Time
	Data      map[string]any
	Text      string
}

// eventSpec describes one catalogue event: its data fields in body order, the catalogue's example
// values, and how its text is written.
type eventSpec struct {
	fields   []string
	defaults map[string]any
	// example is the timestamp the catalogue's example body carries (previews default to it).
	example string
	text    func(d map[string]any) string
}

// Events lists the catalogue's event types (the cost alerts plus the gateway's own).
var Events = []string{
	"budget_warning", "budget_exceeded", "provider_down", "provider_up", "failover",
	"daily_summary", "signature_failed", "target_down", "target_up",
}

// KnownEvent reports whether the event has its own entry in the catalogue.
func KnownEvent(event string) bool {
	_, ok := catalogue[event]
	return ok
}

// ExampleTime is the timestamp of the catalogue's example for the event (previews use it so their
// bodies match the documentation); other events get the budget example's time.
func ExampleTime(event string) time.Time {
	s := catalogue["budget_warning"].example
	if spec, ok := catalogue[event]; ok && spec.example != "" {
		s = spec.example
	}
	t, _ := time.Parse(time.RFC3339, s)
	return t
}

// Build makes a Message: the caller's data over the catalogue's example values, derived fields
// (percent from spent / limit) filled in, and the catalogue's text. Unknown events keep their data
// as given and get a generic text.
func Build(event string, data map[string]any, now time.Time) Message {
	d := make(map[string]any, len(data)+8)
	for k, v := range data {
		d[k] = v
	}
	spec := specFor(event, d)
	if spec == nil {
		return Message{Event: event, Timestamp: now.UTC(), Data: d, Text: genericText(event, d)}
	}
	for k, v := range spec.defaults {
		if _, ok := d[k]; !ok {
			d[k] = v
		}
	}
	derive(event, d)
	return Message{Event: event, Timestamp: now.UTC(), Data: d, Text: spec.text(d)}
}

// specFor picks the catalogue entry; daily_summary has two shapes (the cost summary and
// the gateway's per-route counts), told apart by a "routes" field.
func specFor(event string, d map[string]any) *eventSpec {
	if event == "daily_summary" {
		if _, ok := d["routes"]; ok {
			return &gatewaySummary
		}
	}
	spec, ok := catalogue[event]
	if !ok {
		return nil
	}
	return &spec
}

// derive fills fields the text needs that the caller left out but that follow from others.
func derive(event string, d map[string]any) {
	switch event {
	case "budget_warning", "budget_exceeded":
		if _, ok := d["percent"]; ok {
			return
		}
		spent, ok1 := number(d["spent"])
		limit, ok2 := number(d["limit"])
		if ok1 && ok2 && limit != 0 {
			d["percent"] = decimal(spent / limit * 100)
		}
	case "daily_summary":
		if _, ok := d["routes"]; ok {
			deriveRouteTotals(d)
		}
	}
}

// decimal renders a computed number as JSON with at least one decimal, like the catalogue's 85.0.
func decimal(f float64) json.Number {
	s := fmt.Sprintf("%.2f", f)
	s = strings.TrimRight(s, "0")
	if strings.HasSuffix(s, ".") {
		s += "0"
	}
	return json.Number(s)
}

// genericText is the text of an event the catalogue does not know: its name and its scalar
// fields, so a chat message still says something useful.
func genericText(event string, d map[string]any) string {
	if t, ok := d["text"].(string); ok && t != "" {
		return t
	}
	keys := make([]string, 0, len(d))
	for k := range d {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		switch d[k].(type) {
		case map[string]any, []any:
			continue
		}
		parts = append(parts, k+"="+str(d[k]))
	}
	if len(parts) == 0 {
		return "🔔 " + event
	}
	return "🔔 " + event + ": " + strings.Join(parts, ", ")
}

// number reads a JSON-ish number from the types data values arrive as.
func number(v any) (float64, bool) {
	switch n := v.(type) {
	case float64:
		return n, true
	case float32:
		return float64(n), true
	case int:
		return float64(n), true
	case int64:
		return float64(n), true
	case json.Number:
		f, err := n.Float64()
		return f, err == nil
	case string:
		f, err := json.Number(n).Float64()
		return f, err == nil
	}
	return 0, false
}

// str renders a data value for a text: strings as is, numbers without a trailing ".0".
func str(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case json.Number:
		return x.String()
	}
	if f, ok := number(v); ok {
		return fmt.Sprintf("%v", f)
	}
	return fmt.Sprint(v)
}

// money renders a number as dollars with cents ("$8.50").
func money(v any) string { return numeric(v, "$%.2f") }

// oneDecimal renders a percentage with one decimal ("85.0").
func oneDecimal(v any) string { return numeric(v, "%.1f") }

// integer renders a count without decimals ("125000").
func integer(v any) string { return numeric(v, "%.0f") }

// numeric formats a number; a value that is not one is shown as given, never as a made-up 0.
func numeric(v any, format string) string {
	if f, ok := number(v); ok {
		return fmt.Sprintf(format, f)
	}
	return str(v)
}
