package detail

import (
	"context"
	"fmt"

	tea "charm.land/bubbletea/v2"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/tui/bodyview"
	"github.com/hooktap/hooktap/tui/pager"
)

// syncLimit is the largest body laid out on the UI goroutine; larger ones go to a Cmd so no
// key waits on them.
const syncLimit = 64 << 10

// docKey names one layout: the same key always lays out to the same lines.
type docKey struct {
	id    string
	tab   Tab
	mode  BodyMode
	width int
	style string
	set   bool
}

// laidOutMsg carries a body laid out off the UI goroutine.
type laidOutMsg struct {
	key   docKey
	lines pager.Lines
	err   error
}

func (m *Model) key() docKey {
	k := docKey{tab: m.tab, width: m.width, style: m.common.Styles.Theme.ChromaStyle, set: true}
	if m.capture != nil {
		k.id = m.capture.ID
	}
	if m.tab == TabBody {
		k.mode = m.mode
	}
	return k
}

// render shows the content for the current key: from the cache, laid out now when it is
// small, or by the returned Cmd when it is a large body (a line says so meanwhile).
func (m *Model) render() tea.Cmd {
	if m.width <= 0 {
		return nil
	}
	k := m.key()
	if k == m.shown {
		return nil
	}
	if m.capture == nil || m.tab != TabBody {
		m.show(k, pager.Plain(m.prose()))
		return nil
	}
	if lines, ok := m.bodies.get(k); ok {
		m.show(k, lines)
		return nil
	}
	c, note := m.capture, ""
	if c.Truncated {
		note = m.common.Styles.Marker.Render("(body truncated at the route's max_body_bytes)")
	}
	if len(c.Body) <= syncLimit {
		lines, _ := layoutBody(context.Background(), c, k, note)
		m.bodies.put(k, lines)
		m.show(k, lines)
		return nil
	}
	m.show(docKey{}, pager.Plain(m.common.Styles.Dim.Render(
		fmt.Sprintf("Laying out the %s body…", bodyview.SizeNote(len(c.Body))))))
	return m.bodies.start(k, func(ctx context.Context) (pager.Lines, error) { return layoutBody(ctx, c, k, note) })
}

func (m *Model) show(k docKey, lines pager.Lines) {
	m.shown = k
	m.pager.SetLines(lines)
}

// layoutBody lays out the Body tab: the note (if any), then the body in k's mode. It reads
// only what it is given, so it can run on another goroutine.
func layoutBody(ctx context.Context, c *capture.Capture, k docKey, note string) (pager.Lines, error) {
	lines, err := bodyview.Layout(ctx, c.Body, c.ContentType, k.mode, k.width, k.style)
	if err != nil || note == "" {
		return lines, err
	}
	return pager.Concat(pager.Plain(note), lines), nil
}

func (m *Model) applyLaidOut(msg laidOutMsg) tea.Cmd {
	if !m.bodies.finish(msg) {
		return nil
	}
	if msg.key == m.key() && msg.key != m.shown {
		m.show(msg.key, msg.lines)
	}
	return nil
}
