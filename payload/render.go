package payload

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"unicode"
)

// Cut lengths of rendered templates, in characters (runes): a whole payload and one value.
const (
	RawLimit   = 4000
	ValueLimit = 2000
)

// Render fills a route template from the body: {a.b}, {{a.b}} and {{event.a.b}} insert values,
// {__raw__} the whole payload as indented JSON cut at RawLimit; missing paths stay literal; an
// empty template renders the whole payload uncut. A nil Doc renders like a body that is not JSON.
func (d *Doc) Render(tmpl string) string {
	if tmpl == "" {
		return d.whole(-1)
	}
	return fillTemplate(tmpl, d.expand)
}

// expand gives the text for one placeholder, or its literal text when the path is missing.
func (d *Doc) expand(literal, path string, double bool) string {
	if path == "__raw__" {
		return d.whole(RawLimit)
	}
	if text, ok := resolveEvent(path, double, d.lookup); ok {
		return text
	}
	return literal
}

// fillTemplate copies tmpl, replacing each placeholder with what expand gives for its literal
// text, its path and whether it was written with double braces.
func fillTemplate(tmpl string, expand func(literal, path string, double bool) string) string {
	var b strings.Builder
	b.Grow(len(tmpl) + 32)
	for i := 0; i < len(tmpl); {
		j := strings.IndexByte(tmpl[i:], '{')
		if j < 0 {
			b.WriteString(tmpl[i:])
			break
		}
		b.WriteString(tmpl[i : i+j])
		i += j
		literal, path, double := placeholder(tmpl[i:])
		if literal == "" {
			b.WriteByte('{')
			i++
			continue
		}
		b.WriteString(expand(literal, path, double))
		i += len(literal)
	}
	return b.String()
}

// placeholder finds the placeholder at the start of s (which begins with '{'): its literal text
// and path, or "" when s does not start with a valid one.
func placeholder(s string) (literal, path string, double bool) {
	if strings.HasPrefix(s, "{{") {
		if end := strings.Index(s, "}}"); end > 2 {
			if path := strings.TrimSpace(s[2:end]); validPath(path) {
				return s[:end+2], path, true
			}
		}
	}
	end := strings.IndexByte(s, '}')
	if end <= 1 || !validPath(s[1:end]) {
		return "", "", false
	}
	return s[:end+1], s[1:end], false
}

// resolveEvent looks a path up, treating a leading "event." as the payload root. The
// double-brace form prefers that reading; the single-brace form prefers a literal "event" key.
func resolveEvent[T any](path string, double bool, lookup func(string) (T, bool)) (T, bool) {
	rest, hasEvent := strings.CutPrefix(path, "event.")
	if path == "event" {
		rest, hasEvent = "", true
	}
	if !hasEvent {
		return lookup(path)
	}
	first, second := path, rest
	if double {
		first, second = rest, path
	}
	if v, ok := lookup(first); ok {
		return v, true
	}
	return lookup(second)
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

// valueText formats a decoded value: strings as-is, scalars as JSON, objects and arrays as
// compact JSON cut at ValueLimit characters.
func valueText(val any) string {
	switch x := val.(type) {
	case string:
		return x
	case json.Number:
		return x.String()
	case bool:
		return strconv.FormatBool(x)
	case nil:
		return "null"
	}
	return Cut(marshal(val, ""), ValueLimit)
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
