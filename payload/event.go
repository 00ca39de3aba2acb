package payload

import (
	"net/http"
	"strings"
	"unicode"

	"github.com/tidwall/gjson"
)

// EventType names the event: provider headers first (X-GitHub-Event, X-Gitlab-Event snake-cased
// without " Hook", X-Event-Type, X-Event-Key, X-Shopify-Topic), then the path's event (tenant
// form), then the body's "type", "event" or "event_type" string. d may be nil: headers only.
func EventType(h http.Header, pathEvent string, d *Doc) string {
	if e := headerEvent(h, pathEvent); e != "" {
		return e
	}
	for _, key := range []string{"type", "event", "event_type"} {
		if s, kind := d.topField(key); kind == gjson.String && s != "" {
			return s
		}
	}
	return ""
}

// headerEvent is the event named by the provider's headers, else by the path.
func headerEvent(h http.Header, pathEvent string) string {
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
	return pathEvent
}

// DeliveryID finds the provider's delivery id in the headers, else the body's "id" or
// "event_id" (a string or a number, as written). d may be nil: headers only.
func DeliveryID(h http.Header, d *Doc) string {
	if id := headerDeliveryID(h); id != "" {
		return id
	}
	for _, key := range []string{"id", "event_id"} {
		if id, kind := d.topField(key); (kind == gjson.String && id != "") || kind == gjson.Number {
			return id
		}
	}
	return ""
}

// headerDeliveryID is the delivery id in the provider's headers, or "".
func headerDeliveryID(h http.Header) string {
	for _, name := range []string{"X-GitHub-Delivery", "X-Gitlab-Event-UUID", "webhook-id", "svix-id",
		"X-Request-ID", "Idempotency-Key", "X-Shopify-Webhook-Id", "X-Request-UUID"} {
		if id := h.Get(name); id != "" {
			return id
		}
	}
	return ""
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
