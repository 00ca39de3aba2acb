package payload

import (
	"encoding/json"
	"strings"
	"testing"
)

// checkValid fails when validJSON and encoding/json.Valid disagree on text.
func checkValid(t *testing.T, text string) {
	t.Helper()
	if got, want := validJSON(text), json.Valid([]byte(text)); got != want {
		t.Fatalf("validJSON(%q) = %v, encoding/json.Valid says %v", text, got, want)
	}
}

// TestValidJSONShortInputs compares every text of up to four characters from an alphabet of
// JSON's structural characters, the starts of literals and numbers, white space, and bytes a
// string may or may not hold.
func TestValidJSONShortInputs(t *testing.T) {
	const alphabet = "{}[]\":,\\ \n0-1.e+tu\x00\x1f\x7f\x80"
	var walk func(prefix string, n int)
	walk = func(prefix string, n int) {
		checkValid(t, prefix)
		if n == 0 {
			return
		}
		for i := range len(alphabet) {
			walk(prefix+alphabet[i:i+1], n-1)
		}
	}
	walk("", 4)
}

// TestValidJSONStringBytes puts each byte value at each position of strings long enough to span
// several eight-byte steps, after prefixes that shift the steps' alignment, alone and followed by
// more special bytes (a borrow in one step ripples into the bytes above it).
func TestValidJSONStringBytes(t *testing.T) {
	for _, prefix := range []string{"", " ", "[", `{"k":`, `["ab",`, "  \n\t[ "} {
		for length := range 20 {
			for pos := range length {
				for c := range 256 {
					s := []byte(strings.Repeat("a", length))
					s[pos] = byte(c)
					checkValid(t, prefix+`"`+string(s)+`"`)
					if pos+1 < length {
						s[pos+1] = 0x01
						checkValid(t, prefix+`"`+string(s)+`"`)
						s[pos+1] = '"'
						checkValid(t, prefix+`"`+string(s)+`"`)
					}
				}
			}
			// An unterminated string of every length ends at the end of the input.
			checkValid(t, prefix+`"`+strings.Repeat("é", length))
		}
	}
}

func TestValidJSONEscapes(t *testing.T) {
	for c := range 256 {
		checkValid(t, `"\`+string(rune(c))+`"`)
		checkValid(t, `"ab\`+string([]byte{byte(c)})+`cdefghij"`)
	}
	for _, s := range []string{
		`"\u0041"`, `"\uD83D\uDE00"`, `"\ud800"`, `"\uABCDef"`, `"\uabcg"`, `"\u12"`, `"\u`, `"\u123"`,
		`"\`, `"\"`, `"\\"`, `"\\\"`, `"a\/b"`, `"\u00e9 caf\u00E9"`, `"\ü"`, `"\U0041"`,
	} {
		checkValid(t, s)
	}
}

func TestValidJSONValues(t *testing.T) {
	for _, s := range []string{
		"0", "-0", "-", "01", "-01", "1.", "1.5", ".5", "1e", "1e+", "1E-7", "1e07", "-0.0e+5", "1.5e3.2",
		"123456789012345678901234567890", "1e700", "+1", "0x10", "1_000", "NaN", "Infinity",
		"true", "false", "null", "tru", "nul", "falsey", "True", "nullnull",
		"{}", "[]", "{ }", "[ ]", "{,}", "[,]", "[1,]", `{"a":1,}`, `{"a" 1}`, `{"a":}`, `{1:2}`,
		`{"a":1 "b":2}`, "[1 2]", `[1,,2]`, "[", "]", "{", `{"a"`, `{"a":`, `{"a":1`, "[1", "[1,",
		` {"a" : [ 1 , { "b" : null } ] } `, "\t\r\n[]\n", "\f[]", "\v[]", "\u00a0[]", "[]\x00",
		"\ufeff{}", `{"a":1}{"b":2}`, "[] []", "", " ", `"`, `""`, `"abc`, "[\"\xff\xfe\"]",
		"{\"\xc3\":\"\xe9t\xe9\"}", "[\x80]", "[1]\x80",
	} {
		checkValid(t, s)
	}
	checkValid(t, string(loadPush(t)))
}

func TestValidJSONDepth(t *testing.T) {
	for _, depth := range []int{maxDepth - 1, maxDepth, maxDepth + 1} {
		checkValid(t, strings.Repeat("[", depth)+strings.Repeat("]", depth))
		checkValid(t, strings.Repeat(`{"a":`, depth)+"1"+strings.Repeat("}", depth))
		checkValid(t, strings.Repeat(`[{"a":`, depth/2)+"[]"+strings.Repeat("}]", depth/2))
	}
}

// FuzzValidJSON holds validJSON to encoding/json.Valid on any input.
func FuzzValidJSON(f *testing.F) {
	f.Add([]byte(prBody))
	f.Add([]byte(`{"a":"\u00e9\ud83d\ude00\"\\\/\b\f\n\r\t","b":[-0.5e+10,true,false,null,{}]}`))
	f.Add([]byte("[\"0123456\x1f\", \"01234567\\x\"]"))
	f.Add([]byte("\"\xff\xfe\x80 \x7f\""))
	f.Fuzz(func(t *testing.T, body []byte) {
		checkValid(t, string(body))
	})
}
