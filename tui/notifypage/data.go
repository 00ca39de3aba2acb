package notifypage

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/hooktap/hooktap/notify"
)

// formats are the preview-only targets, before the configured webhooks.
var formats = []string{notify.FormatSlack, notify.FormatDiscord, notify.FormatGeneric}

// target is one entry of the target list: a bare format (preview only) or a webhook.
type target struct {
	format  string
	webhook *notify.Webhook
}

func (t target) label() string {
	if t.webhook == nil {
		return t.format
	}
	return fmt.Sprintf("%s (%s)", t.webhook.ID, t.format)
}

func (m *Model) targets() []target {
	out := make([]target, 0, len(formats)+len(m.webhooks))
	for _, f := range formats {
		out = append(out, target{format: f})
	}
	for i := range m.webhooks {
		w := &m.webhooks[i]
		out = append(out, target{format: w.ResolvedFormat(), webhook: w})
	}
	return out
}

func (m *Model) selectedTarget() target {
	ts := m.targets()
	return ts[clamp(m.target, len(ts))]
}

func (m *Model) selectedEvent() string {
	if len(m.events) == 0 {
		return ""
	}
	return m.events[clamp(m.event, len(m.events))]
}

// message is the captured request's message when a capture is the source; otherwise the
// selected event built from the edited data over the catalogue's example values, at the page's clock.
func (m *Model) message() (notify.Message, error) {
	if m.capture != nil {
		return m.capture.message, nil
	}
	data, err := parseData(m.data.Value())
	if err != nil {
		return notify.Message{}, err
	}
	return notify.Build(m.selectedEvent(), data, m.common.Now()), nil
}

// defaults lists the event's example data as key=value, so the user knows what to override.
func defaults(event string, now time.Time) string {
	d := notify.Build(event, nil, now).Data
	parts := make([]string, 0, len(d))
	for _, k := range slices.Sorted(maps.Keys(d)) {
		v, _ := json.Marshal(d[k])
		parts = append(parts, k+"="+strings.Trim(string(v), `"`))
	}
	return strings.Join(parts, " ")
}

// parseData reads key=value lines; blank lines and lines starting with # are skipped. Values
// that are JSON (numbers, booleans, objects) keep their type, anything else is a string — the
// same rule as `hooktap notify preview --data`.
func parseData(text string) (map[string]any, error) {
	out := map[string]any{}
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok || strings.TrimSpace(k) == "" {
			return nil, fmt.Errorf("data line %d %q: write key=value", i+1, line)
		}
		out[strings.TrimSpace(k)] = notify.DataValue(strings.TrimSpace(v))
	}
	return out, nil
}
