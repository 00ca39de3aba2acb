package notify

import (
	"fmt"
	"time"
)

// Preview is an alert rendered for one platform without sending it: the message, the exact
// request body and the platform-limit warnings.
type Preview struct {
	Message  Message
	Format   string
	Body     []byte
	Warnings []Warning
}

// PreviewAlert renders event for format (slack, discord or generic) with data over the
// catalogue's example values, at the time at: RFC 3339, "now", or "" for the example's own time
// (so previews match the documentation). `hooktap notify preview` and the MCP preview_alert
// tool both render through it.
func PreviewAlert(event, format, at string, data map[string]any) (Preview, error) {
	switch format {
	case FormatSlack, FormatDiscord, FormatGeneric:
	default:
		return Preview{}, fmt.Errorf("format %q: use slack, discord or generic", format)
	}
	ts := ExampleTime(event)
	switch at {
	case "":
	case "now":
		ts = time.Now()
	default:
		var err error
		if ts, err = time.Parse(time.RFC3339, at); err != nil {
			return Preview{}, fmt.Errorf("timestamp %q: use RFC 3339 (2026-03-05T10:30:00Z) or now", at)
		}
	}
	m := Build(event, data, ts)
	body, warnings := Body(format, m)
	return Preview{Message: m, Format: format, Body: body, Warnings: warnings}, nil
}
