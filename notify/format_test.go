package notify

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
)

// seedTexts are the catalogue's message examples, verbatim (docs/notify.md).
var seedTexts = map[string]string{
	"budget_warning":  "⚠️ Budget Warning: daily budget at 85.0% ($8.50 / $10.00)",
	"budget_exceeded": "🚫 Budget Exceeded: monthly limit of $200.00 reached (spent: $205.50). Action: block",
	"provider_down":   "🔴 Provider Down: anthropic-primary is unhealthy. Error: connection timeout",
	"provider_up":     "🟢 Provider Up: anthropic-primary is healthy again (latency: 1250ms)",
	"failover":        "🔄 Failover: Switched from anthropic-primary to anthropic-backup. Reason: rate limit exceeded",
	"daily_summary":   "📊 Daily Summary (2026-03-04): 150 requests, $25.50 total cost, 125000 input / 35000 output tokens",
}

// seedColors are the documented hex colours per catalogue event.
var seedColors = map[string]int{
	"budget_warning": 0xFBBF24, "budget_exceeded": 0xEF4444, "provider_down": 0xEF4444,
	"provider_up": 0x22C55E, "failover": 0x3B82F6, "daily_summary": 0x9CA3AF,
}

func loadSeedBodies(t *testing.T) map[string]json.RawMessage {
	t.Helper()
	raw, err := os.ReadFile("testdata/seed_bodies.json")
	if err != nil {
		t.Fatal(err)
	}
	var bodies map[string]json.RawMessage
	if err := json.Unmarshal(raw, &bodies); err != nil {
		t.Fatal(err)
	}
	return bodies
}

func compact(t *testing.T, s string) string {
	t.Helper()
	var buf bytes.Buffer
	if err := json.Compact(&buf, []byte(s)); err != nil {
		t.Fatalf("compact %s: %v", s, err)
	}
	return buf.String()
}

func TestSeedBodiesExact(t *testing.T) {
	seed := loadSeedBodies(t)
	for event, text := range seedTexts {
		m := Build(event, nil, ExampleTime(event))
		if m.Text != text {
			t.Errorf("%s text = %q, want %q", event, m.Text, text)
		}
		ts := ExampleTime(event).Format(time.RFC3339)
		want := map[string]string{
			FormatSlack: fmt.Sprintf(`{"text":%q,"blocks":[{"type":"section","text":{"type":"mrkdwn","text":%q}}]}`, text, text),
			FormatDiscord: fmt.Sprintf(`{"content":%q,"embeds":[{"title":%q,"description":%q,"timestamp":%q,"color":%d}]}`,
				text, event, text, ts, seedColors[event]),
		}
		if g, ok := seed["generic/"+event]; ok {
			want[FormatGeneric] = string(g)
		}
		for format, w := range want {
			if s, ok := seed[format+"/"+event]; ok {
				w = string(s)
			}
			got, warns := Body(format, m)
			if string(got) != compact(t, w) {
				t.Errorf("%s/%s body:\n got %s\nwant %s", format, event, got, compact(t, w))
			}
			if len(warns) != 0 {
				t.Errorf("%s/%s: unexpected warnings %v", format, event, warns)
			}
		}
	}
}

func TestBudgetDataStructureExample(t *testing.T) {
	data := map[string]any{"action": "warn", "project": "my-project"}
	got, _ := Body(FormatGeneric, Build("budget_warning", data, ExampleTime("budget_warning")))
	want := `{"event":"budget_warning","timestamp":"2026-03-05T10:30:00Z","data":{"period":"daily","spent":8.5,"limit":10.0,"percent":85.0,"action":"warn","project":"my-project"}}`
	if string(got) != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestBuildDerivesAndOverrides(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		name, event string
		data        map[string]any
		wantText    string
	}{
		{"percent derived", "budget_warning", map[string]any{"spent": 40.0, "limit": 50}, "⚠️ Budget Warning: daily budget at 80.0% ($40.00 / $50.00)"},
		{"percent given wins", "budget_warning", map[string]any{"percent": json.Number("91.5")}, "⚠️ Budget Warning: daily budget at 91.5% ($8.50 / $10.00)"},
		{"string numbers", "budget_exceeded", map[string]any{"spent": "12", "limit": "10", "period": "weekly"}, "🚫 Budget Exceeded: weekly limit of $10.00 reached (spent: $12.00). Action: block"},
		{"provider override", "provider_down", map[string]any{"provider": "openai", "error": "503"}, "🔴 Provider Down: openai is unhealthy. Error: 503"},
		{"unknown event", "deploy_done", map[string]any{"env": "prod", "n": 3}, "🔔 deploy_done: env=prod, n=3"},
		{"unknown with text", "pull_request", map[string]any{"text": "PR #1", "route": "gh"}, "PR #1"},
		{"unknown empty", "ping", nil, "🔔 ping"},
		{"gateway summary", "daily_summary", map[string]any{"date": "2026-01-01", "routes": map[string]any{
			"a": map[string]any{"requests": 3, "verified": 2, "failed": 1},
			"b": map[string]any{"requests": 5, "verified": 5, "duplicates": 1, "deliveries": 4}}},
			"📊 Daily Summary (2026-01-01): 8 requests on 2 routes; 7 verified, 1 failed, 1 duplicates, 4 deliveries (b 5, a 3)"},
		{"signature failed", "signature_failed", map[string]any{"route": "stripe", "scheme": "stripe", "peer": "10.0.0.1", "reason": "timestamp_out_of_tolerance"},
			"🔐 Signature Failed: route stripe rejected a stripe delivery from 10.0.0.1 (timestamp_out_of_tolerance)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := Build(tt.event, tt.data, now)
			if m.Text != tt.wantText {
				t.Errorf("text = %q, want %q", m.Text, tt.wantText)
			}
			if !m.Timestamp.Equal(now) {
				t.Errorf("timestamp = %v", m.Timestamp)
			}
		})
	}
}

