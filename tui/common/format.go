package common

import (
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"
	"strconv"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/internal/shortid"
	"github.com/hooktap/hooktap/signature"
)

// VerdictSymbol is the one-cell mark of a verification result: ✓ verified, ✗ failed, – skipped.
func VerdictSymbol(r signature.Result) string {
	switch r {
	case signature.Verified:
		return "✓"
	case signature.Failed:
		return "✗"
	default:
		return "–"
	}
}

// HumanSize formats a byte count in at most five cells: 512B, 7.2K, 13M.
func HumanSize(n int) string {
	const k = 1024
	switch {
	case n < 0:
		return "?"
	case n < k:
		return strconv.Itoa(n) + "B"
	case n < 10*k:
		return fmt.Sprintf("%.1fK", float64(n)/k)
	case n < k*k:
		return strconv.Itoa(n/k) + "K"
	case n < 10*k*k:
		return fmt.Sprintf("%.1fM", float64(n)/(k*k))
	default:
		return strconv.Itoa(n/(k*k)) + "M"
	}
}

// HumanLatency formats a duration in at most six cells: 850µs, 12ms, 1.3s.
func HumanLatency(d time.Duration) string {
	switch {
	case d <= 0:
		return "–"
	case d < time.Millisecond:
		return strconv.Itoa(int(d.Microseconds())) + "µs"
	case d < time.Second:
		return strconv.Itoa(int(d.Milliseconds())) + "ms"
	case d < time.Minute:
		return fmt.Sprintf("%.1fs", d.Seconds())
	default:
		return d.Round(time.Second).String()
	}
}

// BodySize is the size of a capture's body, known from the store even when a list page did not
// load the body.
func BodySize(c *capture.Capture) int {
	if len(c.Body) > c.BodySize {
		return len(c.Body)
	}
	return c.BodySize
}

// Fit cuts s to width cells with an ellipsis, or pads it with spaces to exactly width cells.
func Fit(s string, width int) string {
	if width <= 0 {
		return ""
	}
	w := ansi.StringWidth(s)
	if w > width {
		return ansi.Truncate(s, width, "…")
	}
	return s + spaces(width-w)
}

// Spread puts left and right on one line of width cells, right flush with the edge; when both
// do not fit, right is dropped.
func Spread(left, right string, width int) string {
	gap := width - ansi.StringWidth(left) - ansi.StringWidth(right)
	if gap < 2 {
		return left
	}
	return left + spaces(gap) + right
}

// SGR is the escape sequence that switches to style's colours and attributes, for text laid out
// by a pager.Writer (which closes every run itself); "" when the style sets nothing.
func SGR(style lipgloss.Style) string {
	const mark = "\x00"
	prefix, _, _ := strings.Cut(style.Render(mark), mark)
	return prefix
}

// Cut shortens s to at most width cells with an ellipsis, without padding.
func Cut(s string, width int) string {
	if width <= 0 {
		return ""
	}
	return ansi.Truncate(s, width, "…")
}

func spaces(n int) string {
	if n <= 0 {
		return ""
	}
	b := make([]byte, n)
	for i := range b {
		b[i] = ' '
	}
	return string(b)
}

// ShortID is the form of an id every surface shows and every command accepts (see
// internal/shortid): the last characters, the random part of a ULID.
func ShortID(id string) string { return shortid.Display(id) }
