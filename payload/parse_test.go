package payload

import (
	"net/url"
	"strings"
	"testing"
)

func TestOpen(t *testing.T) {
	tests := []struct {
		name, ct, body string
		whole          string // the whole payload as a template value; "" when it does not parse
	}{
		{"object", "application/json", `{"a":1,"b":"x"}`, `{"a":1,"b":"x"}`},
		{"charset", "application/json; charset=utf-8", `[1,true,null]`, `[1,true,null]`},
		{"scalar", "application/json", `"hi"`, "hi"},
		{"big number kept", "application/json", `{"n":12345678901234567890}`, `{"n":12345678901234567890}`},
		{"vendor json", "application/vnd.github+json", `{"a":"b"}`, `{"a":"b"}`},
		{"upper case type", "Application/JSON", `{}`, `{}`},
		{"sniffed without type", "", ` {"a":"b"}`, `{"a":"b"}`},
		{"sniffed text/plain", "text/plain", `[1]`, `[1]`},
		{"form", "application/x-www-form-urlencoded", "a=1&b=hello+world&c=%C3%A9", `{"a":"1","b":"hello world","c":"é"}`},
		{"form repeated", "application/x-www-form-urlencoded; charset=utf-8", "t=1&t=2&u=", `{"t":["1","2"],"u":""}`},
		{"form bad escape", "application/x-www-form-urlencoded", "a=%zz", ""},
		{"invalid json", "application/json", `{"a":`, ""},
		{"trailing garbage", "application/json", `{"a":1} x`, ""},
		{"two values", "application/json", `1 2`, ""},
		{"empty json", "application/json", ``, ""},
		{"xml", "application/xml", `<a/>`, ""},
		{"plain text", "text/plain", `hello {a}`, ""},
		{"bad content type sniffed", ";;;", `{"a":1}`, `{"a":1}`},
		{"bad content type not json", ";;;", `a=1`, ""},
		{"control character in string", "application/json", "{\"a\":\"x\ny\"}", ""},
		{"leading zero", "application/json", `{"a":01}`, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := Open(tc.ct, []byte(tc.body))
			got, ok := d.lookup("")
			if ok != (tc.whole != "") || got != tc.whole || d.Parsed() != ok {
				t.Errorf("Open: whole %q, %v (Parsed %v); want %q", got, ok, d.Parsed(), tc.whole)
			}
			if _, refOK := refParse(tc.ct, []byte(tc.body)); refOK != d.Parsed() {
				t.Errorf("Parsed = %v, the tree decoder says %v", d.Parsed(), refOK)
			}
		})
	}
}

func TestLookup(t *testing.T) {
	d := Open("application/json", []byte(`{"a":{"b":[{"c":"deep"},2]},"x.y":1,"n":null,"0":"zero","e":"caf\u00e9","@t":"at"}`))
	tests := []struct {
		path, want string
		ok         bool
	}{
		{"a.b.0.c", "deep", true},
		{"a.b.1", "2", true},
		{"a.b", `[{"c":"deep"},2]`, true},
		{"n", "null", true},
		{"0", "zero", true},
		{"e", "café", true},
		{"@t", "at", true},
		{"a.b.2", "", false},
		{"a.b.-1", "", false},
		{"a.b.01", "", false},
		{"a.b.+1", "", false},
		{"a.b.x", "", false},
		{"a.b.0.c.d", "", false},
		{"missing", "", false},
		{"a..b", "", false},
		{"x.y", "", false},
		{"a.b.99999999999999999999", "", false},
	}
	for _, tc := range tests {
		got, ok := d.lookup(tc.path)
		if ok != tc.ok || got != tc.want {
			t.Errorf("lookup(%q) = %q, %v; want %q, %v", tc.path, got, ok, tc.want, tc.ok)
		}
	}
}

func TestFormPayloadFieldIsTheProvidersJSON(t *testing.T) {
	form := "payload=" + url.QueryEscape(`{"action":"opened","pull_request":{"title":"Fix it"},"number":7}`)
	d := Open("application/x-www-form-urlencoded", []byte(form))
	if !d.Parsed() {
		t.Fatal("not parsed")
	}
	if got := d.Render("PR #{number}: {pull_request.title}"); got != "PR #7: Fix it" {
		t.Fatalf("rendered %q", got)
	}
	// A payload field beside others, or one that is not JSON, stays a plain form field.
	for _, body := range []string{"payload=hello", "payload=%7B%7D&other=1"} {
		d := Open("application/x-www-form-urlencoded", []byte(body))
		if got, ok := d.lookup("payload"); !ok || got == "" {
			t.Errorf("%q: payload field %q, %v; want a form with its payload field", body, got, ok)
		}
	}
}

// TestDeepNesting: a body nested past encoding/json's limit is not JSON (and does not exhaust
// the stack); one just inside it is.
func TestDeepNesting(t *testing.T) {
	for _, tc := range []struct {
		depth int
		ok    bool
	}{{maxDepth, true}, {maxDepth + 1, false}, {1 << 20, false}} {
		body := make([]byte, 0, 2*tc.depth)
		for range tc.depth {
			body = append(body, '[')
		}
		for range tc.depth {
			body = append(body, ']')
		}
		if d := Open("application/json", body); d.Parsed() != tc.ok {
			t.Errorf("depth %d: Parsed = %v, want %v", tc.depth, d.Parsed(), tc.ok)
		}
	}
	// Brackets inside strings do not count.
	body := `{"s":"` + strings.Repeat("[", maxDepth+5) + `"}`
	if d := Open("application/json", []byte(body)); !d.Parsed() {
		t.Error("brackets inside a string counted as nesting")
	}
}
