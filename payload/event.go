package payload

import (
	"encoding/json"
	"net/http"
	"strings"
	"unicode"
)

// EventType names the event: provider headers first (X-GitHub-Event, X-Gitlab-Event snake-cased
// without " Hook", X-Event-Type, X-Event-Key, X-Shopify-Topic), then the path's event (tenant
// form), then the body's "type", "event" or "event_type" string.
func EventType(h http.Header, pathEvent string, v any) string {
	if e := h.Get("X-GitHub-Event"); e != "" {
		return e
	}
	if e := h.Get("X-Gitlab-Event"); e != "" {
		return SnakeCase(e)
	}
	for _, name := range []string{"X-Event-Type", "X-Event-Key", "X-Shopify-Topic"} {
		if e := h.Get(name); e != "" {
			return e
		}
	}
	if pathEvent != "" {
		return pathEvent
	}
	for _, key := range []string{"type", "event", "event_type"} {
		if s, ok := field(v, key).(string); ok && s != "" {
			return s
		}
	}
	return ""
}

// DeliveryID finds the provider's delivery id in the headers, else the body's "id" or
// "event_id" (a string or a number).
func DeliveryID(h http.Header, v any) string {
	for _, name := range []string{"X-GitHub-Delivery", "X-Gitlab-Event-UUID", "webhook-id", "svix-id",
		"X-Request-ID", "Idempotency-Key", "X-Shopify-Webhook-Id", "X-Request-UUID"} {
		if id := h.Get(name); id != "" {
			return id
		}
	}
	for _, key := range []string{"id", "event_id"} {
		switch id := field(v, key).(type) {
		case string:
			if id != "" {
				return id
			}
		case json.Number:
			return id.String()
		case float64:
			return formatFloat(id)
		}
	}
	return ""
}

// field is a top-level key of an object payload, or nil.
func field(v any, key string) any {
	if m, ok := v.(map[string]any); ok {
		return m[key]
	}
	return nil
}

// SnakeCase normalises an event name: lower case, words joined by '_', GitLab's trailing
// " Hook" word dropped ("Merge Request Hook" → "merge_request", "pullRequest" → "pull_request").
func SnakeCase(s string) string {
	snake := snakeWords(s)
	if trimmed, ok := strings.CutSuffix(snake, "_hook"); ok && trimmed != "" {
		return trimmed
	}
	return snake
}

// snakeWords lower-cases s and joins its words (split at non-alphanumerics and at
// lower-to-upper case changes) with underscores.
func snakeWords(s string) string {
	var b strings.Builder
	prevLower, pendingSep := false, false
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			pendingSep = b.Len() > 0
			prevLower = false
			continue
		}
		if (pendingSep || (prevLower && unicode.IsUpper(r))) && b.Len() > 0 {
			b.WriteByte('_')
		}
		pendingSep = false
		prevLower = unicode.IsLower(r) || unicode.IsDigit(r)
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}
