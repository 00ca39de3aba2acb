package payload

import (
	"encoding/binary"
	"math/bits"
	"unsafe"
)

// validJSON reports whether text is exactly one JSON value, with optional white space around it,
// nested at most maxDepth deep: exactly what encoding/json.Valid accepts. Like encoding/json, it
// accepts any byte from 0x20 up in a string, so invalid UTF-8 is valid JSON (decoding replaces
// it). gjson reads the text afterwards and relies on it being valid.
//
// It replaces gjson.Valid, which checks strings a byte at a time; a webhook body is mostly
// strings (the 7.6 KB GitHub push: 5.9 KB in 274 strings), so strings are scanned eight bytes
// per step (BENCHMARKS.md, issue 14).
func validJSON(text string) bool {
	b := unsafe.Slice(unsafe.StringData(text), len(text))
	i, ok := validValue(b, skipSpace(b, 0), 0)
	return ok && skipSpace(b, i) == len(b)
}

// validValue checks the value at b[i] (white space already skipped) inside depth containers and
// returns the index after it.
func validValue(b []byte, i, depth int) (int, bool) {
	if i >= len(b) {
		return i, false
	}
	switch c := b[i]; {
	case c == '"':
		return validString(b, i+1)
	case c == '{':
		return validObject(b, i+1, depth+1)
	case c == '[':
		return validArray(b, i+1, depth+1)
	case c == '-' || c-'0' < 10:
		return validNumber(b, i)
	case c == 't':
		return validLiteral(b, i, "true")
	case c == 'f':
		return validLiteral(b, i, "false")
	case c == 'n':
		return validLiteral(b, i, "null")
	}
	return i, false
}

// validObject checks the members of an object whose '{' ends before b[i].
func validObject(b []byte, i, depth int) (int, bool) {
	if depth > maxDepth {
		return i, false
	}
	if i = skipSpace(b, i); i < len(b) && b[i] == '}' {
		return i + 1, true
	}
	var ok bool
	for {
		if i >= len(b) || b[i] != '"' {
			return i, false
		}
		if i, ok = validString(b, i+1); !ok {
			return i, false
		}
		if i = skipSpace(b, i); i >= len(b) || b[i] != ':' {
			return i, false
		}
		if i = skipSpace(b, i+1); i < len(b) && b[i] == '"' { // most values are strings
			i, ok = validString(b, i+1)
		} else {
			i, ok = validValue(b, i, depth)
		}
		if !ok {
			return i, false
		}
		if i = skipSpace(b, i); i >= len(b) {
			return i, false
		}
		switch b[i] {
		case ',':
			i = skipSpace(b, i+1)
		case '}':
			return i + 1, true
		default:
			return i, false
		}
	}
}

// validArray checks the elements of an array whose '[' ends before b[i].
func validArray(b []byte, i, depth int) (int, bool) {
	if depth > maxDepth {
		return i, false
	}
	if i = skipSpace(b, i); i < len(b) && b[i] == ']' {
		return i + 1, true
	}
	var ok bool
	for {
		if i, ok = validValue(b, i, depth); !ok {
			return i, false
		}
		if i = skipSpace(b, i); i >= len(b) {
			return i, false
		}
		switch b[i] {
		case ',':
			i = skipSpace(b, i+1)
		case ']':
			return i + 1, true
		default:
			return i, false
		}
	}
}

// validString checks a string whose opening quote ends before b[i] and returns the index after
// its closing quote. Bytes a string holds as they are go eight per step while eight remain, then
// one at a time.
func validString(b []byte, i int) (int, bool) {
	for {
		if i+8 <= len(b) {
			special := specialBytes(binary.LittleEndian.Uint64(b[i : i+8]))
			if special == 0 {
				i += 8
				continue
			}
			i += bits.TrailingZeros64(special) / 8
		} else {
			for i < len(b) && b[i] >= 0x20 && b[i] != '"' && b[i] != '\\' {
				i++
			}
			if i >= len(b) {
				return i, false
			}
		}
		switch b[i] {
		case '"':
			return i + 1, true
		case '\\':
			n := escapeLen(b, i)
			if n == 0 {
				return i, false
			}
			i += n
		default: // a control character
			return i, false
		}
	}
}

// Byte masks for testing eight bytes at once.
const (
	eachByte = 0x0101010101010101 // 1 in every byte
	highBits = 0x8080808080808080 // the top bit of every byte
)

// specialBytes flags the bytes of w (eight string bytes, the first in the lowest byte) that a
// string cannot hold as they are: '"', '\\' and control characters (below 0x20). Only the lowest
// flag is exact, and it is the only one read: x-eachByte borrows from the bytes of x that are
// zero, which in x = w^(eachByte*'"') are the quotes, and w-eachByte*0x20 from the bytes below
// 0x20; such a borrow sets the byte's top bit but also ripples into the bytes above it. The top
// bit of a difference is also set for bytes of 0x80 and above, which &^w clears (w and both x
// share every byte's top bit). validString takes the lowest flag for the first such byte.
func specialBytes(w uint64) uint64 {
	quote := w ^ (eachByte * '"')
	slash := w ^ (eachByte * '\\')
	return ((quote - eachByte) | (slash - eachByte) | (w - eachByte*0x20)) &^ w & highBits
}

// escapeLen is the length of the escape sequence at b[i] (a backslash): 2, 6 for \uXXXX, or 0
// when it is not one JSON allows.
func escapeLen(b []byte, i int) int {
	if i+1 >= len(b) {
		return 0
	}
	switch b[i+1] {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		return 2
	case 'u':
		if i+6 > len(b) {
			return 0
		}
		for _, c := range b[i+2 : i+6] {
			if !isHex(c) {
				return 0
			}
		}
		return 6
	}
	return 0
}

func isHex(c byte) bool {
	return c-'0' < 10 || (c|0x20)-'a' < 6
}

// validNumber checks the number at b[i]: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func validNumber(b []byte, i int) (int, bool) {
	if b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && b[i]-'1' < 9:
		i = skipDigits(b, i+1)
	default:
		return i, false
	}
	if i < len(b) && b[i] == '.' {
		j := skipDigits(b, i+1)
		if j == i+1 {
			return j, false
		}
		i = j
	}
	if i < len(b) && b[i]|0x20 == 'e' {
		if i++; i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		j := skipDigits(b, i)
		if j == i {
			return j, false
		}
		i = j
	}
	return i, true
}

func skipDigits(b []byte, i int) int {
	for i < len(b) && b[i]-'0' < 10 {
		i++
	}
	return i
}

// validLiteral checks that b holds lit (true, false or null) at i.
func validLiteral(b []byte, i int, lit string) (int, bool) {
	if len(b)-i >= len(lit) && string(b[i:i+len(lit)]) == lit {
		return i + len(lit), true
	}
	return i, false
}

// skipSpace returns the index of the first byte from b[i] on that is not JSON white space.
func skipSpace(b []byte, i int) int {
	for ; i < len(b); i++ {
		if c := b[i]; c > ' ' || (c != ' ' && c != '\n' && c != '\t' && c != '\r') {
			return i
		}
	}
	return i
}
