package capture

import (
	"errors"
	"strconv"
	"strings"
	"unicode"
)

// ParseQuery reads the filter language the TUI's "/" field speaks, for example
// `route:stripe status:4xx verified:false "content-type: application/json" evt_1`:
// key:value pairs (a value may be quoted) and free text. Bare words and quoted strings are
// joined with one space into the free text. An unknown key, a bad value or an unterminated
// quote is an error that says what would be accepted.
func ParseQuery(query string) (Filter, error) {
	var f Filter
	var text []string
	toks, err := tokenize(query)
	if err != nil {
		return Filter{}, err
	}
	for _, t := range toks {
		if t.key == "" {
			text = append(text, t.value)
			continue
		}
		if t.value == "" {
			if err := (&Filter{}).clear(strings.ToLower(t.key)); err != nil {
				return Filter{}, err
			}
			return Filter{}, &FilterError{Key: t.key, Msg: t.key + ": needs a value, such as " + example(t.key)}
		}
		if err := f.Set(t.key, t.value); err != nil {
			return Filter{}, err
		}
	}
	if len(text) > 0 {
		if err := f.setText(strings.Join(text, " ")); err != nil {
			return Filter{}, err
		}
	}
	return f, nil
}

func example(key string) string {
	switch strings.ToLower(key) {
	case "status":
		return "status:401 or status:4xx"
	case "verified":
		return "verified:false"
	case "method":
		return "method:POST"
	case "source":
		return "source:tunnel"
	case "q", "text":
		return `q:"some text"`
	}
	return key + ":name"
}

type token struct {
	key, value string
}

var errUnterminated = &FilterError{Msg: `unterminated quote — close it with "`}

// tokenize splits a query into key:value pairs and text. A word is a key when what comes before
// its first colon is a name (letters, '-' or '_', starting with a letter); anything else with a
// colon in it (12:30), or a URL (https://…), is text.
func tokenize(s string) ([]token, error) {
	var toks []token
	for {
		s = strings.TrimLeftFunc(s, unicode.IsSpace)
		if s == "" {
			return toks, nil
		}
		if s[0] == '"' {
			v, rest, err := unquote(s)
			if err != nil {
				return nil, err
			}
			toks, s = append(toks, token{value: v}), rest
			continue
		}
		end := strings.IndexFunc(s, unicode.IsSpace)
		if end < 0 {
			end = len(s)
		}
		name, value, ok := strings.Cut(s[:end], ":")
		if !ok || !isKeyName(name) || strings.HasPrefix(value, "//") { // a URL is text
			toks, s = append(toks, token{value: s[:end]}), s[end:]
			continue
		}
		rest := s[len(name)+1:]
		if strings.HasPrefix(rest, `"`) {
			v, after, err := unquote(rest)
			if err != nil {
				return nil, err
			}
			toks, s = append(toks, token{key: name, value: v}), after
			continue
		}
		toks, s = append(toks, token{key: name, value: value}), s[end:]
	}
}

func isKeyName(s string) bool {
	if s == "" || !isASCIILetter(rune(s[0])) {
		return false
	}
	for _, r := range s {
		if !isASCIILetter(r) && r != '-' && r != '_' {
			return false
		}
	}
	return true
}

func isASCIILetter(r rune) bool { return ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') }

// unquote reads a "…" string at the start of s, with \" and \\ as escapes.
func unquote(s string) (string, string, error) {
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' && i+1 < len(s):
			i++
			b.WriteByte(s[i])
		case c == '"':
			return b.String(), s[i+1:], nil
		default:
			b.WriteByte(c)
		}
	}
	return "", "", errUnterminated
}

// Query writes f back in the filter language; ParseQuery(f.Query()) gives f again.
func (f Filter) Query() string {
	var parts []string
	add := func(k, v string) {
		if v != "" {
			parts = append(parts, k+":"+quoteIfNeeded(v))
		}
	}
	add("route", f.Route)
	add("event", f.Event)
	add("method", f.Method)
	if f.Status != 0 {
		add("status", strconv.Itoa(f.Status))
	}
	if f.StatusClass != 0 {
		add("status", strconv.Itoa(f.StatusClass)+"xx")
	}
	if f.Verified != nil {
		add("verified", strconv.FormatBool(*f.Verified))
	}
	add("source", string(f.Source))
	if f.Q != "" {
		parts = append(parts, quoteIfNeeded(f.Q))
	}
	return strings.Join(parts, " ")
}

func quoteIfNeeded(v string) string {
	if !strings.ContainsAny(v, ":\"\\ ") {
		return v
	}
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`)
	return `"` + r.Replace(v) + `"`
}

// IsFilterError reports whether err is a key or value the filter refused.
func IsFilterError(err error) bool {
	var fe *FilterError
	return errors.As(err, &fe)
}
