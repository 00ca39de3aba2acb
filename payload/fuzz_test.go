package payload

import (
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"
)

func FuzzRender(f *testing.F) {
	f.Add("PR #{number}: {{event.pull_request.title}} {__raw__}", prBody, "application/json")
	f.Add("{a}{{b}}{", "a=1&b=2&b=3", "application/x-www-form-urlencoded")
	f.Add("", "\xff\xfe", "text/plain")
	f.Add("{{{event}}}", "[1,[2,{}]]", "")
	f.Fuzz(func(t *testing.T, tmpl, body, ct string) {
		d := Open(ct, []byte(body))
		out := d.Render(tmpl)
		if !strings.ContainsRune(tmpl, '{') && tmpl != "" && out != tmpl {
			t.Fatalf("template without braces changed: %q → %q", tmpl, out)
		}
		if utf8.ValidString(tmpl) && utf8.ValidString(body) && !utf8.ValidString(out) {
			t.Fatalf("valid input rendered invalid UTF-8: %q", out)
		}
	})
}

func FuzzParse(f *testing.F) {
	f.Add("application/json", `{"a":[1,2,{"b":null}]}`)
	f.Add("application/x-www-form-urlencoded", "a=1&a=2&%zz")
	f.Add("text/plain; charset=\"", "{")
	f.Fuzz(func(t *testing.T, ct, body string) {
		d := Open(ct, []byte(body))
		_, refOK := refParse(ct, []byte(body))
		if d.Parsed() != refOK {
			t.Fatalf("Parsed = %v, the tree decoder says %v", d.Parsed(), refOK)
		}
		if _, ok := d.lookup("a.0.b"); ok && !d.Parsed() {
			t.Fatal("a path found in a body that did not parse")
		}
		_ = DeliveryID(http.Header{}, &d)
	})
}

func FuzzEventType(f *testing.F) {
	f.Add("Merge Request Hook", "", `{"type":"x"}`)
	f.Add("", "tenant.event", `{"event":1}`)
	f.Add("\xff Hook", "", "[]")
	f.Fuzz(func(t *testing.T, gitlab, pathEvent, body string) {
		h := http.Header{}
		if gitlab != "" {
			h.Set("X-Gitlab-Event", gitlab)
		}
		d := Open("application/json", []byte(body))
		got := EventType(h, pathEvent, &d)
		if gitlab != "" && strings.ContainsAny(got, " ABCDEFGHIJKLMNOPQRSTUVWXYZ") {
			t.Fatalf("gitlab event %q not snake-cased: %q", gitlab, got)
		}
	})
}
