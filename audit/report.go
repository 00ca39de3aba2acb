package audit

import (
	"fmt"
	"io"
	"strings"
)

// WriteText writes the scorecard as the CLI prints it: one line per check with ✓ / ✗ / ! / –,
// and under each failure or warning what it means and how to fix it.
func (s *Scorecard) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "audit of %s\n%s %s · %s signature · %s waits %s\n\n", s.URL, s.Provider, s.Event, s.Scheme,
		profileTitle(s.Provider), s.Timeout)
	width := 0
	for _, c := range s.Checks {
		width = max(width, len([]rune(c.Title)))
	}
	for _, c := range s.Checks {
		tag := ""
		if !c.Required && c.Status == Warn {
			tag = " (advice)"
		}
		fmt.Fprintf(&b, "  %s %-*s  %s%s\n", c.Status.Mark(), width, c.Title, c.Got, tag)
		if c.Status == Fail || c.Status == Warn {
			fmt.Fprintf(&b, "      expected %s\n", c.Expect)
			writeWrapped(&b, "      ", c.Meaning)
			writeWrapped(&b, "      fix: ", c.Fix)
		}
	}
	verdict := "PASS"
	if !s.Passed {
		verdict = "FAIL"
	}
	fmt.Fprintf(&b, "\n%s: %d of %d required checks passed", verdict, s.RequiredPassed, s.RequiredTotal)
	if s.Warnings > 0 {
		fmt.Fprintf(&b, ", %d warning(s)", s.Warnings)
	}
	b.WriteString("\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func profileTitle(provider string) string {
	if p, ok := providerByName(provider); ok {
		return p.prof.title
	}
	return provider
}

// writeWrapped writes text after prefix, wrapped at 100 columns with a matching indent.
func writeWrapped(b *strings.Builder, prefix, text string) {
	if text == "" {
		return
	}
	indent := strings.Repeat(" ", len([]rune(prefix)))
	line := prefix
	for _, word := range strings.Fields(text) {
		if len([]rune(line))+1+len([]rune(word)) > 100 && strings.TrimSpace(line) != strings.TrimSpace(prefix) {
			b.WriteString(line + "\n")
			line = indent
		}
		if line != prefix && line != indent {
			line += " "
		}
		line += word
	}
	b.WriteString(line + "\n")
}
