// Package pager shows a long document a screen at a time. A document is laid out once, at one
// width, into lines no wider than it (a Text built by a Writer) or computed line by line on
// demand (any Lines); the pager then draws only the lines on screen, so a key costs the same
// for a 1 MiB body as for a small one.
package pager

import "strings"

// Lines is a document laid out as screen lines, none wider than the width it was laid out at.
type Lines interface {
	Len() int
	Line(i int) string
}

// Text is a laid-out document held in a few large strings (chunks) and the place of each line
// in them: a handful of allocations however many lines it has, and no copying as it grows.
type Text struct {
	chunks []string
	lines  []span
	bytes  int
}

// span is where one line lies: chunk index and byte range.
type span struct{ chunk, start, end uint32 }

// Len is the number of lines.
func (t *Text) Len() int {
	if t == nil {
		return 0
	}
	return len(t.lines)
}

// Line returns line i (0-based) without its newline.
func (t *Text) Line(i int) string {
	s := t.lines[i]
	return t.chunks[s.chunk][s.start:s.end]
}

// Bytes is the memory the text holds, for cache accounting.
func (t *Text) Bytes() int {
	if t == nil {
		return 0
	}
	return t.bytes + 12*len(t.lines)
}

// String returns the whole text, lines joined by newlines.
func (t *Text) String() string {
	if t == nil {
		return ""
	}
	var b strings.Builder
	for i := range t.lines {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(t.Line(i))
	}
	return b.String()
}

// Plain lays out s, already fitted to its width, as a Text: one line per newline.
func Plain(s string) *Text {
	t := &Text{chunks: []string{s}, lines: make([]span, 0, strings.Count(s, "\n")+1), bytes: len(s)}
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			t.lines = append(t.lines, span{0, uint32(start), uint32(i)})
			start = i + 1
		}
	}
	t.lines = append(t.lines, span{0, uint32(start), uint32(len(s))})
	return t
}

// Concat is the lines of each part in turn.
func Concat(parts ...Lines) Lines {
	var c concat
	for _, p := range parts {
		if p != nil && p.Len() > 0 {
			c.parts = append(c.parts, p)
			c.n += p.Len()
		}
	}
	return &c
}

type concat struct {
	parts []Lines
	n     int
}

func (c *concat) Len() int { return c.n }

func (c *concat) Line(i int) string {
	for _, p := range c.parts {
		if i < p.Len() {
			return p.Line(i)
		}
		i -= p.Len()
	}
	return ""
}

// Size is the memory a document holds when it says (a Text), else a small constant: computed
// documents (hex) keep only their source.
func Size(l Lines) int {
	if s, ok := l.(interface{ Bytes() int }); ok {
		return s.Bytes()
	}
	return 64
}
