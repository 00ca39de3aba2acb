package capture

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestJSONFieldNamesAreTheSpec(t *testing.T) {
	c := fullCapture()
	c.ID = "01jd4x0000000000000000000a"
	out, err := json.Marshal(c.JSON(JSONOptions{WithBody: true}))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(out, &m); err != nil {
		t.Fatal(err)
	}
	want := []string{"id", "received_at", "source", "peer", "method", "path", "query", "route", "event",
		"delivery_id", "headers", "content_type", "body_base64", "truncated", "verification", "status",
		"response_body", "latency_ms", "deliveries", "replay_of"}
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	slices.Sort(want)
	if !slices.Equal(keys, want) { // body_text absent: the body is not UTF-8
		t.Fatalf("keys %v\nwant %v", keys, want)
	}
	for _, frag := range []string{`"received_at":"2026-11-22T10:31:07.123456789Z"`, `["X-Dup","one"]`,
		`"verification":{"scheme":"github","result":"failed","reason":"mismatch","detail":"sha256 differs","diagnosis":[{"code":"reserialised","message":"pretty-printed JSON"}],"matched_secret":"github-pr#2"}`,
		`"deliveries":[{"target":"forward","status":202,"error":"","duration_ms":3,"attempt":1}`,
		`"latency_ms":1.234567`} {
		if !strings.Contains(string(out), frag) {
			t.Errorf("JSON lacks %s:\n%s", frag, out)
		}
	}
}

func TestJSONRoundTripAndOptions(t *testing.T) {
	c := fullCapture()
	c.ID = "01jd4x0000000000000000000a"
	c.Headers = append(c.Headers, Header{"Authorization", "Bearer supersecretvalue-9876"})
	j := c.JSON(JSONOptions{Reveal: true, WithBody: true})
	raw, _ := json.Marshal(j)
	var back CaptureJSON
	if err := json.Unmarshal(raw, &back); err != nil {
		t.Fatal(err)
	}
	got, err := FromJSON(back)
	if err != nil {
		t.Fatal(err)
	}
	want := *c
	want.Verification.Expected, want.Verification.Received, want.Rendered = "", "", ""
	want.ResponseHeaders = nil                // the JSON form has the fields its spec names; answer headers are not one
	want.Headers[4].Value = "caf\ufffd\ufffd" // JSON strings carry UTF-8 only
	if !got.ReceivedAt.Equal(want.ReceivedAt) {
		t.Fatalf("received_at %v != %v", got.ReceivedAt, want.ReceivedAt)
	}
	got.ReceivedAt = want.ReceivedAt
	if !reflect.DeepEqual(*got, want) {
		t.Fatalf("FromJSON(JSON(c)):\n got %#v\nwant %#v", *got, want)
	}
	masked := c.JSON(JSONOptions{})
	if masked.BodyBase64 != nil || masked.BodyText != nil {
		t.Error("body fields must be left out without WithBody")
	}
	if v := masked.Headers[len(masked.Headers)-1][1]; v != "••••9876" {
		t.Errorf("masked authorization = %q", v)
	}
}

func TestJSONTextBodyAndEmptyLists(t *testing.T) {
	c := &Capture{Body: []byte(`{"a":"é"}`)}
	j := c.JSON(JSONOptions{WithBody: true})
	if j.BodyText == nil || *j.BodyText != `{"a":"é"}` || j.Deliveries == nil || j.Verification.Diagnosis == nil {
		t.Fatalf("JSON = %+v", j)
	}
	out, _ := json.Marshal(j)
	if !strings.Contains(string(out), `"headers":[]`) || !strings.Contains(string(out), `"deliveries":[]`) {
		t.Fatalf("empty lists must be [] not null: %s", out)
	}
}

func TestFromJSONRejectsBadInput(t *testing.T) {
	bad := "%%%"
	for name, j := range map[string]CaptureJSON{
		"time":   {ReceivedAt: "yesterday"},
		"base64": {BodyBase64: &bad},
	} {
		if _, err := FromJSON(j); err == nil {
			t.Errorf("%s: FromJSON accepted bad input", name)
		}
	}
}
