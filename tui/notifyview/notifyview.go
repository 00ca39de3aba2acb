// Package notifyview renders an outgoing alert the way its destination would show it: Slack's
// text with mrkdwn applied, a Discord embed with its colour bar, or the generic JSON body.
package notifyview

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/hooktap/hooktap/notify"
)

// palette is the handful of colours a preview needs (Slack and Discord's own look, roughly).
var (
	mutedColor = lipgloss.Color("#8E9297")
	frameColor = lipgloss.Color("#4F545C")
	warnColor  = lipgloss.Color("#FBBF24")
	nameColor  = lipgloss.Color("#FFFFFF")
	codeColor  = lipgloss.Color("#E01E5A")
)

// Render draws m in format (slack, discord or generic) at most width columns wide, then any
// platform-limit warnings. With noColor every ANSI sequence is removed (NO_COLOR, pipes, goldens).
func Render(m notify.Message, format string, width int, noColor bool) string {
	width = max(width, 30)
	body, warnings := notify.Body(format, m)
	var out string
	switch strings.ToLower(format) {
	case notify.FormatSlack:
		out = renderSlack(body, width)
	case notify.FormatDiscord:
		out = renderDiscord(m, body, width)
	default:
		out = renderGeneric(body, width)
	}
	if w := renderWarnings(warnings, width); w != "" {
		out += "\n" + w
	}
	if noColor {
		out = ansi.Strip(out)
	}
	return out
}

// renderSlack shows the section block's text as Slack displays it, in a message frame.
func renderSlack(body []byte, width int) string {
	var msg struct {
		Blocks []struct {
			Text struct {
				Text string `json:"text"`
			} `json:"text"`
		} `json:"blocks"`
	}
	_ = json.Unmarshal(body, &msg)
	var texts []string
	for _, b := range msg.Blocks {
		texts = append(texts, Mrkdwn(b.Text.Text))
	}
	header := lipgloss.NewStyle().Bold(true).Foreground(nameColor).Render("hooktap") + " " +
		lipgloss.NewStyle().Foreground(mutedColor).Render("APP")
	frame := lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(frameColor).
		Padding(0, 1).Width(width)
	return title("Slack") + "\n" + frame.Render(header+"\n"+strings.Join(texts, "\n"))
}

// renderDiscord shows the embed: a left bar in the event's colour, title, description, time.
func renderDiscord(m notify.Message, body []byte, width int) string {
	var msg struct {
		Content string `json:"content"`
		Embeds  []struct {
			Title       string `json:"title"`
			Description string `json:"description"`
			Timestamp   string `json:"timestamp"`
			Color       int    `json:"color"`
		} `json:"embeds"`
	}
	_ = json.Unmarshal(body, &msg)
	lines := []string{lipgloss.NewStyle().Bold(true).Foreground(nameColor).Render("hooktap") + " " +
		lipgloss.NewStyle().Foreground(mutedColor).Render("BOT"), msg.Content}
	for _, e := range msg.Embeds {
		bar := lipgloss.Color(fmt.Sprintf("#%06X", e.Color))
		embed := lipgloss.NewStyle().Border(lipgloss.ThickBorder(), false, false, false, true).
			BorderForeground(bar).Padding(0, 1).Width(width - 4).
			Render(lipgloss.NewStyle().Bold(true).Render(e.Title) + "\n" + e.Description + "\n" +
				lipgloss.NewStyle().Foreground(mutedColor).Render(e.Timestamp+fmt.Sprintf("  ·  colour #%06X", e.Color)))
		lines = append(lines, embed)
	}
	frame := lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(frameColor).
		Padding(0, 1).Width(width)
	return title("Discord") + "\n" + frame.Render(strings.Join(lines, "\n"))
}

// renderGeneric pretty-prints the JSON body, keeping its key order and number literals.
func renderGeneric(body []byte, width int) string {
	var buf bytes.Buffer
	if err := json.Indent(&buf, body, "", "  "); err != nil {
		buf.Reset()
		buf.Write(body)
	}
	frame := lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(frameColor).
		Padding(0, 1).Width(width)
	return title("Generic JSON") + "\n" + frame.Render(buf.String())
}

func renderWarnings(warnings []notify.Warning, width int) string {
	if len(warnings) == 0 {
		return ""
	}
	style := lipgloss.NewStyle().Foreground(warnColor).Width(width)
	lines := make([]string, len(warnings))
	for i, w := range warnings {
		lines[i] = style.Render("⚠ " + w.Message + "; `notify send` cuts it at the limit")
	}
	return strings.Join(lines, "\n")
}

func title(platform string) string {
	return lipgloss.NewStyle().Foreground(mutedColor).Render(platform + " preview")
}
