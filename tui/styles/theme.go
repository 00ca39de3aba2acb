// Package styles builds every lipgloss style the TUI uses from one theme, once, so pages never
// define their own colours.
package styles

import (
	"image/color"
	"strconv"
	"strings"

	"charm.land/lipgloss/v2"
)

// Theme is the palette the styles are built from.
type Theme struct {
	// Mono is true when colour is off (NO_COLOR): emphasis then comes from bold and reverse video.
	Mono bool
	// Dark is true for a dark terminal background.
	Dark bool

	Text, Muted, Accent, Border, BorderFocus color.Color
	OK, Fail, Warn, Info                     color.Color
	SelectedFg, SelectedBg                   color.Color
	// ChromaStyle names the chroma style used to highlight bodies.
	ChromaStyle string
}

// DarkTheme is the palette for dark backgrounds.
func DarkTheme() Theme {
	return Theme{
		Dark: true, Text: lipgloss.Color("#E4E4E7"), Muted: lipgloss.Color("#71717A"),
		Accent: lipgloss.Color("#A78BFA"), Border: lipgloss.Color("#3F3F46"), BorderFocus: lipgloss.Color("#A78BFA"),
		OK: lipgloss.Color("#4ADE80"), Fail: lipgloss.Color("#F87171"), Warn: lipgloss.Color("#FBBF24"),
		Info: lipgloss.Color("#60A5FA"), SelectedFg: lipgloss.Color("#FAFAFA"), SelectedBg: lipgloss.Color("#4C1D95"),
		ChromaStyle: "monokai",
	}
}

// LightTheme is the palette for light backgrounds.
func LightTheme() Theme {
	return Theme{
		Text: lipgloss.Color("#18181B"), Muted: lipgloss.Color("#71717A"),
		Accent: lipgloss.Color("#6D28D9"), Border: lipgloss.Color("#D4D4D8"), BorderFocus: lipgloss.Color("#6D28D9"),
		OK: lipgloss.Color("#15803D"), Fail: lipgloss.Color("#B91C1C"), Warn: lipgloss.Color("#B45309"),
		Info: lipgloss.Color("#1D4ED8"), SelectedFg: lipgloss.Color("#18181B"), SelectedBg: lipgloss.Color("#DDD6FE"),
		ChromaStyle: "github",
	}
}

// MonoTheme is the palette when colour is off: every colour is the terminal's default.
func MonoTheme(dark bool) Theme {
	none := lipgloss.NoColor{}
	return Theme{
		Mono: true, Dark: dark, Text: none, Muted: none, Accent: none, Border: none, BorderFocus: none,
		OK: none, Fail: none, Warn: none, Info: none, SelectedFg: none, SelectedBg: none,
	}
}

// ThemeFor picks the palette for a background and the NO_COLOR setting.
func ThemeFor(dark, noColor bool) Theme {
	switch {
	case noColor:
		return MonoTheme(dark)
	case dark:
		return DarkTheme()
	default:
		return LightTheme()
	}
}

// NoColorFromEnv reports whether NO_COLOR (https://no-color.org) asks for no colour. Any
// non-empty value counts, as the convention says, except explicit false values.
func NoColorFromEnv(environ []string) bool {
	for _, kv := range environ {
		name, value, ok := strings.Cut(kv, "=")
		if !ok || name != "NO_COLOR" || value == "" {
			continue
		}
		if b, err := strconv.ParseBool(value); err == nil {
			return b
		}
		return true
	}
	return false
}
