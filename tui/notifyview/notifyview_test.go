package notifyview

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/hooktap/hooktap/notify"
	"github.com/hooktap/hooktap/tui/internal/tuitest"
)

func TestRenderGolden(t *testing.T) {
	long := notify.Build("provider_down", map[string]any{"error": strings.Repeat("timeout ", 300)}, notify.ExampleTime("provider_down"))
	tests := []struct {
		name    string
		m       notify.Message
		format  string
		noColor bool
	}{
		{"slack_budget_warning", notify.Build("budget_warning", nil, notify.ExampleTime("budget_warning")), "slack", true},
		{"discord_budget_exceeded", notify.Build("budget_exceeded", nil, notify.ExampleTime("budget_exceeded")), "discord", true},
		{"discord_provider_up_color", notify.Build("provider_up", nil, notify.ExampleTime("provider_up")), "discord", false},
		{"generic_daily_summary", notify.Build("daily_summary", nil, notify.ExampleTime("daily_summary")), "generic", true},
		{"discord_over_limit", long, "discord", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Render(tt.m, tt.format, 80, tt.noColor)
			tuitest.GoldenExact(t, tt.name, got)
			for i, line := range strings.Split(got, "\n") {
				if w := ansi.StringWidth(line); w > 80 {
					t.Errorf("line %d is %d columns wide, over 80", i, w)
				}
			}
		})
	}
}

func TestRenderContent(t *testing.T) {
	m := notify.Build("budget_warning", nil, notify.ExampleTime("budget_warning"))
	discord := Render(m, "discord", 80, false)
	if !strings.Contains(discord, "38;2;251;191;36") {
		t.Errorf("discord embed bar is not amber #FBBF24:\n%q", discord)
	}
	plain := Render(m, "discord", 80, true)
	for _, want := range []string{"budget_warning", m.Text, "2026-03-05T10:30:00Z", "┃"} {
		if !strings.Contains(plain, want) {
			t.Errorf("discord preview lacks %q:\n%s", want, plain)
		}
	}
	if strings.Contains(plain, "\x1b") {
		t.Errorf("noColor output has ANSI sequences: %q", plain)
	}
	generic := Render(m, "generic", 80, true)
	if !strings.Contains(generic, `"limit": 10.0`) || !strings.Contains(generic, `"percent": 85.0`) {
		t.Errorf("generic preview lost the number literals:\n%s", generic)
	}
}

func TestMrkdwn(t *testing.T) {
	tests := []struct{ in, want string }{
		{"*bold* and _it_ and ~gone~ and `x&lt;y`", "bold and it and gone and x<y"},
		{"see <https://example.com|the docs> or <https://a.b>", "see the docs or https://a.b"},
		{"a &amp;lt; b &gt; c", "a &lt; b > c"},
		{"no *closing", "no *closing"},
	}
	for _, tt := range tests {
		if got := ansi.Strip(Mrkdwn(tt.in)); got != tt.want {
			t.Errorf("Mrkdwn(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if styled := Mrkdwn("*b*"); !strings.Contains(styled, "\x1b[1m") {
		t.Errorf("bold not styled: %q", styled)
	}
}
