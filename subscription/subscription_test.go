package subscription

import (
	"reflect"
	"strings"
	"testing"

	"github.com/hooktap/hooktap/config"
)

func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		sub  Subscription
		want string
	}{
		{"ok minimal", Subscription{Name: "gh-issues"}, ""},
		{"ok forward", Subscription{Name: "a.b_c", Deliver: "forward", DeliverURL: "https://example.test/hook"}, ""},
		{"empty name", Subscription{}, "may only use"},
		{"slash in name", Subscription{Name: "a/b"}, "may only use"},
		{"blank event", Subscription{Name: "a", Events: []string{"push", " "}}, "--events"},
		{"unknown deliver", Subscription{Name: "a", Deliver: "telegram"}, "--deliver"},
		{"deliver without url", Subscription{Name: "a", Deliver: "slack"}, "--deliver-url"},
		{"bad url", Subscription{Name: "a", Deliver: "forward", DeliverURL: "ftp://x"}, "not an http(s) URL"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.sub.Validate()
			if tc.want == "" {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Validate = %v, want %q", err, tc.want)
			}
		})
	}
}

func TestRoute(t *testing.T) {
	s := Subscription{Name: "gh", Description: "d", Events: []string{"issues"}, Prompt: "p", Deliver: "forward", DeliverURL: "http://127.0.0.1:1/x", Secret: "k"}
	want := config.Route{Name: "gh", Description: "d", Events: []string{"issues"}, Prompt: "p", Deliver: "forward",
		DeliverExtra: config.DeliverExtra{URL: "http://127.0.0.1:1/x"}, Secret: config.Secrets{"k"}}
	if got := s.Route(); !reflect.DeepEqual(got, want) {
		t.Fatalf("Route = %+v\nwant %+v", got, want)
	}
	if got := (Subscription{Name: "x"}).Route(); got.Secret != nil {
		t.Fatalf("empty secret became %v; want none so the global secret applies", got.Secret)
	}
}

func TestRoutesStaticWins(t *testing.T) {
	subs := []Subscription{{Name: "dup", Secret: "dyn"}, {Name: "fresh", Secret: "f"}}
	static := config.Routes{{Name: "dup", Secret: config.Secrets{"static"}}}
	got := Routes(subs, static)
	if len(got) != 1 || got[0].Name != "fresh" {
		t.Fatalf("Routes = %+v, want only fresh", got)
	}
}

func TestNewSecretIsRandom(t *testing.T) {
	a, errA := NewSecret()
	b, errB := NewSecret()
	if errA != nil || errB != nil || len(a) != 64 || a == b {
		t.Fatalf("NewSecret = %q, %q (%v %v)", a, b, errA, errB)
	}
}
