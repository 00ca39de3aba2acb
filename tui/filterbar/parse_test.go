package filterbar

import (
	"reflect"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/tui/internal/tuitest"
)

func TestParse(t *testing.T) {
	yes, no := true, false
	tests := []struct {
		query   string
		want    capture.Filter
		wantErr string
	}{
		{"", capture.Filter{}, ""},
		{"route:stripe", capture.Filter{Route: "stripe"}, ""},
		{"route:github-pr event:pull_request status:202 verified:true",
			capture.Filter{Route: "github-pr", Event: "pull_request", Status: 202, Verified: &yes}, ""},
		{"verified:false evt_1 octo", capture.Filter{Verified: &no, Q: "evt_1 octo"}, ""},
		{"source:tunnel", capture.Filter{Source: capture.SourceTunnel}, ""},
		{"https://example.com/x", capture.Filter{Q: "https://example.com/x"}, ""},
		{"status:abc", capture.Filter{}, "status:abc"},
		{"status:42", capture.Filter{}, "status:42"},
		{"verified:maybe", capture.Filter{}, "verified:maybe"},
		{"source:mars", capture.Filter{}, "source:mars"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			got, err := Parse(tt.query)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Parse(%q) error = %v, want one naming %q", tt.query, err, tt.wantErr)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("Parse(%q) = %+v, %v; want %+v", tt.query, got, err, tt.want)
			}
			again, _ := Parse(Format(got))
			if !reflect.DeepEqual(again, got) {
				t.Fatalf("Format/Parse round trip changed %+v into %+v", got, again)
			}
		})
	}
}

func TestEnterAppliesAndBadQueryStaysOpen(t *testing.T) {
	m := New(tuitest.Common(80, 24))
	m.Open("")
	var got []tea.Msg
	send := func(msg tea.Msg) { _, cmd := m.Update(msg); got = append(got, tuitest.Run(cmd)...) }
	for _, msg := range tuitest.Type("status:xx") {
		send(msg)
	}
	send(tuitest.Key("enter"))
	if !m.Focused() || !strings.Contains(m.View(), "status:xx") {
		t.Fatalf("a bad query must keep the field open with the reason; view %q", m.View())
	}
	m.Open("route:stripe")
	got = nil
	send(tuitest.Key("enter"))
	if len(got) == 0 {
		t.Fatal("enter produced no message")
	}
	applied, ok := got[len(got)-1].(AppliedMsg)
	if !ok || applied.Filter.Route != "stripe" || m.Focused() {
		t.Fatalf("got %#v, focused %v; want AppliedMsg for route stripe and a closed field", got, m.Focused())
	}
}
