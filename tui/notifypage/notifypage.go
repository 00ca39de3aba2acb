// Package notifypage is the notify page: pick an event (or take the inspector's capture, rendered
// through its route's template) and a format or a configured webhook, edit the event's data,
// watch the live preview (Slack text, Discord embed, generic JSON) with
// the exact body and any platform-limit warnings, and send it for real after a confirmation.
package notifypage

import (
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textarea"
	tea "charm.land/bubbletea/v2"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/notify"
	"github.com/hooktap/hooktap/tui/common"
)

type field int

const (
	fieldEvent field = iota
	fieldTarget
	fieldData
	fieldCount
)

// Model is the notify page.
type Model struct {
	common     *common.Common
	dispatcher *notify.Dispatcher

	events   []string
	webhooks []notify.Webhook
	focus    field
	event    int
	target   int // index into targets(): the three formats, then the webhooks
	data     textarea.Model

	// selectedCapture is the inspector's selection; capture, when set, is the message source
	// instead of the event catalogue.
	selectedCapture func() *capture.Capture
	capture         *captured

	sending       bool
	results       []sendResult
	loadErr       error
	width, height int
}

// New returns the notify page. A nil dispatcher still previews; sending then says why it cannot.
func New(c *common.Common, d *notify.Dispatcher, opts ...Option) *Model {
	ta := c.NewTextArea()
	ta.ShowLineNumbers = false
	ta.Placeholder = "key=value per line"
	ta.Blur()
	m := &Model{common: c, dispatcher: d, events: notify.Events, data: ta}
	for _, o := range opts {
		o(m)
	}
	return m
}

// Activate reloads the configured webhooks each time the page is shown: API-created ones may
// have appeared since.
func (m *Model) Activate() tea.Cmd {
	if m.capture != nil {
		_ = m.takeCapture() // follow the inspector's selection; with none, keep the last one
	}
	if m.dispatcher == nil {
		return nil
	}
	return m.loadWebhooks()
}

// InputFocused reports whether the data editor has the keyboard.
func (m *Model) InputFocused() bool { return m.focus == fieldData }

// Update handles loaded webhooks, send answers and keys.
func (m *Model) Update(msg tea.Msg) (common.Component, tea.Cmd) {
	switch msg := msg.(type) {
	case webhooksMsg:
		m.webhooks, m.loadErr = msg.webhooks, msg.err
		m.target = clamp(m.target, len(m.targets()))
		m.sizeData()
		return m, nil
	case sentMsg:
		m.sending = false
		m.results = append([]sendResult{msg.result}, m.results...)
		m.results = m.results[:min(len(m.results), 4)]
		if msg.result.err != nil {
			return m, common.Error(msg.result.err)
		}
		return m, common.Status(msg.result.summary())
	case tea.KeyPressMsg:
		return m, m.handleKey(msg)
	}
	return m, nil
}

func (m *Model) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	k := m.common.Keys
	switch {
	case key.Matches(msg, k.NextField):
		m.setFocus((m.focus + 1) % m.fieldCount())
	case key.Matches(msg, k.PrevField):
		m.setFocus((m.focus + m.fieldCount() - 1) % m.fieldCount())
	case key.Matches(msg, k.Send):
		return m.confirmSend()
	case m.focus == fieldData:
		if key.Matches(msg, k.Back) {
			m.setFocus(fieldEvent)
			return nil
		}
		var cmd tea.Cmd
		m.data, cmd = m.data.Update(msg)
		return cmd
	case key.Matches(msg, captureKey):
		if err := m.toggleSource(); err != nil {
			return common.Error(err)
		}
	case key.Matches(msg, k.Up):
		m.moveBy(-1)
	case key.Matches(msg, k.Down):
		m.moveBy(1)
	case key.Matches(msg, k.Open):
		return m.confirmSend()
	}
	return nil
}

func (m *Model) setFocus(f field) {
	m.focus = f
	if f == fieldData {
		m.data.Focus()
		return
	}
	m.data.Blur()
}

// fieldCount skips the data editor while a capture is the source: its data is not edited.
func (m *Model) fieldCount() field {
	if m.capture != nil {
		return fieldData
	}
	return fieldCount
}

func (m *Model) moveBy(d int) {
	switch {
	case m.focus == fieldEvent && m.capture == nil:
		m.event = clamp(m.event+d, len(m.events))
	case m.focus == fieldTarget:
		m.target = clamp(m.target+d, len(m.targets()))
	}
}

func clamp(v, n int) int { return min(max(v, 0), max(n-1, 0)) }

// SetSize sets the page size.
func (m *Model) SetSize(width, height int) {
	m.width, m.height = width, height
	m.sizeData()
}

// ShortHelp lists the page's main keys.
func (m *Model) ShortHelp() []key.Binding {
	k := m.common.Keys
	if m.focus == fieldData {
		return []key.Binding{k.NextField, k.Send, k.Back}
	}
	if m.selectedCapture != nil {
		return []key.Binding{k.NextField, k.Up, k.Down, captureKey, k.Send, k.Back}
	}
	return []key.Binding{k.NextField, k.Up, k.Down, k.Send, k.Back}
}

// FullHelp lists every key of the page.
func (m *Model) FullHelp() [][]key.Binding {
	k := m.common.Keys
	choose := []key.Binding{k.NextField, k.PrevField, k.Up, k.Down}
	if m.selectedCapture != nil {
		choose = append(choose, captureKey)
	}
	return [][]key.Binding{choose, {k.Send, k.Open, k.Confirm, k.Cancel}}
}
