package payload

import (
	"net/http"
	"testing"
)

func headers(kv ...string) http.Header {
	h := http.Header{}
	for i := 0; i+1 < len(kv); i += 2 {
		h.Add(kv[i], kv[i+1])
	}
	return h
}

func TestEventType(t *testing.T) {
	body := func(s string) *Doc { d := Open("application/json", []byte(s)); return &d }
	tests := []struct {
		name      string
		h         http.Header
		pathEvent string
		v         *Doc
		want      string
	}{
		{"github", headers("X-GitHub-Event", "pull_request"), "", nil, "pull_request"},
		{"github wins over body", headers("X-GitHub-Event", "push"), "p", body(`{"type":"t"}`), "push"},
		{"gitlab merge request", headers("X-Gitlab-Event", "Merge Request Hook"), "", nil, "merge_request"},
		{"gitlab push", headers("X-Gitlab-Event", "Push Hook"), "", nil, "push"},
		{"gitlab tag push", headers("X-Gitlab-Event", "Tag Push Hook"), "", nil, "tag_push"},
		{"gitlab system", headers("X-Gitlab-Event", "System Hook"), "", nil, "system"},
		{"event type header", headers("X-Event-Type", "budget_warning"), "", nil, "budget_warning"},
		{"bitbucket", headers("X-Event-Key", "repo:push"), "", nil, "repo:push"},
		{"shopify", headers("X-Shopify-Topic", "orders/create"), "", nil, "orders/create"},
		{"path", http.Header{}, "invoice.paid", body(`{"type":"other"}`), "invoice.paid"},
		{"body type", http.Header{}, "", body(`{"type":"checkout.session.completed","event":"x"}`), "checkout.session.completed"},
		{"body event", http.Header{}, "", body(`{"event":"cost.alert"}`), "cost.alert"},
		{"body event_type", http.Header{}, "", body(`{"event_type":"cost_spike"}`), "cost_spike"},
		{"non-string type skipped", http.Header{}, "", body(`{"type":1,"event":{"a":1},"event_type":"e"}`), "e"},
		{"empty type skipped", http.Header{}, "", body(`{"type":"","event":"ev"}`), "ev"},
		{"form body", http.Header{}, "", func() *Doc { d := Open("application/x-www-form-urlencoded", []byte("type=call")); return &d }(), "call"},
		{"array body", http.Header{}, "", body(`[{"type":"x"}]`), ""},
		{"nothing", http.Header{}, "", nil, ""},
	}
	for _, tc := range tests {
		if got := EventType(tc.h, tc.pathEvent, tc.v); got != tc.want {
			t.Errorf("%s: EventType = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestDeliveryID(t *testing.T) {
	body := func(s string) *Doc { d := Open("application/json", []byte(s)); return &d }
	tests := []struct {
		name string
		h    http.Header
		v    *Doc
		want string
	}{
		{"github", headers("X-GitHub-Delivery", "gh-1"), body(`{"id":"b"}`), "gh-1"},
		{"gitlab", headers("X-Gitlab-Event-UUID", "gl-1"), nil, "gl-1"},
		{"standard", headers("webhook-id", "msg_1"), nil, "msg_1"},
		{"svix", headers("svix-id", "svix_1"), nil, "svix_1"},
		{"request id", headers("X-Request-ID", "r1"), nil, "r1"},
		{"idempotency key", headers("Idempotency-Key", "k1"), nil, "k1"},
		{"shopify", headers("X-Shopify-Webhook-Id", "s1"), nil, "s1"},
		{"bitbucket", headers("X-Request-UUID", "u1"), nil, "u1"},
		{"order", headers("X-Request-ID", "r1", "webhook-id", "w1"), nil, "w1"},
		{"body id string", http.Header{}, body(`{"id":"evt_1","event_id":"e"}`), "evt_1"},
		{"body id number", http.Header{}, body(`{"id":12345678901234567890}`), "12345678901234567890"},
		{"body id number as written", http.Header{}, body(`{"id":1e6}`), "1e6"},
		{"body event_id", http.Header{}, body(`{"event_id":"ev-9"}`), "ev-9"},
		{"body id object skipped", http.Header{}, body(`{"id":{"a":1},"event_id":7}`), "7"},
		{"none", http.Header{}, body(`{"x":1}`), ""},
	}
	for _, tc := range tests {
		if got := DeliveryID(tc.h, tc.v); got != tc.want {
			t.Errorf("%s: DeliveryID = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestSnakeCase(t *testing.T) {
	tests := map[string]string{
		"Merge Request Hook": "merge_request",
		"Push Hook":          "push",
		"Note Hook":          "note",
		"pullRequest":        "pull_request",
		"pull_request":       "pull_request",
		"Deployment  Status": "deployment_status",
		"  Pipeline Hook ":   "pipeline",
		"Hook":               "hook",
		"Webhook":            "webhook",
		"v2 Event":           "v2_event",
		"Ünïcode Évent":      "ünïcode_évent",
		"":                   "",
		"--":                 "",
	}
	for in, want := range tests {
		if got := SnakeCase(in); got != want {
			t.Errorf("SnakeCase(%q) = %q, want %q", in, got, want)
		}
	}
}
