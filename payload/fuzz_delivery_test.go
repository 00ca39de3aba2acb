package payload

import (
	"net/http"
	"net/url"
	"reflect"
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
		v, _ := Parse(ct, []byte(body))
		got := DeliveryID(h, v)
		if len(h) > 0 && got != headerValue {
			t.Fatalf("header %s=%q lost to %q", deliveryHeaders[which], headerValue, got)
		}
		if len(h) == 0 && got != "" && v == nil {
			t.Fatalf("id %q from a body that did not parse", got)
		}
		if m, ok := v.(map[string]any); ok && len(h) == 0 {
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
		v, ok := Parse("application/x-www-form-urlencoded; charset=utf-8", []byte(body))
		want, err := url.ParseQuery(body)
		if (err == nil) != ok {
			t.Fatalf("ok=%v but url.ParseQuery err=%v", ok, err)
		}
		if !ok {
			return
		}
		if inner, wrapped := wrappedJSON(want); wrapped {
			if !reflect.DeepEqual(v, inner) {
				t.Fatalf("form %q: a lone JSON payload field decoded as %#v, want %#v", body, v, inner)
			}
			return
		}
		m, isMap := v.(map[string]any)
		if !isMap || len(m) != len(want) {
			t.Fatalf("form %q decoded as %#v, want %d fields", body, v, len(want))
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
