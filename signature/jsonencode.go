package signature

import (
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"

	"github.com/hooktap/hooktap/internal/orderedjson"
)

// encOpts select how a re-serialiser writes JSON.
type encOpts struct {
	indent   string // "" = compact
	sortKeys bool   // Go maps, Python sort_keys
	html     bool   // Go: \u003c \u003e \u0026 \u2028 \u2029
	ascii    bool   // Python ensure_ascii: every non-ASCII rune as \uXXXX
	spaced   bool   // Python's ", " and ": " separators; numbers kept as written
}

// encodeOrdered writes a tree from orderedjson.Decode.
func encodeOrdered(b *capBuffer, v any, o encOpts, depth int) {
	if b.full {
		return
	}
	switch x := v.(type) {
	case *orderedjson.Object:
		encodeObject(b, x, o, depth)
	case []any:
		encodeArray(b, x, o, depth)
	case string:
		writeJSONString(b, x, o)
	case json.Number:
		if o.spaced {
			b.WriteString(string(x))
		} else {
			b.WriteString(jsNumber(x))
		}
	case bool:
		b.WriteString(strconv.FormatBool(x))
	default:
		b.WriteString("null")
	}
}

func encodeObject(b *capBuffer, obj *orderedjson.Object, o encOpts, depth int) {
	if len(obj.Keys) == 0 {
		b.WriteString("{}")
		return
	}
	order := make([]int, len(obj.Keys))
	for i := range order {
		order[i] = i
	}
	if o.sortKeys {
		slices.SortStableFunc(order, func(a, c int) int { return strings.Compare(obj.Keys[a], obj.Keys[c]) })
	}
	_ = b.WriteByte('{')
	for n, i := range order {
		if b.full {
			return
		}
		separator(b, o, n, depth+1)
		writeJSONString(b, obj.Keys[i], o)
		_ = b.WriteByte(':')
		if o.indent != "" || o.spaced {
			_ = b.WriteByte(' ')
		}
		encodeOrdered(b, obj.Vals[i], o, depth+1)
	}
	newline(b, o, depth)
	_ = b.WriteByte('}')
}

func encodeArray(b *capBuffer, arr []any, o encOpts, depth int) {
	if len(arr) == 0 {
		b.WriteString("[]")
		return
	}
	_ = b.WriteByte('[')
	for n, v := range arr {
		if b.full {
			return
		}
		separator(b, o, n, depth+1)
		encodeOrdered(b, v, o, depth+1)
	}
	newline(b, o, depth)
	_ = b.WriteByte(']')
}

// separator writes what goes before the n-th member.
func separator(b *capBuffer, o encOpts, n, depth int) {
	if n > 0 {
		_ = b.WriteByte(',')
		if o.spaced && o.indent == "" {
			_ = b.WriteByte(' ')
		}
	}
	newline(b, o, depth)
}

func newline(b *capBuffer, o encOpts, depth int) {
	if o.indent == "" {
		return
	}
	lineBreak(b, o.indent, depth)
}

var shortEscapes = map[rune]string{'"': `\"`, '\\': `\\`, '\n': `\n`, '\r': `\r`, '\t': `\t`, '\b': `\b`, '\f': `\f`}

func writeJSONString(b *capBuffer, s string, o encOpts) {
	_ = b.WriteByte('"')
	for _, r := range s {
		if esc, ok := shortEscapes[r]; ok {
			b.WriteString(esc)
			continue
		}
		switch {
		case r < 0x20,
			o.html && (r == '<' || r == '>' || r == '&' || r == 0x2028 || r == 0x2029),
			o.ascii && r >= 0x80 && r <= 0xFFFF:
			writeUnicodeEscape(b, r)
		case o.ascii && r > 0xFFFF:
			r1, r2 := utf16.EncodeRune(r)
			writeUnicodeEscape(b, r1)
			writeUnicodeEscape(b, r2)
		default:
			b.WriteRune(r)
		}
	}
	_ = b.WriteByte('"')
}

func writeUnicodeEscape(b *capBuffer, r rune) {
	const hexDigits = "0123456789abcdef"
	b.WriteString(`\u`)
	for shift := 12; shift >= 0; shift -= 4 {
		_ = b.WriteByte(hexDigits[(r>>uint(shift))&0xF])
	}
}

// jsNumber writes a number as JavaScript's Number#toString would after JSON.parse.
func jsNumber(n json.Number) string {
	s := string(n)
	if !strings.ContainsAny(s, ".eE") {
		if i, err := strconv.ParseInt(s, 10, 64); err == nil && i <= 1<<53 && i >= -(1<<53) {
			return s
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) {
		return s
	}
	if abs := math.Abs(f); abs != 0 && (abs >= 1e21 || abs < 1e-6) {
		e := strconv.FormatFloat(f, 'e', -1, 64)
		mant, exp, _ := strings.Cut(e, "e")
		sign, digits := exp[:1], strings.TrimLeft(exp[1:], "0")
		return mant + "e" + sign + digits
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}
