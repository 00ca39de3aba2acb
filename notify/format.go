package notify

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"time"
	"unicode/utf8"
)

// The body formats.
const (
	FormatAuto    = "auto"
	FormatSlack   = "slack"
	FormatDiscord = "discord"
	FormatGeneric = "generic"
)

// Platform limits (Slack's section and block caps, Discord's embed caps), in characters.
const (
	SlackSectionLimit       = 3000
	SlackBlocksLimit        = 50
	DiscordContentLimit     = 2000
	DiscordDescriptionLimit = 4096
	DiscordTitleLimit       = 256
	DiscordEmbedsLimit      = 10
)

// Warning says that a body field is over its platform's limit (and, when sending, that it was cut).
type Warning struct {
	Field   string `json:"field"`
	Length  int    `json:"length"`
	Limit   int    `json:"limit"`
	Message string `json:"message"`
}

func (w Warning) String() string { return w.Message }

// Format resolves a webhook's format: "auto" (or empty) follows the URL's host — slack.com is
// Slack, discord.com and discordapp.com are Discord, anything else is generic JSON.
func Format(f string, webhookURL string) string {
	f = strings.ToLower(strings.TrimSpace(f))
	if f != "" && f != FormatAuto {
		return f
	}
	u, err := url.Parse(webhookURL)
	if err != nil {
		return FormatGeneric
	}
	host := strings.ToLower(u.Hostname())
	switch {
	case hostIs(host, "slack.com"):
		return FormatSlack
	case hostIs(host, "discord.com"), hostIs(host, "discordapp.com"):
		return FormatDiscord
	}
	return FormatGeneric
}

// hostIs reports whether host is domain or one of its subdomains (hooks.slack.com).
func hostIs(host, domain string) bool {
	return host == domain || strings.HasSuffix(host, "."+domain)
}

// ValidFormat reports whether f names a format (auto included).
func ValidFormat(f string) bool {
	switch strings.ToLower(f) {
	case "", FormatAuto, FormatSlack, FormatDiscord, FormatGeneric:
		return true
	}
	return false
}

// Body returns the exact request body of m in format f (slack, discord or generic; auto is not
// resolved here) and a warning for every field over its platform's limit. Nothing is cut.
func Body(format string, m Message) ([]byte, []Warning) {
	return body(format, m, false)
}

// FitBody is Body for sending: fields over a platform limit are cut cleanly at the limit (on a
// character boundary, ending in "…") and each cut is reported as a warning.
func FitBody(format string, m Message) ([]byte, []Warning) {
	return body(format, m, true)
}

func body(format string, m Message, fit bool) ([]byte, []Warning) {
	var lim limiter
	lim.fit = fit
	switch strings.ToLower(format) {
	case FormatSlack:
		text := lim.check("blocks[0].text.text", slackEscape(m.Text), SlackSectionLimit, "Slack")
		return encode(slackBody{Text: text, Blocks: []slackBlock{{Type: "section",
			Text: slackText{Type: "mrkdwn", Text: text}}}}), lim.warnings
	case FormatDiscord:
		embed := discordEmbed{
			Title:       lim.check("embeds[0].title", m.Event, DiscordTitleLimit, "Discord"),
			Description: lim.check("embeds[0].description", m.Text, DiscordDescriptionLimit, "Discord"),
			Timestamp:   timestamp(m.Timestamp),
			Color:       Color(m.Event),
		}
		content := lim.check("content", m.Text, DiscordContentLimit, "Discord")
		return encode(discordBody{Content: content, Embeds: []discordEmbed{embed}}), lim.warnings
	}
	return genericBody(m), nil
}

type slackBody struct {
	Text   string       `json:"text"`
	Blocks []slackBlock `json:"blocks"`
}

type slackBlock struct {
	Type string    `json:"type"`
	Text slackText `json:"text"`
}

type slackText struct {
	Type string `json:"type"`
	Text string `json:"text"`
}

type discordBody struct {
	Content string         `json:"content"`
	Embeds  []discordEmbed `json:"embeds"`
}

type discordEmbed struct {
	Title       string `json:"title"`
	Description string `json:"description"`
	Timestamp   string `json:"timestamp"`
	Color       int    `json:"color"`
}

// slackEscape escapes the three characters Slack's mrkdwn treats as control characters.
func slackEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// timestamp renders an event time as RFC 3339 in UTC, whole seconds, as the catalogue shows.
func timestamp(t time.Time) string {
	return t.UTC().Truncate(time.Second).Format(time.RFC3339)
}

// limiter checks fields against their limits, collecting warnings and cutting when fit is set.
type limiter struct {
	fit      bool
	warnings []Warning
}

func (l *limiter) check(field, s string, limit int, platform string) string {
	n := utf8.RuneCountInString(s)
	if n <= limit {
		return s
	}
	w := Warning{Field: field, Length: n, Limit: limit,
		Message: fmt.Sprintf("%s %s is %d characters; %s allows %d", platform, field, n, platform, limit)}
	if l.fit {
		s = cut(s, limit)
		w.Message += fmt.Sprintf(" (cut to %d)", limit)
	}
	l.warnings = append(l.warnings, w)
	return s
}

// cut shortens s to limit characters, the last one an ellipsis so readers see it was cut.
func cut(s string, limit int) string {
	if limit <= 1 {
		return "…"
	}
	runes := []rune(s)
	return string(runes[:limit-1]) + "…"
}

// encode marshals without HTML escaping, so "&" and "<" stay as written.
func encode(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return []byte(fmt.Sprintf(`{"error":%q}`, err.Error()))
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

// genericBody writes {"event","timestamp","data"} with data's fields in the catalogue's order,
// then the others ("text" first, the rest sorted), so bodies are stable and match the catalogue.
func genericBody(m Message) []byte {
	var buf bytes.Buffer
	buf.WriteString(`{"event":`)
	buf.Write(encode(m.Event))
	buf.WriteString(`,"timestamp":`)
	buf.Write(encode(timestamp(m.Timestamp)))
	buf.WriteString(`,"data":{`)
	for i, k := range dataOrder(m.Event, m.Data) {
		if i > 0 {
			buf.WriteByte(',')
		}
		buf.Write(encode(k))
		buf.WriteByte(':')
		buf.Write(encode(m.Data[k]))
	}
	buf.WriteString("}}")
	return buf.Bytes()
}

// dataOrder is the order of data's keys in a generic body.
func dataOrder(event string, data map[string]any) []string {
	keys := make([]string, 0, len(data))
	seen := make(map[string]bool, len(data))
	if spec := specFor(event, data); spec != nil {
		for _, k := range spec.fields {
			if _, ok := data[k]; ok {
				keys = append(keys, k)
				seen[k] = true
			}
		}
	}
	if _, ok := data["text"]; ok && !seen["text"] {
		keys = append(keys, "text")
		seen["text"] = true
	}
	rest := make([]string, 0, len(data))
	for k := range data {
		if !seen[k] {
			rest = append(rest, k)
		}
	}
	sort.Strings(rest)
	return append(keys, rest...)
}
