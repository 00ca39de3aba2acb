package detail

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/tui/common"
	"github.com/hooktap/hooktap/tui/internal/tuitest"
	"github.com/hooktap/hooktap/tui/styles"
)

// bigCapture holds about size bytes of compact JSON, one line, as providers send it.
func bigCapture(size int) *capture.Capture {
	var b bytes.Buffer
	b.WriteString(`{"object":"list","data":[`)
	for i := 0; b.Len() < size-2; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"id":"evt_%08d","type":"invoice.paid","amount":%d,"live":true,"customer":{"name":"Zoë %d","tags":["a","b"]}}`, i, i*7, i)
	}
	b.WriteString(`]}`)
	c := *tuitest.Fixtures()[2]
	c.ID, c.Body, c.BodySize = tuitest.ID(77), b.Bytes(), b.Len()
	return &c
}

// colourCommon is a Common with the dark theme, so highlighting is part of what is measured.
func colourCommon() *common.Common {
	c := tuitest.Common(120, 40)
	*c.Styles = *styles.DefaultStyles(styles.DarkTheme())
	return c
}

// open shows c's Body tab in a pane of 70×30 and runs the layout Cmd as the program would.
func open(m *Model, c *capture.Capture) {
	cmds := []tea.Cmd{m.SetCapture(c), m.SetTab(TabBody)}
	for _, cmd := range cmds {
		if cmd != nil {
			m.Update(cmd())
		}
	}
}

func TestLargeBodyIsLaidOutOffTheUIGoroutine(t *testing.T) {
	m := New(colourCommon())
	m.SetSize(70, 30)
	m.SetCapture(bigCapture(1 << 20))
	cmd := m.SetTab(TabBody)
	if cmd == nil || !strings.Contains(tuitest.Plain(m.View()), "Laying out the 1.0 MiB body") {
		t.Fatalf("a 1 MiB body must be laid out by a Cmd, with a line saying so meanwhile:\n%s", tuitest.Plain(m.View()))
	}
	m.Update(cmd())
	view := tuitest.Plain(m.View())
	if !strings.Contains(view, `"object": "list"`) || !strings.Contains(view, "1–28/") {
		t.Fatalf("the laid-out body must show, pretty, with its position:\n%s", view)
	}
	// A key costs the screen, not the body: as much as in a small body.
	keyAllocs := func(m *Model) float64 {
		return testing.AllocsPerRun(20, func() {
			m.Update(tuitest.Key("j"))
			_ = m.View()
		})
	}
	small := New(colourCommon())
	small.SetSize(70, 30)
	open(small, bigCapture(8<<10))
	if big, base := keyAllocs(m), keyAllocs(small); big > base+10 {
		t.Fatalf("a key in a 1 MiB body allocates %.0f times, %.0f in an 8 KiB one; the view must draw only the screen", big, base)
	}
	// Back to the tab: the cache answers, no Cmd.
	m.SetTab(TabSummary)
	if cmd := m.SetTab(TabBody); cmd != nil {
		t.Fatal("a body laid out before must come from the cache")
	}
}

func TestALayoutForAnOldSelectionIsDropped(t *testing.T) {
	m := New(colourCommon())
	m.SetSize(70, 30)
	m.SetTab(TabBody)
	first := m.SetCapture(bigCapture(200 << 10))
	second := bigCapture(300 << 10)
	second.ID = tuitest.ID(78)
	next := m.SetCapture(second)
	m.Update(first()) // cancelled: it must not replace what is on show
	if strings.Contains(tuitest.Plain(m.View()), `"object"`) {
		t.Fatal("the first capture's layout was shown after the selection moved on")
	}
	m.Update(next())
	if !strings.Contains(tuitest.Plain(m.View()), `"object"`) {
		t.Fatal("the current capture's layout must show")
	}
}

// BenchmarkBodyFirstPaint1MiB: select a capture with a 1 MiB compact JSON body and open its
// Body tab until the pretty, highlighted lines are drawn (layout Cmd included).
func BenchmarkBodyFirstPaint1MiB(b *testing.B) {
	c := bigCapture(1 << 20)
	b.ReportAllocs()
	for b.Loop() {
		m := New(colourCommon())
		m.SetSize(70, 30)
		open(m, c)
		_ = m.View()
	}
}

// BenchmarkBodyKey1MiB: one scroll key in that Body tab, and the redraw.
func BenchmarkBodyKey1MiB(b *testing.B) {
	m := New(colourCommon())
	m.SetSize(70, 30)
	open(m, bigCapture(1<<20))
	keys := []tea.KeyPressMsg{tuitest.Key("j"), tuitest.Key("pgdown"), tuitest.Key("k")}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		m.Update(keys[i%len(keys)])
		_ = m.View()
		i++
	}
}

// BenchmarkTabSwitch1MiB: ] and [ between the Body tab of that capture and the Response tab,
// and the redraw.
func BenchmarkTabSwitch1MiB(b *testing.B) {
	m := New(colourCommon())
	m.SetSize(70, 30)
	open(m, bigCapture(1<<20))
	keys := []tea.KeyPressMsg{tuitest.Key("]"), tuitest.Key("[")}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		m.Update(keys[i%2])
		_ = m.View()
		i++
	}
}