func TestBuildDoesNotModifyCallerData(t *testing.T) {
	data := map[string]any{"spent": 1.0}
	Build("budget_warning", data, time.Now())
	if len(data) != 1 {
		t.Fatalf("caller's map changed: %v", data)
	}
}

func TestFormatAuto(t *testing.T) {
	tests := []struct{ format, url, want string }{
		{"auto", "https://hooks.slack.com/services/T/B/X", FormatSlack},
		{"", "https://slack.com/x", FormatSlack},
		{"auto", "https://discord.com/api/webhooks/1/x", FormatDiscord},
		{"auto", "https://discordapp.com/api/webhooks/1/x", FormatDiscord},
		{"auto", "https://ptb.discord.com/api/webhooks/1/x", FormatDiscord},
		{"auto", "https://notslack.com/x", FormatGeneric},
		{"auto", "https://slack.com.evil.example/x", FormatGeneric},
		{"auto", "http://127.0.0.1:9000/hook", FormatGeneric},
		{"auto", "::not a url", FormatGeneric},
		{"Discord", "https://hooks.slack.com/x", FormatDiscord},
	}
	for _, tt := range tests {
		if got := Format(tt.format, tt.url); got != tt.want {
			t.Errorf("Format(%q, %q) = %q, want %q", tt.format, tt.url, got, tt.want)
		}
	}
}

func TestLimitsWarnAndFit(t *testing.T) {
	long := strings.Repeat("é", 5000)
	m := Message{Event: strings.Repeat("e", 300), Timestamp: time.Unix(0, 0), Text: long}
	_, warns := Body(FormatDiscord, m)
	if len(warns) != 3 {
		t.Fatalf("discord warnings = %v, want title, description, content", warns)
	}
	body, warns := FitBody(FormatDiscord, m)
	var got discordBody
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	if n := len([]rune(got.Content)); n != DiscordContentLimit || !strings.HasSuffix(got.Content, "…") {
		t.Errorf("content cut to %d runes", n)
	}
	if n := len([]rune(got.Embeds[0].Description)); n != DiscordDescriptionLimit {
		t.Errorf("description cut to %d", n)
	}
	if n := len([]rune(got.Embeds[0].Title)); n != DiscordTitleLimit {
		t.Errorf("title cut to %d", n)
	}
	if len(warns) != 3 || !strings.Contains(warns[0].Message, "cut to") {
		t.Errorf("fit warnings = %v", warns)
	}
	body, warns = FitBody(FormatSlack, m)
	var slack slackBody
	if err := json.Unmarshal(body, &slack); err != nil {
		t.Fatal(err)
	}
	if n := len([]rune(slack.Blocks[0].Text.Text)); n != SlackSectionLimit || len(warns) != 1 {
		t.Errorf("slack section %d runes, warnings %v", n, warns)
	}
	if _, warns := Body(FormatGeneric, m); len(warns) != 0 {
		t.Errorf("generic has no limits, got %v", warns)
	}
}

func TestSlackEscapesControlCharacters(t *testing.T) {
	body, _ := Body(FormatSlack, Message{Event: "x", Text: "a < b & c > d"})
	if !strings.Contains(string(body), `"a &lt; b &amp; c &gt; d"`) {
		t.Errorf("body = %s", body)
	}
}

func TestColorsFromHex(t *testing.T) {
	if Color("budget_warning") != 16498468 {
		t.Errorf("amber = %d, want 16498468 (#FBBF24)", Color("budget_warning"))
	}
	for event, want := range seedColors {
		if got := Color(event); got != want {
			t.Errorf("Color(%s) = %#x, want %#x", event, got, want)
		}
	}
}

// A value that is not a number is shown as given, never as an invented 0.0.
func TestBuildShowsNonNumbersAsGiven(t *testing.T) {
	m := Build("budget_warning", map[string]any{"percent": "abc", "spent": "lots"}, time.Unix(0, 0))
	if strings.Contains(m.Text, "0.0%") || !strings.Contains(m.Text, "abc%") || !strings.Contains(m.Text, "(lots /") {
		t.Fatalf("text %q", m.Text)
	}
	m = Build("budget_warning", map[string]any{"percent": 85}, time.Unix(0, 0))
	if !strings.Contains(m.Text, "85.0%") {
		t.Fatalf("a number lost its format: %q", m.Text)
	}
}
