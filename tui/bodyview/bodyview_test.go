package bodyview

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/hooktap/hooktap/tui/pager"
)

// compactJSON returns about size bytes of compact JSON shaped like a provider's event list.
func compactJSON(size int) []byte {
	var b bytes.Buffer
	b.WriteString(`{"object":"list","data":[`)
	for i := 0; b.Len() < size-200; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"id":"evt_%08d","type":"payment_intent.succeeded","amount":%d,"live":false,"meta":null,"tags":["a","b"],"note":"caf\u00e9 order %d","nested":{"empty":{},"list":[]}}`, i, i*100, i)
	}
	b.WriteString(`],"has_more":false}`)
	return b.Bytes()
}

func lines(l pager.Lines) []string {
	out := make([]string, l.Len())
	for i := range out {
		out[i] = l.Line(i)
	}
	return out
}

func TestPrettyJSONMatchesIndent(t *testing.T) {
	body := compactJSON(4 << 10)
	got, err := Layout(context.Background(), body, "application/json", Pretty, 1000, "")
	if err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	if err := json.Indent(&want, body, "", "  "); err != nil {
		t.Fatal(err)
	}
	if g := strings.Join(lines(got), "\n"); g != want.String() {
		t.Fatalf("pretty JSON differs from json.Indent:\n%s\n---\n%s", g[:min(len(g), 600)], want.String()[:600])
	}
}

func TestEveryLineFitsTheWidth(t *testing.T) {
	body := []byte(`{"long":"` + strings.Repeat("abcdefghij", 30) + `","wide":"` + strings.Repeat("日本", 40) + `"}`)
	for _, mode := range []Mode{Pretty, Raw, Hex} {
		for _, width := range []int{9, 20, 37, 80, 133} {
			l, err := Layout(context.Background(), body, "application/json", mode, width, "monokai")
			if err != nil {
				t.Fatal(err)
			}
			for i, line := range lines(l) {
				if mode == Hex && width < hexWidth(1, 4) {
					break // a hex row of one byte is the least there is
				}
				if w := ansi.StringWidth(line); w > width {
					t.Fatalf("%s at %d: line %d is %d cells: %q", mode, width, i, w, line)
				}
			}
		}
	}
}

func TestWrappedStringsKeepTheirIndent(t *testing.T) {
	body := []byte(`{"a":{"b":"` + strings.Repeat("x", 50) + `"}}`)
	l, _ := Layout(context.Background(), body, "application/json", Pretty, 30, "")
	got := lines(l)
	if len(got) < 4 || !strings.HasPrefix(got[3], "      x") {
		t.Fatalf("a wrapped string must continue under its key's indent plus one level:\n%s", strings.Join(got, "\n"))
	}
}

func TestControlCharactersCannotReachTheTerminal(t *testing.T) {
	body := []byte("evil\x1b[2J\x1b]52;c;SGVsbG8=\x07\r text\u009b31m\x7f")
	l, _ := Layout(context.Background(), body, "text/plain", Raw, 80, "")
	out := strings.Join(lines(l), "\n")
	for _, bad := range []string{"\x1b", "\x07", "\r", "\u009b", "\x7f"} {
		if strings.Contains(out, bad) {
			t.Fatalf("layout kept %q: %q", bad, out)
		}
	}
	if !strings.Contains(out, "␛[2J") || !strings.Contains(out, "\uFFFD") {
		t.Fatalf("controls must show as visible stand-ins: %q", out)
	}
}

func TestHexFillsThePane(t *testing.T) {
	body := bytes.Repeat([]byte("hooktap!"), 100)
	for _, tt := range []struct{ width, perRow int }{{40, 4}, {78, 16}, {120, 24}, {160, 32}} {
		h := NewHexDump(body, tt.width)
		if h.PerRow() != tt.perRow {
			t.Errorf("width %d: %d bytes a row, want %d", tt.width, h.PerRow(), tt.perRow)
		}
		if w := len(h.Line(0)); w > tt.width {
			t.Errorf("width %d: row is %d cells", tt.width, w)
		}
	}
	h := NewHexDump([]byte{0, 1, 0xff, 'x'}, 78)
	if got := h.Line(0); !strings.HasPrefix(got, "00000000  00 01 ff 78") || !strings.HasSuffix(got, "|...x|") {
		t.Fatalf("row %q", got)
	}
}

func TestLayoutStopsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Layout(ctx, compactJSON(1<<20), "application/json", Pretty, 80, "monokai"); err == nil {
		t.Fatal("a cancelled layout must stop with the context's error")
	}
}

func TestHighlightOnlyWithAStyle(t *testing.T) {
	body := []byte(`{"a":1}`)
	plain, _ := Layout(context.Background(), body, "application/json", Pretty, 80, "")
	coloured, _ := Layout(context.Background(), body, "application/json", Pretty, 80, "monokai")
	if strings.Contains(strings.Join(lines(plain), ""), "\x1b[") || !strings.Contains(strings.Join(lines(coloured), ""), "\x1b[") {
		t.Fatal("colour must follow the style: none without, some with")
	}
	xml, _ := Layout(context.Background(), []byte("<a b=\"1\">t</a>"), "application/xml", Pretty, 80, "monokai")
	if !strings.Contains(xml.Line(0), "\x1b[") {
		t.Fatalf("XML must be highlighted: %q", xml.Line(0))
	}
}

// BenchmarkLayoutJSON1MiB is the work behind the first paint of a 1 MiB body's Body tab.
func BenchmarkLayoutJSON1MiB(b *testing.B) {
	body := compactJSON(1 << 20)
	for _, mode := range []Mode{Pretty, Raw} {
		b.Run(mode.String(), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				if _, err := Layout(context.Background(), body, "application/json", mode, 76, "monokai"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
