// Package tuitest holds what the TUI's tests share: a real capture store seeded with fixed
// captures, a Common with a fixed clock, zone and no colour, key messages, and golden files.
package tuitest

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/tui/common"
	"github.com/hooktap/hooktap/tui/styles"
)

// Update rewrites golden files instead of comparing against them: go test ./tui/... -update
var Update = flag.Bool("update", false, "rewrite testdata/*.golden")

// Now is the fixed clock of every TUI test.
var Now = time.Date(2026, 3, 4, 10, 32, 0, 0, time.UTC)

// Common returns a Common with mono styles, UTC and the fixed clock, sized width×height.
func Common(width, height int) *common.Common {
	c := common.New(styles.MonoTheme(true), nil)
	c.Now = func() time.Time { return Now }
	c.Location = time.UTC
	c.Width, c.Height = width, height
	return c
}

// OpenStore opens a real SQLite store in a temporary directory.
func OpenStore(t testing.TB) *capture.SQLite {
	t.Helper()
	s, err := capture.Open(filepath.Join(t.TempDir(), "hooktap.db"), capture.WithClock(func() time.Time { return Now }))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// ID is the fixed capture id number i: ULID-shaped, sorting by i.
func ID(i int) string { return fmt.Sprintf("01jnq%021d", i) }

// Save stores captures in order, concurrently in chunks so big seeds use group commit.
func Save(t testing.TB, s capture.Store, cs ...*capture.Capture) {
	t.Helper()
	const chunk = 256
	for start := 0; start < len(cs); start += chunk {
		var wg sync.WaitGroup
		for _, c := range cs[start:min(start+chunk, len(cs))] {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := s.Save(context.Background(), c); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
	}
}

// Key builds a key press from its name as key.Matches sees it: "j", "G", "enter", "ctrl+c".
func Key(name string) tea.KeyPressMsg {
	special := map[string]rune{
		"enter": tea.KeyEnter, "esc": tea.KeyEscape, "tab": tea.KeyTab, "up": tea.KeyUp,
		"down": tea.KeyDown, "left": tea.KeyLeft, "right": tea.KeyRight, "pgup": tea.KeyPgUp,
		"pgdown": tea.KeyPgDown, "home": tea.KeyHome, "end": tea.KeyEnd, "backspace": tea.KeyBackspace,
		"space": tea.KeySpace,
	}
	var mod tea.KeyMod
	for {
		switch {
		case strings.HasPrefix(name, "ctrl+"):
			mod |= tea.ModCtrl
			name = strings.TrimPrefix(name, "ctrl+")
			continue
		case strings.HasPrefix(name, "shift+"):
			mod |= tea.ModShift
			name = strings.TrimPrefix(name, "shift+")
			continue
		}
		break
	}
	if code, ok := special[name]; ok {
		return tea.KeyPressMsg{Code: code, Mod: mod}
	}
	r := []rune(name)[0]
	if mod != 0 {
		return tea.KeyPressMsg{Code: r, Mod: mod}
	}
	return tea.KeyPressMsg{Code: r, Text: name}
}

// Type returns one key press per character of s, for text fields.
func Type(s string) []tea.Msg {
	msgs := make([]tea.Msg, 0, len(s))
	for _, r := range s {
		msgs = append(msgs, tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	return msgs
}

// Golden compares got (ANSI stripped, trailing spaces trimmed) with testdata/name.golden, or
// rewrites the file with -update.
func Golden(t *testing.T, name, got string) {
	t.Helper()
	GoldenExact(t, name, Plain(got))
}

// GoldenExact is Golden without stripping: for screens whose colours are what is tested.
func GoldenExact(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *Update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test with -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file; run with -update and review.\n--- got ---\n%s\n--- want ---\n%s", path, got, want)
	}
}

// Plain strips ANSI and trailing spaces per line so goldens read as the screen looks.
func Plain(s string) string {
	lines := strings.Split(ansi.Strip(s), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n") + "\n"
}
