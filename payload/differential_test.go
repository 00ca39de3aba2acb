package payload

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// The differential tests hold Doc to the tree decoder it replaced: for any template, content
// type and body, the rendered text, event type and delivery id are the same. Two deliberate
// differences are skipped: an object with a repeated key reads its first value (gjson), where
// the tree kept the last (no provider sends one); and a form body whose text happens to be valid
// JSON ("0", "true") prints as its fields, where the tree printed that text.

// referenceRender renders through the tree decoder, as the gateway did before Doc.
func referenceRender(tmpl, ct, body string) string {
	v, ok := refParse(ct, []byte(body))
	if !ok {
		v = nil
	}
	return refRender(tmpl, v, []byte(body))
}

var differentialTemplates = []string{
	"push to {ref}", "{__raw__}", "", "{{event}}", "{event}", "{a}", "{a.b} {a.0} {0} {a.b.c.1}",
	"{{event.type}} {{ event.id }} {id} {payload}", "{items.1.name} {items.01.name} {@a} {$b} {é}",
	"{x-y} {{event.0}} {{event.a.1}} {}", "{repository.owner} {commits} {sender.login}",
}

var differentialBodies = []struct{ ct, body string }{
	{"application/json", prBody},
	{"application/json", `{"a":{"b":[1,{"c":"x"}]},"0":"zero","@a":"at","$b":"dollar","é":"e"}`},
	{"application/json", `{"a":"x\u00e9\ud83d\ude00","id":"\u0041","type":"caf\u00e9","items":[{"name":"a"},{"name":"b"}]}`},
	{"application/json", "{\"a\":\"\xff\xfe bad utf8\",\"id\":12.5e3}"},
	{"application/json", `{"a":"\ud800 lone surrogate","event_id":"","id":""}`},
	{"application/json", `{"event":{"type":"inner"},"type":7,"event_type":"outer"}`},
	{"application/json", `[{"a":1},{"a":2}]`},
	{"application/json", `"just a string"`},
	{"application/json", `  -0.0e+5  `},
	{"application/json", `{"a":[]} {}`},
	{"text/plain", `{"a":"sniffed"}`},
	{"", "[1,2,3]"},
	{"application/x-www-form-urlencoded", "a=1&a=2&b=%7B%7D&payload=x"},
	{"application/x-www-form-urlencoded", "payload=" + url.QueryEscape(`{"a":{"z":1,"b":2},"type":"t","id":9}`)},
	{"application/x-www-form-urlencoded", "payload=" + url.QueryEscape(`[1,`)},
	{"application/xml", "<a>{a}</a>"},
	{"application/json; charset=\"utf-8\"", `{"a":"<b>&amp;</b>","u":"\u2028"}`},
	{"Application/Vnd.Api+JSON", `{"a":{"html":"<&>"}}`},
}

func TestDifferential(t *testing.T) {
	bodies := append([]struct{ ct, body string }{}, differentialBodies...)
	bodies = append(bodies, struct{ ct, body string }{"application/json", string(loadPush(t))})
	for _, b := range bodies {
		for _, tmpl := range differentialTemplates {
			checkSame(t, tmpl, b.ct, b.body)
		}
	}
}

func FuzzDifferential(f *testing.F) {
	for i, b := range differentialBodies {
		f.Add(differentialTemplates[i%len(differentialTemplates)], b.ct, b.body)
	}
	f.Fuzz(func(t *testing.T, tmpl, ct, body string) {
		checkSame(t, tmpl, ct, body)
	})
}

// checkSame fails when Doc and the tree decoder disagree on tmpl, the event type or the id.
func checkSame(t *testing.T, tmpl, ct, body string) {
	t.Helper()
	if hasDuplicateKeys(body) || (mediaType(ct) == "application/x-www-form-urlencoded" && json.Valid([]byte(body))) {
		return
	}
	d := Open(ct, []byte(body))
	if got, want := d.Render(tmpl), referenceRender(tmpl, ct, body); got != want {
		t.Fatalf("Render(%q) of %s %q = %q; the tree decoder gave %q", tmpl, ct, body, got, want)
	}
	v, ok := refParse(ct, []byte(body))
	if !ok {
		v = nil
	}
	h := http.Header{}
	if got, want := EventType(h, "", &d), refEventType(h, "", v); got != want {
		t.Fatalf("EventType of %s %q = %q; the tree decoder gave %q", ct, body, got, want)
	}
	if got, want := DeliveryID(h, &d), refDeliveryID(h, v); got != want {
		t.Fatalf("DeliveryID of %s %q = %q; the tree decoder gave %q", ct, body, got, want)
	}
}

// hasDuplicateKeys reports whether any JSON object in body, or in a form's payload field, names
// a key twice.
func hasDuplicateKeys(body string) bool {
	if vals, err := url.ParseQuery(body); err == nil {
		for _, p := range vals["payload"] {
			if duplicateKeys(p) {
				return true
			}
		}
	}
	return duplicateKeys(body)
}

func duplicateKeys(text string) bool {
	dec := json.NewDecoder(strings.NewReader(text))
	dec.UseNumber() // a number out of float64's range (1e700) is still a token, not an error
	type frame struct {
		keys     map[string]bool
		isObject bool
		wantKey  bool
	}
	var stack []*frame
	for {
		tok, err := dec.Token()
		if err == io.EOF || err != nil {
			return false
		}
		top := (*frame)(nil)
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if top != nil && top.isObject && top.wantKey {
			if key, isKey := tok.(string); isKey {
				if top.keys[key] {
					return true
				}
				top.keys[key] = true
				top.wantKey = false
				continue
			}
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, &frame{keys: map[string]bool{}, isObject: true, wantKey: true})
			continue
		case json.Delim('['):
			stack = append(stack, &frame{})
			continue
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
		}
		if len(stack) > 0 && stack[len(stack)-1].isObject {
			stack[len(stack)-1].wantKey = true
		}
	}
}
