package bodyview

import (
	"context"

	"github.com/hooktap/hooktap/tui/pager"
)

// indentStep is the indent of one nesting level.
const indentStep = 2

// writeJSON indents and colours valid JSON in one pass over its bytes (encoding/json's Indent
// followed by a lexer would walk it twice and allocate the indented copy). Keys, strings,
// numbers, literals and punctuation each get their palette entry; a string longer than the line
// continues under its own indent.
func writeJSON(ctx context.Context, w *pager.Writer, s string, p palette) error {
	depth := 0
	newline := func() {
		w.Newline()
		w.Write(pager.Blanks(depth*indentStep), "")
		w.SetIndent(depth*indentStep + indentStep)
	}
	next := checkEvery
	for i := 0; i < len(s); {
		if i >= next {
			if err := ctx.Err(); err != nil {
				return err
			}
			next = i + checkEvery
		}
		c := s[i]
		switch c {
		case ' ', '\t', '\n', '\r':
			i++
		case '{', '[':
			if j := skipSpace(s, i+1); j < len(s) && s[j] == closer(c) {
				w.Write(s[i:i+1], p.punct)
				w.Write(s[j:j+1], p.punct)
				i = j + 1
				continue
			}
			w.Write(s[i:i+1], p.punct)
			depth++
			newline()
			i++
		case '}', ']':
			depth--
			newline()
			w.Write(s[i:i+1], p.punct)
			i++
		case ',':
			w.Write(",", p.punct)
			newline()
			i++
		case ':':
			w.Write(": ", p.punct)
			i++
		case '"':
			j := stringEnd(s, i)
			style := p.str
			if k := skipSpace(s, j); k < len(s) && s[k] == ':' {
				style = p.key
			}
			w.Write(s[i:j], style)
			i = j
		default:
			j := i
			for j < len(s) && !isDelim(s[j]) {
				j++
			}
			style := p.keyword
			if c == '-' || (c >= '0' && c <= '9') {
				style = p.number
			}
			w.Write(s[i:j], style)
			i = j
		}
	}
	return nil
}

func closer(open byte) byte {
	if open == '{' {
		return '}'
	}
	return ']'
}

func skipSpace(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
		i++
	}
	return i
}

// stringEnd returns the index just past the string starting at the quote s[i].
func stringEnd(s string, i int) int {
	for j := i + 1; j < len(s); j++ {
		switch s[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return len(s)
}

func isDelim(c byte) bool {
	switch c {
	case ',', '}', ']', ':', ' ', '\t', '\n', '\r':
		return true
	}
	return false
}
