package notifypage

import (
	"errors"
	"fmt"
	"time"

	"charm.land/bubbles/v2/key"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/config"
	"github.com/hooktap/hooktap/notify"
	"github.com/hooktap/hooktap/payload"
	"github.com/hooktap/hooktap/tui/common"
)

// Option configures the page.
type Option func(*Model)

// WithCaptures gives the page the capture selected in the inspector (with its body, or nil), the
// second source of a message: a captured request rendered through its route's template.
func WithCaptures(selected func() *capture.Capture) Option {
	return func(m *Model) { m.selectedCapture = selected }
}

// captureKey switches between the event catalogue and the captured request. It is the page's
// own key: "c" means curl in the inspector and copy on the routes page, never here.
var captureKey = key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "events/capture"))

// ErrNoCaptureSource explains why c does nothing in a session without the inspector.
var ErrNoCaptureSource = errors.New("no captures in this session: the notify page runs without the inspector")

// ErrNoCapture asks the user to pick a capture first.
var ErrNoCapture = errors.New("no capture selected: pick one in the inspector (1), then come back and press c")

// captured is a capture rendered the way the gateway renders it for slack, discord and generic
// routes (docs/templates.md), with what the page says about it.
type captured struct {
	c        *capture.Capture
	template string // the route's prompt; "" renders the whole payload
	known    bool   // the route is configured now
	message  notify.Message
}

// renderCapture renders c through its route's template: the message the route would deliver.
func renderCapture(c *capture.Capture, routes []config.Route, now time.Time) captured {
	out := captured{c: c}
	for _, r := range routes {
		if r.Name == c.Route {
			out.template, out.known = r.Prompt, true
			break
		}
	}
	doc := payload.Open(c.ContentType, c.Body)
	text := doc.Render(out.template)
	out.message = notify.Message{Event: c.Event, Text: text, Timestamp: now.UTC(),
		Data: map[string]any{"text": text, "route": c.Route}}
	return out
}

// toggleSource switches to the selected capture, or back to the event catalogue.
func (m *Model) toggleSource() error {
	if m.capture != nil {
		m.capture = nil
		return nil
	}
	return m.takeCapture()
}

// takeCapture renders the inspector's selection; it keeps the current source when there is none.
func (m *Model) takeCapture() error {
	if m.selectedCapture == nil {
		return ErrNoCaptureSource
	}
	c := m.selectedCapture()
	if c == nil {
		return ErrNoCapture
	}
	r := renderCapture(c, m.common.RouteList(), m.common.Now())
	m.capture = &r
	if m.focus == fieldData {
		m.setFocus(fieldEvent) // the capture's data is not edited
	}
	return nil
}

// lines describe the captured request in the left column.
func (r captured) lines() []string {
	event := r.c.Event
	if event == "" {
		event = "— (none found)"
	}
	template := r.template
	switch {
	case !r.known:
		template = fmt.Sprintf("none: route %q is not configured now; the whole payload", r.c.Route)
	case template == "":
		template = "none: the whole payload as JSON"
	}
	return []string{
		fmt.Sprintf(" #%s %s %s", common.ShortID(r.c.ID), r.c.Method, r.c.Path),
		" route    " + r.c.Route,
		" event    " + event,
		" template " + template,
	}
}
