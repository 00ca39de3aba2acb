package payload

// The tree decoder the gateway used before Doc read values straight from the bytes, kept as the
// oracle for the differential tests: every template, event type and delivery id must come out
// the same from both. Template scanning, path syntax and value formatting are shared with Doc;
// what is kept here is what Doc replaced — decoding the whole body into maps, and looking paths
// up in them.

import (
	"bytes"
	"encoding/json"
	"mime"
	"net/http"
	"net/url"
	"strings"
)

// refParse decodes a body by content type into a tree: JSON (numbers kept as json.Number) or a
// form (fields as strings; a repeated field becomes a list; a lone JSON "payload" field is that
// JSON). Anything else, or a body that does not parse, gives ok=false.
func refParse(contentType string, body []byte) (v any, ok bool) {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		mt = strings.ToLower(strings.TrimSpace(strings.Split(contentType, ";")[0]))
	}
	switch {
	case mt == "application/x-www-form-urlencoded":
		return refParseForm(body)
	case isJSONType(mt):
		return refParseJSON(body)
	case mt == "" || mt == "text/plain" || mt == "application/octet-stream":
		if t := bytes.TrimSpace(body); len(t) > 0 && (t[0] == '{' || t[0] == '[') {
			return refParseJSON(body)
		}
	}
	return nil, false
}

// refParseJSON decodes exactly one JSON value with numbers kept as written.
func refParseJSON(body []byte) (any, bool) { return decodeJSON(string(body)) }

func refParseForm(body []byte) (any, bool) {
	vals, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, false
	}
	if inner, ok := wrappedJSON(vals); ok {
		if v, ok := refParseJSON([]byte(inner)); ok {
			return v, true
		}
	}
	return formTree(vals), true
}

// refRender fills a template from the tree v (nil when the body did not parse) and the raw body.
func refRender(tmpl string, v any, raw []byte) string {
	if tmpl == "" {
		return refWholePayload(v, raw, -1)
	}
	return fillTemplate(tmpl, func(literal, path string, double bool) string {
		if path == "__raw__" {
			return refWholePayload(v, raw, RawLimit)
		}
		if v == nil {
			return literal
		}
		val, ok := resolveEvent(path, double, func(p string) (any, bool) { return lookupTree(v, p) })
		if !ok {
			return literal
		}
		return valueText(val)
	})
}

// refWholePayload is the payload as indented JSON (the raw JSON body re-indented), or the body
// text when it is neither JSON nor form; limit < 0 means no cut.
func refWholePayload(v any, raw []byte, limit int) string {
	var s string
	switch {
	case v == nil:
		s = strings.ToValidUTF8(string(raw), "\uFFFD")
	default:
		var buf bytes.Buffer
		if err := json.Indent(&buf, bytes.TrimSpace(raw), "", "  "); err == nil {
			s = buf.String()
		} else {
			s = marshal(v, "  ")
		}
	}
	if limit < 0 {
		return s
	}
	return Cut(s, limit)
}

// refEventType: headers, then the tree's "type", "event" or "event_type" string.
func refEventType(h http.Header, pathEvent string, v any) string {
	if e := headerEvent(h, pathEvent); e != "" {
		return e
	}
	for _, key := range []string{"type", "event", "event_type"} {
		if s, ok := refField(v, key).(string); ok && s != "" {
			return s
		}
	}
	return ""
}

// refDeliveryID: headers, then the tree's "id" or "event_id", a string or a number.
func refDeliveryID(h http.Header, v any) string {
	if id := headerDeliveryID(h); id != "" {
		return id
	}
	for _, key := range []string{"id", "event_id"} {
		switch id := refField(v, key).(type) {
		case string:
			if id != "" {
				return id
			}
		case json.Number:
			return id.String()
		}
	}
	return ""
}

func refField(v any, key string) any {
	if m, ok := v.(map[string]any); ok {
		return m[key]
	}
	return nil
}
