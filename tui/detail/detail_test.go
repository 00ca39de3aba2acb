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

func TestAnswerNamesTheStep(t *testing.T) {
	fx := tuitest.Fixtures()
	tests := []struct {
		status int
		body   string
		want   string
	}{
		{404, `{"error":"unknown route"}`, `404 · router: no route is named "stripe"`},
		{404, `{"error":"not found"}`, "404 · router: the path is not a webhook URL"},
		{413, `{"error":"body too large"}`, "413 · body limit"},
		{429, `{"error":"rate limit exceeded"}`, "429 · rate limit"},
		{403, `{"error":"forbidden"}`, "403 · IP allow-list"},
		{401, `{"error":"invalid signature"}`, "401 · signature verification: signature mismatch"},
		{200, `{"status":"duplicate"}`, "200 · idempotency"},
		{0, ``, "none recorded"},
	}
	for _, tt := range tests {
		c := *fx[1]
		c.Status, c.ResponseBody = tt.status, []byte(tt.body)
		if got := Answer(&c); !strings.HasPrefix(got, tt.want) {
			t.Errorf("status %d: %q, want it to start with %q", tt.status, got, tt.want)
		}
	}
}

func TestWrappedTextKeepsItsHangingIndent(t *testing.T) {
	m := New(tuitest.Common(80, 24))
	m.SetSize(40, 30)
	m.SetCapture(tuitest.Fixtures()[1])
	view := tuitest.Plain(m.View())
	if !strings.Contains(view, "  • reserialized_json the body was re-\n    serialised after signing; the\n    compact form matches") {
		t.Fatalf("a wrapped doctor finding must continue under its text:\n%s", view)
	}
}

func TestSameSizeLaysNothingOutAgain(t *testing.T) {
	m := New(tuitest.Common(80, 24))
	m.SetSize(60, 20)
	m.SetCapture(tuitest.Fixtures()[2])
	m.SetTab(TabBody)
	before := m.pager.Lines()
	m.SetSize(60, 20)
	if m.pager.Lines() != before {
		t.Fatal("SetSize with the same size laid the body out again")
	}
}
