package notifyview

import (
	"regexp"
	"strings"

	"charm.land/lipgloss/v2"
)

// mrkdwnToken matches the Slack mrkdwn spans a preview renders: links (<url|label>, <url>),
// `code`, *bold*, _italic_ and ~strike~. Spans do not cross lines, as in Slack.
var mrkdwnToken = regexp.MustCompile("<([^|>\\n]+)(?:\\|([^>\\n]+))?>|`([^`\\n]+)`|\\*([^*\\n]+)\\*|_([^_\\n]+)_|~([^~\\n]+)~")

var (
	boldStyle   = lipgloss.NewStyle().Bold(true)
	italicStyle = lipgloss.NewStyle().Italic(true)
	strikeStyle = lipgloss.NewStyle().Strikethrough(true)
	codeStyle   = lipgloss.NewStyle().Foreground(codeColor)
	linkStyle   = lipgloss.NewStyle().Underline(true).Foreground(lipgloss.Color("#1D9BD1"))
)

// Mrkdwn turns Slack mrkdwn into styled terminal text and undoes Slack's &amp; &lt; &gt; escapes.
func Mrkdwn(s string) string {
	out := mrkdwnToken.ReplaceAllStringFunc(s, func(tok string) string {
		g := mrkdwnToken.FindStringSubmatch(tok)
		switch {
		case g[1] != "":
			label := g[2]
			if label == "" {
				label = g[1]
			}
			return linkStyle.Render(label)
		case g[3] != "":
			return codeStyle.Render(g[3])
		case g[4] != "":
			return boldStyle.Render(g[4])
		case g[5] != "":
			return italicStyle.Render(g[5])
		case g[6] != "":
			return strikeStyle.Render(g[6])
		}
		return tok
	})
	// ANSI sequences hold no "&", so one pass over the whole text unescapes each entity once.
	return unescape(out)
}

func unescape(s string) string {
	return strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&").Replace(s)
}
