package capture

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzCaptureJSON sends arbitrary bodies and headers through the JSON form and back: the body
// must come back byte-exact, and so must every header whose bytes are valid UTF-8 (a JSON string
// cannot carry other bytes; those come back with U+FFFD in place of each bad byte, never garbled
// differently and never a panic).
func FuzzCaptureJSON(f *testing.F) {
	f.Add([]byte(`{"type":"push"}`), "X-GitHub-Event", "push", "application/json")
	f.Add([]byte("\xff\xfe\x00binary"), "Content-Type", "application/octet-stream", "application/octet-stream")
	f.Add([]byte(""), "X-Odd", "caf\xe9", "")
	f.Add([]byte("a=1&b=%zz"), "Authorization", "Bearer s3cr3t", "application/x-www-form-urlencoded")
	f.Add([]byte("<\u2028>\"\\"), "X-Quote", "\"<&>\u2029", "text/plain")
	f.Fuzz(func(t *testing.T, body []byte, name, value, ct string) {
		c := &Capture{ID: "01J0000000000000000000000", ReceivedAt: time.Unix(1700000000, 123456789),
			Source: SourceLocal, Method: "POST", Path: "/webhooks/x", ContentType: ct, Body: body,
			Headers: []Header{{Name: name, Value: value}, {Name: name, Value: value + "2"}}}
		raw, err := json.Marshal(c.JSON(JSONOptions{Reveal: true, WithBody: true}))
		if err != nil {
			t.Fatalf("marshal: %v", err)
		}
		var j CaptureJSON
		if err := json.Unmarshal(raw, &j); err != nil {
			t.Fatalf("unmarshal own output: %v\n%s", err, raw)
		}
		back, err := FromJSON(j)
		if err != nil {
			t.Fatalf("FromJSON: %v", err)
		}
		if !bytes.Equal(back.Body, body) {
			t.Fatalf("body %q came back as %q", body, back.Body)
		}
		if len(back.Headers) != 2 {
			t.Fatalf("headers %q came back as %q", c.Headers, back.Headers)
		}
		for i, h := range c.Headers {
			checkHeaderRoundTrip(t, h, back.Headers[i])
		}
		if !back.ReceivedAt.Equal(c.ReceivedAt) {
			t.Fatalf("received_at %v came back as %v", c.ReceivedAt, back.ReceivedAt)
		}
	})
}

func checkHeaderRoundTrip(t *testing.T, sent, got Header) {
	t.Helper()
	want := Header{Name: perByteReplacement(sent.Name), Value: perByteReplacement(sent.Value)}
	if utf8.ValidString(sent.Name) && utf8.ValidString(sent.Value) {
		want = sent
	}
	if got != want {
		t.Fatalf("header %q came back as %q, want %q", sent, got, want)
	}
}

// perByteReplacement is what encoding/json makes of a string: each invalid byte becomes U+FFFD.
func perByteReplacement(s string) string {
	var b strings.Builder
	for len(s) > 0 {
		r, size := utf8.DecodeRuneInString(s) // an invalid byte decodes as RuneError, size 1
		b.WriteRune(r)
		s = s[size:]
	}
	return b.String()
}
