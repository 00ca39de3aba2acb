package payload

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"unicode"
)

// Cut lengths of rendered templates, in characters (runes): a whole payload and one value.
const (
	RawLimit   = 4000
	ValueLimit = 2000
)

// Render fills a route template from the parsed payload v (nil when the body did not parse) and
// the raw body: {a.b}, {{a.b}} and {{event.a.b}} insert values, {__raw__} the whole payload as
// indented JSON; missing paths stay literal; an empty template renders the whole payload.
func Render(tmpl string, v any, raw []byte) string {
	if tmpl == "" {
		return wholePayload(v, raw, -1)
	}
	var b strings.Builder
	b.Grow(len(tmpl))
	for i := 0; i < len(tmpl); {
		j := strings.IndexByte(tmpl[i:], '{')
		if j < 0 {
			b.WriteString(tmpl[i:])
			break
		}
		b.WriteString(tmpl[i : i+j])
		i += j
		n := placeholder(&b, tmpl[i:], v, raw)
		if n == 0 {
			b.WriteByte('{')
			n = 1
		}
		i += n
	}
	return b.String()
}

// placeholder expands the placeholder at the start of s (which begins with '{') and returns how
// many bytes it consumed, or 0 when s does not start with a valid placeholder.
func placeholder(b *strings.Builder, s string, v any, raw []byte) int {
	if strings.HasPrefix(s, "{{") {
		if end := strings.Index(s, "}}"); end > 2 {
			path := strings.TrimSpace(s[2:end])
			if validPath(path) {
				b.WriteString(expand(s[:end+2], path, true, v, raw))
				return end + 2
			}
		}
	}
	end := strings.IndexByte(s, '}')
	if end <= 1 || !validPath(s[1:end]) {
		return 0
	}
	b.WriteString(expand(s[:end+1], s[1:end], false, v, raw))
	return end + 1
}

// expand gives the text for one placeholder, or its literal text when the path is missing.
func expand(literal, path string, double bool, v any, raw []byte) string {
	if path == "__raw__" {
		return wholePayload(v, raw, RawLimit)
	}
	if v == nil {
		return literal
	}
	val, ok := resolve(v, path, double)
	if !ok {
		return literal
	}
	return valueText(val)
}

// resolve looks a path up, treating a leading "event." as the payload root. The
// double-brace form prefers that reading; the single-brace form prefers a literal "event" key.
func resolve(v any, path string, double bool) (any, bool) {
	rest, hasEvent := strings.CutPrefix(path, "event.")
	if path == "event" {
		rest, hasEvent = "", true
	}
	if !hasEvent {
		return Lookup(v, path)
	}
	first, second := path, rest
	if double {
		first, second = rest, path
	}
	if val, ok := Lookup(v, first); ok {
		return val, true
	}
	return Lookup(v, second)
}

// validPath accepts dot-separated segments of letters, digits, '_', '-', '@' and '$', so JSON
// or prose in braces is left alone.
func validPath(p string) bool {
	if p == "" {
		return false
	}
	for seg := range strings.SplitSeq(p, ".") {
		if seg == "" {
			return false
		}
		for _, r := range seg {
			if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune("_-@$", r) {
				return false
			}
		}
	}
	return true
}

// valueText formats a looked-up value: strings as-is, scalars as JSON, objects and arrays as
// compact JSON cut at ValueLimit characters.
func valueText(val any) string {
	switch x := val.(type) {
	case string:
		return x
	case json.Number:
		return x.String()
	case float64:
		return formatFloat(x)
	case bool:
		return strconv.FormatBool(x)
	case nil:
		return "null"
	}
	return Cut(marshal(val, ""), ValueLimit)
}

// wholePayload is the payload as indented JSON (the raw JSON body re-indented so key order and
// numbers survive), or the body text when it is neither JSON nor form; limit < 0 means no cut.
func wholePayload(v any, raw []byte, limit int) string {
	var s string
	switch {
	case v == nil:
		s = strings.ToValidUTF8(string(raw), "\uFFFD")
	default:
		var buf bytes.Buffer
		if err := json.Indent(&buf, bytes.TrimSpace(raw), "", "  "); err == nil {
			s = buf.String()
		} else {
			s = marshal(v, "  ") // a form body, or a caller that passed no raw JSON
		}
	}
	if limit < 0 {
		return s
	}
	return Cut(s, limit)
}

// marshal encodes v as JSON without HTML escaping (the text goes to chat, not a web page).
func marshal(v any, indent string) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", indent)
	if err := enc.Encode(v); err != nil {
		return ""
	}
	return strings.TrimSuffix(buf.String(), "\n")
}

// formatFloat writes a float the way JSON would, without exponent notation for integers.
func formatFloat(f float64) string {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return "null"
	}
	if f == math.Trunc(f) && math.Abs(f) < 1e21 {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}

// Cut shortens s to at most n characters (runes), never splitting a UTF-8 sequence.
func Cut(s string, n int) string {
	if n < 0 {
		return ""
	}
	if len(s) <= n {
		return s
	}
	count := 0
	for i := range s {
		if count == n {
			return s[:i]
		}
		count++
	}
	return s
}
