package detail

import (
	"strings"
	"testing"

	"github.com/hooktap/hooktap/tui/internal/tuitest"
)

func TestTabsAndBodyModes(t *testing.T) {
	fx := tuitest.Fixtures()
	tests := []struct {
		name  string
		index int
		keys  []string
		want  []string
	}{
		{"summary names the reason and the doctor", 1, nil,
			[]string{"✗ signature mismatch (mismatch) · stripe", "reserialized_json", "v1=5f0e11d2"}},
		{"headers in order", 2, []string{"]"}, []string{"X-GitHub-Event:", "pull_request"}},
		{"pretty JSON", 2, []string{"]", "]"}, []string{`"title": "Fix the flux capacitor"`}},
		{"raw body", 2, []string{"v"}, []string{`{"action":"opened","number":42`}},
		{"hex body", 2, []string{"v", "v"}, []string{"00000000  7b 22 61 63"}},
		{"form decoded", 0, []string{"]", "]"}, []string{"(form fields, decoded)", "name = hook tap", `"ok": true`}},
		{"binary shown as hex", 3, []string{"]", "]"}, []string{"binary body", "00 01 02 ff fe 78"}},
		{"response and deliveries", 2, []string{"["}, []string{"202", "deliveries (1):", "http://127.0.0.1:3000/hook", "PR #42 opened"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := New(tuitest.Common(80, 24))
			m.SetSize(100, 30)
			m.SetCapture(fx[tt.index])
			for _, k := range tt.keys {
				m.Update(tuitest.Key(k))
			}
			view := tuitest.Plain(m.View())
			for _, want := range tt.want {
				if !strings.Contains(view, want) {
					t.Fatalf("view lacks %q:\n%s", want, view)
				}
			}
		})
	}
}

func TestHighlightOnlyWithColour(t *testing.T) {
	body := []byte(`{"a":1}`)
	if got := bodyView(body, "application/json", BodyPretty, ""); strings.Contains(got, "\x1b[") {
		t.Fatalf("no chroma style must mean no colour: %q", got)
	}
	if got := bodyView(body, "application/json", BodyPretty, "monokai"); !strings.Contains(got, "\x1b[") {
		t.Fatalf("a chroma style must highlight: %q", got)
	}
}

func TestEmptyAndHugeBodies(t *testing.T) {
	if got := bodyView(nil, "", BodyPretty, ""); got != "(empty body)" {
		t.Fatalf("empty body shown as %q", got)
	}
	huge := make([]byte, hexLimit+10)
	if got := bodyView(huge, "", BodyHex, ""); !strings.Contains(got, "first 65536 of 65546 bytes") {
		t.Fatal("a huge hex view must say it is cut")
	}
}
