package payload

import (
	"encoding/json"
	"net/url"
	"reflect"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name, ct, body string
		want           any
		ok             bool
	}{
		{"object", "application/json", `{"a":1,"b":"x"}`, map[string]any{"a": json.Number("1"), "b": "x"}, true},
		{"charset", "application/json; charset=utf-8", `[1,true,null]`, []any{json.Number("1"), true, nil}, true},
		{"scalar", "application/json", `"hi"`, "hi", true},
		{"big number kept", "application/json", `{"n":12345678901234567890}`, map[string]any{"n": json.Number("12345678901234567890")}, true},
		{"vendor json", "application/vnd.github+json", `{"a":"b"}`, map[string]any{"a": "b"}, true},
		{"upper case type", "Application/JSON", `{}`, map[string]any{}, true},
		{"sniffed without type", "", ` {"a":"b"}`, map[string]any{"a": "b"}, true},
		{"sniffed text/plain", "text/plain", `[1]`, []any{json.Number("1")}, true},
		{"form", "application/x-www-form-urlencoded", "a=1&b=hello+world&c=%C3%A9", map[string]any{"a": "1", "b": "hello world", "c": "é"}, true},
		{"form repeated", "application/x-www-form-urlencoded; charset=utf-8", "t=1&t=2&u=", map[string]any{"t": []any{"1", "2"}, "u": ""}, true},
		{"form bad escape", "application/x-www-form-urlencoded", "a=%zz", nil, false},
		{"invalid json", "application/json", `{"a":`, nil, false},
		{"trailing garbage", "application/json", `{"a":1} x`, nil, false},
		{"two values", "application/json", `1 2`, nil, false},
		{"empty json", "application/json", ``, nil, false},
		{"xml", "application/xml", `<a/>`, nil, false},
		{"plain text", "text/plain", `hello {a}`, nil, false},
		{"bad content type sniffed", ";;;", `{"a":1}`, map[string]any{"a": json.Number("1")}, true},
		{"bad content type not json", ";;;", `a=1`, nil, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := Parse(tc.ct, []byte(tc.body))
			if ok != tc.ok || !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Parse = %#v, %v; want %#v, %v", got, ok, tc.want, tc.ok)
			}
		})
	}
}

func TestLookup(t *testing.T) {
	v, _ := Parse("application/json", []byte(`{"a":{"b":[{"c":"deep"},2]},"x.y":1,"n":null}`))
	tests := []struct {
		path string
		want any
		ok   bool
	}{
		{"a.b.0.c", "deep", true},
		{"a.b.1", json.Number("2"), true},
		{"n", nil, true},
		{"", v, true},
		{"a.b.2", nil, false},
		{"a.b.-1", nil, false},
		{"a.b.01", nil, false},
		{"a.b.x", nil, false},
		{"a.b.0.c.d", nil, false},
		{"missing", nil, false},
		{"a..b", nil, false},
		{"x.y", nil, false},
	}
	for _, tc := range tests {
		got, ok := Lookup(v, tc.path)
		if ok != tc.ok || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Lookup(%q) = %#v, %v; want %#v, %v", tc.path, got, ok, tc.want, tc.ok)
		}
	}
}

func TestFormPayloadFieldIsTheProvidersJSON(t *testing.T) {
	form := "payload=" + url.QueryEscape(`{"action":"opened","pull_request":{"title":"Fix it"},"number":7}`)
	v, ok := Parse("application/x-www-form-urlencoded", []byte(form))
	if !ok {
		t.Fatal("not parsed")
	}
	if got := Render("PR #{number}: {pull_request.title}", v, []byte(form)); got != "PR #7: Fix it" {
		t.Fatalf("rendered %q", got)
	}
	// A payload field beside others, or one that is not JSON, stays a plain form field.
	for _, body := range []string{"payload=hello", "payload=%7B%7D&other=1"} {
		v, _ := Parse("application/x-www-form-urlencoded", []byte(body))
		if m, isMap := v.(map[string]any); !isMap || m["payload"] == nil {
			t.Errorf("%q decoded as %#v, want a form with its payload field", body, v)
		}
	}
}
