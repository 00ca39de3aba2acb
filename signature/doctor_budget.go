package signature

import (
	"strings"
	"unicode/utf8"
)

// The doctor's work is bounded by construction: every candidate it tries costs MAC work
// proportional to the bytes it hashes, and every body variant it builds is written into a
// buffer that refuses to grow past a cap. A hostile body (1 MiB of compact JSON, 32 000 nested
// arrays) therefore costs a known, small amount of memory and time whatever its shape.
const (
	// doctorMaxBody is the largest body the doctor diagnoses; a larger one keeps its verdict
	// with a finding that says it was too large to diagnose.
	doctorMaxBody = 1 << 20
	// doctorMaxDepth is the deepest JSON nesting re-serialised; real webhook payloads stay
	// far below it, while pretty-printing costs grow with the square of the depth.
	doctorMaxDepth = 64
	// doctorWorkBudget is how many bytes all candidates together may feed to a MAC: on a
	// 1 MiB body, about twenty candidates (~25 ms); on a typical few-KB body, every one of them.
	doctorWorkBudget = 24 << 20
	// variantMaxBytes caps one re-serialised body variant.
	variantMaxBytes = 4 << 20
)

// Finding codes for a diagnosis the doctor declined or cut short.
const (
	FindBodyTooLarge = "body_too_large_to_diagnose"
	FindBodyTooDeep  = "body_too_deep_to_diagnose"
)

// variantCap is the most bytes a variant of a body of n bytes may take: whitespace changes at
// most a few times the size of any real payload.
func variantCap(n int) int { return min(max(4*n, 64<<10), variantMaxBytes) }

// spend reserves the cost of hashing n bytes once per secret; false (and nothing spent) when
// the remaining budget cannot pay for it.
func (d *doctor) spend(n, secrets int) bool {
	cost := (n + 256) * max(secrets, 1)
	if d.exhausted || d.spent+cost > doctorWorkBudget {
		d.exhausted = true
		return false
	}
	d.spent += cost
	return true
}

// canAfford reports whether one more candidate over the received body still fits the budget.
func (d *doctor) canAfford() bool {
	return !d.exhausted && d.spent+len(d.req.Body)+256 <= doctorWorkBudget
}

// reportLimits says, once, which cap stopped the diagnosis short.
func (d *doctor) reportLimits() {
	if d.exhausted {
		d.add(FindBodyTooLarge, "the body ("+itoa(len(d.req.Body))+" bytes) is too large to try every explanation: "+
			"the doctor stopped after its work budget; the explanations above are the ones it had time to check")
	}
	if d.tooDeep {
		d.add(FindBodyTooDeep, "the JSON body nests deeper than "+itoa(doctorMaxDepth)+
			" levels: too deep to diagnose re-serialised variants, which were not tried")
	}
}

// jsonDeeperThan reports whether body nests arrays and objects deeper than limit, in one pass
// without allocating (brackets inside strings do not count).
func jsonDeeperThan(body []byte, limit int) bool {
	var str stringState
	depth := 0
	for _, c := range body {
		if !str.structural(c) {
			continue
		}
		switch c {
		case '[', '{':
			depth++
			if depth > limit {
				return true
			}
		case ']', '}':
			depth--
		}
	}
	return false
}

// stringState follows a byte-by-byte JSON scan in and out of string literals, so brackets,
// commas and colons inside strings are not taken for structure.
type stringState struct{ in, escaped bool }

// structural feeds c to the scan and reports whether it stands outside every string: quotes
// and escaped characters are not structural.
func (s *stringState) structural(c byte) bool {
	switch {
	case s.in:
		switch {
		case s.escaped:
			s.escaped = false
		case c == '\\':
			s.escaped = true
		case c == '"':
			s.in = false
		}
		return false
	case c == '"':
		s.in = true
		return false
	}
	return true
}

// capBuffer is a byte buffer that stops accepting writes once they would pass max, so building
// a variant costs at most max bytes however the input is shaped.
type capBuffer struct {
	buf  []byte
	max  int
	full bool
}

