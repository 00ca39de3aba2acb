package styles

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

func TestNoColorFromEnv(t *testing.T) {
	tests := []struct {
		name string
		env  []string
		want bool
	}{
		{"unset", []string{"TERM=xterm"}, false},
		{"empty", []string{"NO_COLOR="}, false},
		{"one", []string{"NO_COLOR=1"}, true},
		{"any text", []string{"NO_COLOR=yes please"}, true},
		{"explicit false", []string{"NO_COLOR=false"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := NoColorFromEnv(tt.env); got != tt.want {
				t.Fatalf("NoColorFromEnv(%q) = %v, want %v", tt.env, got, tt.want)
			}
		})
	}
}

func TestMonoStylesEmitNoColour(t *testing.T) {
	s := DefaultStyles(ThemeFor(true, true))
	out := s.VerdictFail.Render("✗") + s.RowSelected.Render("row") + s.Pane.Render("x")
	// SGR 38/48 introduce foreground/background colours; mono output must have none.
	for _, code := range []string{"38;", "48;"} {
		if strings.Contains(out, code) {
			t.Fatalf("mono styles emitted a colour (%q) in %q", code, out)
		}
	}
	if !strings.Contains(s.RowSelected.Render("row"), "\x1b[") {
		t.Fatal("mono selection has no emphasis; it would be invisible")
	}
	if ansi.Strip(out) == "" {
		t.Fatal("rendered nothing")
	}
}

func TestThemeFor(t *testing.T) {
	if ThemeFor(true, false).ChromaStyle == ThemeFor(false, false).ChromaStyle {
		t.Fatal("dark and light themes should highlight differently")
	}
	if !ThemeFor(false, true).Mono {
		t.Fatal("NO_COLOR must give the mono theme")
	}
	if DefaultStyles(DarkTheme()).VerdictOK.Render("✓") == "✓" {
		t.Fatal("coloured theme rendered no colour")
	}
}
