package payload

import (
	"net/http"
	"net/url"
	"testing"
)

// deliveryHeaders are the headers DeliveryID reads, in its order of preference.
var deliveryHeaders = []string{"X-GitHub-Delivery", "X-Gitlab-Event-UUID", "webhook-id", "svix-id",
	"X-Request-ID", "Idempotency-Key", "X-Shopify-Webhook-Id", "X-Request-UUID"}

// FuzzDeliveryID feeds arbitrary headers and bodies to DeliveryID: it never panics, a header
// always wins over the body, and a body id is returned as written.
func FuzzDeliveryID(f *testing.F) {
	f.Add(uint8(0), "72d3162e-cc78-11e3-81ab-4c9367dc0958", "application/json", `{"id":"evt_1"}`)
	f.Add(uint8(255), "", "application/json", `{"id":12345678901234567890}`)
	f.Add(uint8(255), "", "application/json", `{"event_id":1e400,"id":""}`)
	f.Add(uint8(3), "msg_2", "application/x-www-form-urlencoded", "id=a&id=b")
	f.Add(uint8(255), "", "text/plain", "[1,2]")
	f.Fuzz(func(t *testing.T, which uint8, headerValue, ct, body string) {
		h := http.Header{}
		if int(which) < len(deliveryHeaders) && headerValue != "" {
			h.Set(deliveryHeaders[which], headerValue)
		}
		d := Open(ct, []byte(body))
		got := DeliveryID(h, &d)
		if len(h) > 0 && got != headerValue {
			t.Fatalf("header %s=%q lost to %q", deliveryHeaders[which], headerValue, got)
		}
		if len(h) == 0 && got != "" && !d.Parsed() {
			t.Fatalf("id %q from a body that did not parse", got)
		}
		v, _ := refParse(ct, []byte(body))
		if m, ok := v.(map[string]any); ok && len(h) == 0 && !hasDuplicateKeys(body) {
			if s, isString := m["id"].(string); isString && s != "" && got != s {
				t.Fatalf("body id %q, got %q", s, got)
			}
		}
	})
}

// FuzzParseForm decodes arbitrary form bodies: it never panics, and every field url.ParseQuery
// accepts is present with its values in order (one value as a string, several as a list).
func FuzzParseForm(f *testing.F) {
	f.Add("CallSid=CA123&From=%2B12349013030&To=%2B18005551212")
	f.Add("payload=%7B%22type%22%3A%22block_actions%22%7D")
	f.Add("a=1&a=2&a=3&b")
	f.Add("%zz=1&ok=2")
	f.Add("a;b=1&=&&==")
	f.Add("\xff\xfe=\x00")
	f.Fuzz(func(t *testing.T, body string) {
		d := Open("application/x-www-form-urlencoded; charset=utf-8", []byte(body))
		want, err := url.ParseQuery(body)
		if err != nil {
			if d.Parsed() {
				t.Fatalf("parsed, but url.ParseQuery err=%v", err)
			}
			return
		}
		if inner, wrapped := wrappedJSON(want); wrapped {
			if _, valid := decodeJSON(inner); valid {
				if d.json != inner || d.form != nil {
					t.Fatalf("form %q: a lone JSON payload field read as %q (form %v)", body, d.json, d.form)
				}
				return
			}
		}
		m := d.form
		if m == nil || len(m) != len(want) {
			t.Fatalf("form %q decoded as %#v, want %d fields", body, m, len(want))
		}
		for k, vs := range want {
			checkFormField(t, k, m[k], vs)
		}
	})
}

func checkFormField(t *testing.T, key string, got any, want []string) {
	t.Helper()
	if len(want) == 1 {
		if got != want[0] {
			t.Fatalf("field %q = %#v, want %q", key, got, want[0])
		}
		return
	}
	list, ok := got.([]any)
	if !ok || len(list) != len(want) {
		t.Fatalf("field %q = %#v, want list %q", key, got, want)
	}
	for i := range want {
		if list[i] != want[i] {
			t.Fatalf("field %q[%d] = %#v, want %q", key, i, list[i], want[i])
		}
	}
}
