// Package payload parses webhook bodies and renders the gateway's templates (docs/templates.md):
// dot paths into JSON or form bodies, event types and delivery ids from headers or the body.
package payload

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"net/url"
	"strconv"
	"strings"
)

// Parse decodes a body by content type: JSON (object, array or scalar; numbers kept as
// json.Number) or application/x-www-form-urlencoded (fields as strings; a repeated field becomes
// a list). Anything else, or a body that does not parse, gives ok=false.
func Parse(contentType string, body []byte) (v any, ok bool) {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		mt = strings.ToLower(strings.TrimSpace(strings.Split(contentType, ";")[0]))
	}
	switch {
	case mt == "application/x-www-form-urlencoded":
		return parseForm(body)
	case isJSONType(mt):
		return parseJSON(body)
	case mt == "" || mt == "text/plain" || mt == "application/octet-stream":
		// Providers and curl users often omit or mislabel the type of a JSON body.
		if t := bytes.TrimSpace(body); len(t) > 0 && (t[0] == '{' || t[0] == '[') {
			return parseJSON(body)
		}
	}
	return nil, false
}

// isJSONType accepts application/json and the +json family (application/vnd.api+json, …).
func isJSONType(mt string) bool {
	return mt == "application/json" || mt == "text/json" || strings.HasSuffix(mt, "+json")
}

// parseJSON decodes exactly one JSON value with numbers kept as written.
func parseJSON(body []byte) (any, bool) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, false
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, false
	}
	return v, true
}

// parseForm decodes a form body into map[string]any of strings or []any of strings. A form that
// is only a JSON "payload" field — GitHub's form-encoded webhooks, Slack's interactivity — is that
// JSON: templates and event types read the provider's payload, as they would from a JSON body.
func parseForm(body []byte) (any, bool) {
	vals, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, false
	}
	if inner, ok := wrappedJSON(vals); ok {
		return inner, true
	}
	m := make(map[string]any, len(vals))
	for k, vs := range vals {
		if len(vs) == 1 {
			m[k] = vs[0]
			continue
		}
		list := make([]any, len(vs))
		for i, s := range vs {
			list[i] = s
		}
		m[k] = list
	}
	return m, true
}

// wrappedJSON returns the JSON object or array in a form whose only field is one "payload".
func wrappedJSON(vals url.Values) (any, bool) {
	p := vals["payload"]
	if len(vals) != 1 || len(p) != 1 {
		return nil, false
	}
	t := strings.TrimSpace(p[0])
	if t == "" || (t[0] != '{' && t[0] != '[') {
		return nil, false
	}
	return parseJSON([]byte(p[0]))
}

// Lookup follows a dot path ("items.0.name"); numeric segments index arrays. An empty path is
// the value itself.
func Lookup(v any, path string) (any, bool) {
	if path == "" {
		return v, true
	}
	for seg := range strings.SplitSeq(path, ".") {
		switch node := v.(type) {
		case map[string]any:
			next, ok := node[seg]
			if !ok {
				return nil, false
			}
			v = next
		case []any:
			i, err := strconv.Atoi(seg)
			if err != nil || i < 0 || i >= len(node) || strconv.Itoa(i) != seg {
				return nil, false
			}
			v = node[i]
		default:
			return nil, false
		}
	}
	return v, true
}
