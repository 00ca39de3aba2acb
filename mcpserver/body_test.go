package mcpserver

import (
	"encoding/base64"
	"strings"
	"testing"
)

func TestBodyView(t *testing.T) {
	for _, tc := range []struct {
		name      string
		body      []byte
		limit     int
		text, enc string
		cut       bool
	}{
		{"text whole", []byte(`{"a":1}`), 100, `{"a":1}`, "text", false},
		{"text cut", []byte("abcdef"), 3, "abc", "text", true},
		{"cut inside a character keeps text", []byte("aé"), 2, "a", "text", true},
		{"binary", []byte{0xff, 0x00, 0x01}, 100, base64.StdEncoding.EncodeToString([]byte{0xff, 0x00, 0x01}), "base64", false},
		{"binary cut", []byte{0xff, 0xfe, 0xfd, 0xfc}, 2, base64.StdEncoding.EncodeToString([]byte{0xff, 0xfe}), "base64", true},
		{"empty", nil, 10, "", "text", false},
	} {
		text, enc, cut := bodyView(tc.body, tc.limit)
		if text != tc.text || enc != tc.enc || cut != tc.cut {
			t.Errorf("%s: got %q %s %v, want %q %s %v", tc.name, text, enc, cut, tc.text, tc.enc, tc.cut)
		}
	}
}

func TestScrubLeavesStructureAndMasksEveryCopy(t *testing.T) {
	secret := "s3cret-value-0123456789"
	in := map[string]any{"a": "x " + secret + " y " + secret, "list": []any{secret, 1.0}, secret: "key kept"}
	out := scrubJSON(in, []string{secret}).(map[string]any)
	if strings.Contains(out["a"].(string), secret) || out["list"].([]any)[0] == secret || out["list"].([]any)[1] != 1.0 {
		t.Errorf("scrubbed: %v", out)
	}
	if !strings.HasPrefix(out["list"].([]any)[0].(string), "••••") {
		t.Errorf("not masked by the rule: %v", out["list"])
	}
	if got := scrub("nothing here", []string{secret}); got != "nothing here" {
		t.Errorf("changed text without the secret: %q", got)
	}
}