func newCapBuffer(max, hint int) *capBuffer {
	return &capBuffer{buf: make([]byte, 0, min(hint, max)), max: max}
}

func (b *capBuffer) room(n int) bool {
	if b.full || len(b.buf)+n > b.max {
		b.full = true
		return false
	}
	return true
}

// WriteByte appends c unless the cap is reached.
func (b *capBuffer) WriteByte(c byte) error {
	if b.room(1) {
		b.buf = append(b.buf, c)
	}
	return nil
}

// WriteString appends s unless the cap is reached.
func (b *capBuffer) WriteString(s string) {
	if b.room(len(s)) {
		b.buf = append(b.buf, s...)
	}
}

// WriteRune appends r in UTF-8 unless the cap is reached.
func (b *capBuffer) WriteRune(r rune) {
	if b.room(4) {
		b.buf = utf8.AppendRune(b.buf, r)
	}
}

// indentJSON pretty-prints compact, valid JSON the way json.Indent does (empty containers
// stay "[]" and "{}", ": " after keys), writing into a capped buffer; ok is false when the
// result would pass max.
func indentJSON(compact []byte, indent string, max int) (out []byte, ok bool) {
	size, fits := indentedSize(compact, len(indent), max)
	if !fits {
		return nil, false // measured without building: nothing is allocated for a variant too large
	}
	b := newCapBuffer(max, size)
	depth, inString, escaped := 0, false, false
	for i := 0; i < len(compact) && !b.full; i++ {
		c := compact[i]
		if inString {
			_ = b.WriteByte(c)
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
			continue
		}
		switch c {
		case '"':
			inString = true
			_ = b.WriteByte(c)
		case '[', '{':
			_ = b.WriteByte(c)
			if i+1 < len(compact) && (compact[i+1] == ']' || compact[i+1] == '}') {
				_ = b.WriteByte(compact[i+1])
				i++
				continue
			}
			depth++
			lineBreak(b, indent, depth)
		case ']', '}':
			depth--
			lineBreak(b, indent, depth)
			_ = b.WriteByte(c)
		case ',':
			_ = b.WriteByte(c)
			lineBreak(b, indent, depth)
		case ':':
			b.WriteString(": ")
		default:
			_ = b.WriteByte(c)
		}
	}
	return b.buf, !b.full
}

// lineBreaks holds a newline and the indentation of every depth up to the cap, for each indent a
// variant uses, so a line break is one append rather than one per level.
var lineBreaks = map[string]string{}

func init() {
	for _, ind := range []string{"  ", "    "} {
		lineBreaks[ind] = "\n" + strings.Repeat(ind, doctorMaxDepth+1)
	}
}

func lineBreak(b *capBuffer, indent string, depth int) {
	n := 1 + depth*len(indent)
	if !b.room(n) {
		return
	}
	if pre := lineBreaks[indent]; n <= len(pre) {
		b.buf = append(b.buf, pre[:n]...)
		return
	}
	b.buf = append(b.buf, '\n')
	for range depth {
		b.buf = append(b.buf, indent...)
	}
}

// indentedSize is the length indentJSON's output will have, counted in one pass without
// allocating; it stops as soon as the count passes max.
func indentedSize(compact []byte, indent, max int) (int, bool) {
	var str stringState
	size, depth := 0, 0
	for i := 0; i < len(compact); i++ {
		c := compact[i]
		size++
		switch {
		case !str.structural(c):
		case (c == '[' || c == '{') && i+1 < len(compact) && (compact[i+1] == ']' || compact[i+1] == '}'):
			size++ // an empty container stays on one line
			i++
		case c == '[' || c == '{':
			depth++
			size += 1 + depth*indent
		case c == ']' || c == '}':
			depth--
			size += 1 + depth*indent
		case c == ',':
			size += 1 + depth*indent
		case c == ':':
			size++
		}
		if size > max {
			return size, false
		}
	}
	return size, true
}
