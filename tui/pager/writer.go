package pager

import (
	"strings"
	"unicode/utf8"

	"github.com/clipperhouse/displaywidth"
)

// reset ends a styled run; every line closes its own styles so lines can be drawn alone.
const reset = "\x1b[0m"

// Writer lays out text at a fixed width in one pass: it wraps at the width (hard, by cells),
// keeps a styled run's style across a wrap, indents continuation lines, and shows control
// characters as visible symbols so an untrusted body can never move the cursor or restyle the
// terminal. Work and memory are linear in the text's size.
type Writer struct {
	width  int
	b      strings.Builder
	start  int // where the current line starts in b
	text   Text
	col    int    // cells used on the current line
	indent int    // cells a wrapped continuation starts at
	cur    string // the style open on the current line ("" when none)
}

// chunkSize is the size a chunk is sealed at; a line never spans two chunks.
const chunkSize = 256 << 10

// NewWriter returns a Writer for lines of width cells; sizeHint is the expected output size.
func NewWriter(width, sizeHint int) *Writer {
	w := &Writer{width: max(width, 1)}
	w.b.Grow(min(sizeHint, chunkSize) + chunkSize/4)
	w.text.lines = make([]span, 0, sizeHint/max(width, 16)+8)
	return w
}

// Width is the width lines are laid out at.
func (w *Writer) Width() int { return w.width }

// Column is how many cells the current line holds.
func (w *Writer) Column() int { return w.col }

// blanks is where indents are cut from, so a wrap allocates nothing.
var blanks = strings.Repeat(" ", 256)

// SetIndent sets where the continuation of the current line starts when it wraps; it is
// capped at half the width so deep nesting cannot push text off the screen.
func (w *Writer) SetIndent(cells int) { w.indent = min(max(cells, 0), w.width/2, len(blanks)) }

// Blanks returns n spaces (at most 256) without allocating.
func Blanks(n int) string { return blanks[:min(max(n, 0), len(blanks))] }

// Newline ends the current line.
func (w *Writer) Newline() {
	w.endLine()
	if w.b.Len() >= chunkSize {
		w.seal()
		w.b.Grow(chunkSize + chunkSize/4)
	}
}

func (w *Writer) endLine() {
	w.closeStyle()
	w.text.lines = append(w.text.lines, span{uint32(len(w.text.chunks)), uint32(w.start), uint32(w.b.Len())})
	w.start = w.b.Len()
	w.col = 0
}

// seal keeps the chunk written so far and starts a new one.
func (w *Writer) seal() {
	w.text.chunks = append(w.text.chunks, w.b.String())
	w.text.bytes += w.b.Len()
	w.b = strings.Builder{}
	w.start = 0
}

// Write appends s in style (an SGR sequence, "" for none); a newline in s ends the line.
func (w *Writer) Write(s, style string) {
	for len(s) > 0 {
		c := s[0]
		switch {
		case c >= 0x20 && c < 0x7f:
			n := 1
			for n < len(s) && s[n] >= 0x20 && s[n] < 0x7f {
				n++
			}
			w.writeASCII(s[:n], style)
			s = s[n:]
		case c == '\n':
			w.Newline()
			s = s[1:]
		case c == '\r' && len(s) > 1 && s[1] == '\n':
			s = s[1:] // CRLF ends one line
		case c == '\t':
			w.writeASCII("    "[:4-w.col%4], style)
			s = s[1:]
		case c < 0x80:
			w.writeCluster(controlPicture(rune(c)), 1, style)
			s = s[1:]
		default:
			n := 1
			for n < len(s) && s[n] >= 0x80 {
				n++
			}
			w.writeUnicode(s[:n], style)
			s = s[n:]
		}
	}
}

func (w *Writer) writeASCII(s, style string) {
	for len(s) > 0 {
		room := w.width - w.col
		if room <= 0 {
			w.wrap()
			continue
		}
		take := min(room, len(s))
		w.emit(s[:take], take, style)
		s = s[take:]
	}
}

// writeUnicode walks s by grapheme cluster, so a wide character or an emoji sequence is never
// split across lines.
func (w *Writer) writeUnicode(s, style string) {
	g := displaywidth.StringGraphemes(s)
	for g.Next() {
		cluster, width := g.Value(), g.Width()
		if r, size := utf8.DecodeRuneInString(cluster); (r == utf8.RuneError && size <= 1) || (r >= 0x80 && r < 0xa0) {
			// Invalid bytes and C1 controls (a terminal may read U+009B as CSI) become U+FFFD.
			cluster, width = "\uFFFD", 1
		}
		w.writeCluster(cluster, width, style)
	}
}

func (w *Writer) writeCluster(cluster string, width int, style string) {
	if w.col+width > w.width && w.col > w.indent {
		w.wrap()
	}
	w.emit(cluster, width, style)
}

func (w *Writer) emit(s string, width int, style string) {
	if style != w.cur {
		w.closeStyle()
		w.b.WriteString(style)
		w.cur = style
	}
	w.b.WriteString(s)
	w.col += width
}

func (w *Writer) closeStyle() {
	if w.cur != "" {
		w.b.WriteString(reset)
		w.cur = ""
	}
}

// wrap continues the current line on the next one, at the indent.
func (w *Writer) wrap() {
	w.Newline()
	if w.indent > 0 {
		w.b.WriteString(blanks[:w.indent])
		w.col = w.indent
	}
}

// Text returns the laid-out lines. The Writer must not be used afterwards.
func (w *Writer) Text() *Text {
	w.endLine()
	w.seal()
	return &w.text
}

// controlPicture is the visible stand-in for a C0 control character or DEL: ␀ … ␟, ␡.
func controlPicture(r rune) string {
	if r == 0x7f {
		return "\u2421"
	}
	return string(rune(0x2400) + r)
}
