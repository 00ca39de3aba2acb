// Package payload reads webhook bodies for the gateway's templates (docs/templates.md): dot paths
// into JSON or form bodies, event types and delivery ids from headers or the body. A JSON body is
// checked once and then read in place, so a template that names three fields costs three
// lookups, not a decode of the whole body.
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

// mediaType is the lower-cased media type of a Content-Type value. The common case, a type
// without parameters, costs no allocation; anything with parameters goes through the MIME parser.
func mediaType(contentType string) string {
	if !strings.ContainsAny(contentType, ";\"") {
		return strings.ToLower(strings.TrimSpace(contentType))
	}
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		mt = strings.ToLower(strings.TrimSpace(strings.Split(contentType, ";")[0]))
	}
	return mt
}

// isJSONType accepts application/json and the +json family (application/vnd.api+json, …).
func isJSONType(mt string) bool {
	return mt == "application/json" || mt == "text/json" || strings.HasSuffix(mt, "+json")
}

// sniffsAsJSON is true for a body that starts like a JSON object or array: providers and curl
// users often omit or mislabel the type of a JSON body.
func sniffsAsJSON(body []byte) bool {
	t := bytes.TrimSpace(body)
	return len(t) > 0 && (t[0] == '{' || t[0] == '[')
}

// decodeJSON decodes exactly one JSON value into a tree with numbers kept as written. Only
// values a template prints whole (nested objects and arrays) are decoded this way.
func decodeJSON(text string) (any, bool) {
	dec := json.NewDecoder(strings.NewReader(text))
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

// formTree turns form fields into map[string]any of strings, or []any of strings for a field
// given more than once.
func formTree(vals url.Values) map[string]any {
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
	return m
}

// wrappedJSON returns the JSON text of a form whose only field is one "payload" holding a JSON
// object or array — GitHub's form-encoded webhooks, Slack's interactivity.
func wrappedJSON(vals url.Values) (string, bool) {
	p := vals["payload"]
	if len(vals) != 1 || len(p) != 1 {
		return "", false
	}
	t := strings.TrimSpace(p[0])
	if t == "" || (t[0] != '{' && t[0] != '[') {
		return "", false
	}
	return p[0], true
}

// lookupTree follows a dot path ("items.0.name") through a decoded tree; numeric segments index
// arrays. An empty path is the value itself.
func lookupTree(v any, path string) (any, bool) {
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
			i, ok := arrayIndex(seg, len(node))
			if !ok {
				return nil, false
			}
			v = node[i]
		default:
			return nil, false
		}
	}
	return v, true
}

// arrayIndex reads a path segment as an index into an array of n elements: decimal digits as
// strconv.Itoa would write them ("1", never "01", "+1" or "-0"), below n.
func arrayIndex(seg string, n int) (int, bool) {
	if seg == "" || seg[0] == '+' || seg[0] == '-' || (seg[0] == '0' && len(seg) > 1) {
		return 0, false
	}
	i, err := strconv.Atoi(seg)
	if err != nil || i >= n {
		return 0, false
	}
	return i, true
}
