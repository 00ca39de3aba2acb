package payload

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// render opens body as ct and renders tmpl, the way the gateway does, and checks that the tree
// decoder Doc replaced renders the same.
func render(t *testing.T, tmpl, ct, body string) string {
	t.Helper()
	d := Open(ct, []byte(body))
	got := d.Render(tmpl)
	if want := referenceRender(tmpl, ct, body); got != want {
		t.Errorf("Render(%q) on %q = %q; the tree decoder gave %q", tmpl, body, got, want)
	}
	return got
}

const prBody = `{"number":42,"action":"opened","pull_request":{"title":"Fix <b> & co","user":{"login":"mona"},"draft":false,"merged_at":null},` +
	`"items":[{"name":"first"},{"name":"second"}],"amount":1000000,"ratio":0.25,"sci":1e3,"big":12345678901234567890,"labels":["a","b"],"event":{"kind":"inner"}}`

func TestRender(t *testing.T) {
	tests := []struct {
		name, tmpl, want string
	}{
		{"dot paths", "PR #{number}: {pull_request.title} by {pull_request.user.login}", "PR #42: Fix <b> & co by mona"},
		{"array index", "{items.0.name}/{items.1.name}", "first/second"},
		{"double braces", "{{action}} {{pull_request.user.login}}", "opened mona"},
		{"double with event prefix", "{{event.action}}: {{event.pull_request.title}}", "opened: Fix <b> & co"},
		{"double with spaces", "{{ event.number }}", "42"},
		{"double event falls back to literal key", "{{event.kind}}", "inner"},
		{"single event prefers literal key", "{event.kind}", "inner"},
		{"single event prefix as root", "{event.number}", "42"},
		{"integer not mangled", "{amount}", "1000000"},
		{"float", "{ratio}", "0.25"},
		{"number as written", "{sci} {big}", "1e3 12345678901234567890"},
		{"bool and null", "{pull_request.draft} {pull_request.merged_at}", "false null"},
		{"object compact", "{pull_request.user}", `{"login":"mona"}`},
		{"array compact", "{labels}", `["a","b"]`},
		{"html not escaped", "{pull_request}", `{"draft":false,"merged_at":null,"title":"Fix <b> & co","user":{"login":"mona"}}`},
		{"missing single", "x {nope.deeper} y", "x {nope.deeper} y"},
		{"missing double", "{{nope}} {{event.nope}}", "{{nope}} {{event.nope}}"},
		{"index out of range", "{items.5.name}", "{items.5.name}"},
		{"json in template", `{"text": "{action}"}`, `{"text": "opened"}`},
		{"empty and spaced braces", "{} { } {{}} {a b} {a.}", "{} { } {{}} {a b} {a.}"},
		{"unclosed", "{action", "{action"},
		{"adjacent", "{number}{action}", "42opened"},
		{"triple braces", "{{{action}}}", "{opened}"},
		{"no placeholders", "plain text", "plain text"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := render(t, tc.tmpl, "application/json", prBody); got != tc.want {
				t.Errorf("Render(%q) = %q, want %q", tc.tmpl, got, tc.want)
			}
		})
	}
}

func TestRenderRaw(t *testing.T) {
	body := `{"z":1,"a":{"b":[1,2]}}`
	want := "{\n  \"z\": 1,\n  \"a\": {\n    \"b\": [\n      1,\n      2\n    ]\n  }\n}"
	tests := []struct {
		name, tmpl, ct, body, want string
	}{
		{"raw keeps order", "{__raw__}", "application/json", body, want},
		{"raw in text", "Alert: {__raw__}", "application/json", body, "Alert: " + want},
		{"raw double", "{{__raw__}}", "application/json", body, want},
		{"empty template", "", "application/json", body, want},
		{"double event root", "{{event}}", "application/json", body, `{"a":{"b":[1,2]},"z":1}`},
		{"form raw", "{__raw__}", "application/x-www-form-urlencoded", "b=2&a=1", "{\n  \"a\": \"1\",\n  \"b\": \"2\"\n}"},
		{"text raw", "{__raw__}", "text/plain", "hello {a}", "hello {a}"},
		{"text paths literal", "{a} {{event.a}} {{event}}", "text/plain", "a=1", "{a} {{event.a}} {{event}}"},
		{"text empty template", "", "text/plain", "just text", "just text"},
		{"invalid utf8 replaced", "{__raw__}", "application/octet-stream", "ok\xff\xfe!", "ok\uFFFD!"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := render(t, tc.tmpl, tc.ct, tc.body); got != tc.want {
				t.Errorf("Render = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestRenderForm(t *testing.T) {
	body := "From=%2B15550001111&Body=Hello+there&MediaUrl=a&MediaUrl=b"
	got := render(t, "{From} says {Body} ({MediaUrl}) {MediaUrl.1} {missing}", "application/x-www-form-urlencoded", body)
	if want := `+15550001111 says Hello there (["a","b"]) b {missing}`; got != want {
		t.Errorf("Render = %q, want %q", got, want)
	}
}

func TestRenderCuts(t *testing.T) {
	long := strings.Repeat("é", 3000) // 2 bytes a rune: a byte cut would split one
	body := `{"s":"` + long + `","o":{"s":"` + long + `"}}`
	tests := []struct {
		name, tmpl string
		runes      int
	}{
		{"string value uncut", "{s}", 3000},
		{"object cut at 2000", "{o}", ValueLimit},
		{"raw cut at 4000", "{__raw__}", RawLimit},
		{"empty template uncut", "", -1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := render(t, tc.tmpl, "application/json", body)
			if !utf8.ValidString(got) {
				t.Fatal("output is not valid UTF-8")
			}
			if tc.runes < 0 {
				if strings.Count(got, long) != 2 {
					t.Errorf("whole payload was cut: %d runes", utf8.RuneCountInString(got))
				}
				return
			}
			if n := utf8.RuneCountInString(got); n != tc.runes {
				t.Errorf("got %d runes, want %d", n, tc.runes)
			}
		})
	}
	text := strings.Repeat("日本", 2500)
	if got := render(t, "{__raw__}", "text/plain", text); utf8.RuneCountInString(got) != RawLimit || !strings.HasPrefix(text, got) {
		t.Errorf("text raw cut to %d runes", utf8.RuneCountInString(got))
	}
}

func TestCut(t *testing.T) {
	tests := []struct {
		s    string
		n    int
		want string
	}{
		{"hello", 10, "hello"},
		{"hello", 2, "he"},
		{"héllo", 2, "hé"},
		{"🙂🙂🙂", 2, "🙂🙂"},
		{"abc", 0, ""},
		{"abc", -1, ""},
	}
	for _, tc := range tests {
		if got := Cut(tc.s, tc.n); got != tc.want {
			t.Errorf("Cut(%q, %d) = %q, want %q", tc.s, tc.n, got, tc.want)
		}
	}
}
