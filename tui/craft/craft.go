// Package craft is the craft page: pick a provider and event from the built-in fixtures, edit
// the body, choose a route or a URL, and send it signed — or one of the negative variants
// (tampered, stale, duplicate, oversize, burst) — and see the answer.
package craft

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/hooktap/hooktap/audit"
	"github.com/hooktap/hooktap/config"
	"github.com/hooktap/hooktap/replay"
	"github.com/hooktap/hooktap/tui/common"
	"github.com/hooktap/hooktap/tui/overlay"
)

type field int

const (
	fieldProvider field = iota
	fieldEvent
	fieldTarget
	fieldCount
)

// Model is the craft page.
type Model struct {
	common      *common.Common
	cfg         *config.Config
	replayer    *replay.Replayer
	gatewayAddr string
	providers   []replay.Provider

	focus           field
	provider, event int
	target          int // index into targets(); the last entry is the custom URL
	customURL       string
	body            []byte // nil: the fixture
	results         []result
	// scorecard is the last audit of the target, shown until the next send.
	scorecard     *audit.Scorecard
	running       bool
	width, height int
}

// New returns the craft page. A nil replayer shows why nothing can be sent.
func New(c *common.Common, cfg *config.Config, replayer *replay.Replayer, gatewayAddr string) *Model {
	return &Model{common: c, cfg: cfg, replayer: replayer, gatewayAddr: gatewayAddr,
		providers: replay.Providers(), customURL: "http://127.0.0.1:3000/"}
}

func (m *Model) routes() config.Routes { return m.common.RouteList() }

// targetName and targetURL describe the chosen target: a route on the gateway or the URL.
func (m *Model) targetName() string {
	if r, ok := m.targetRoute(); ok {
		return "route " + r.Name
	}
	return m.customURL
}

func (m *Model) targetRoute() (config.Route, bool) {
	rs := m.routes()
	if m.target < len(rs) {
		return rs[m.target], true
	}
	return config.Route{}, false
}

func (m *Model) targetURL() string {
	if r, ok := m.targetRoute(); ok {
		return config.RouteURL(config.LocalBaseURL(m.gatewayAddr), r.Name)
	}
	return m.customURL
}

func (m *Model) selected() (replay.Provider, string) {
	if len(m.providers) == 0 {
		return replay.Provider{}, ""
	}
	p := m.providers[m.provider]
	if m.event >= len(p.Events) {
		return p, ""
	}
	return p, p.Events[m.event]
}

// InputFocused is false: the page's fields are lists; text is edited in overlays the root owns.
func (m *Model) InputFocused() bool { return false }

// Update handles results and keys.
func (m *Model) Update(msg tea.Msg) (common.Component, tea.Cmd) {
	switch msg := msg.(type) {
	case resultMsg:
		m.running, m.scorecard = false, nil
		m.results = append([]result{msg.result}, m.results...)
		m.results = m.results[:min(len(m.results), 6)]
		return m, common.Status(msg.result.summary())
	case bodyMsg:
		m.body = msg.body
		return m, nil
	case auditMsg:
		return m, m.auditDone(msg)
	case tea.KeyPressMsg:
		return m, m.handleKey(msg)
	}
	return m, nil
}

func (m *Model) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	k := m.common.Keys
	switch {
	case key.Matches(msg, k.NextField):
		m.focus = (m.focus + 1) % fieldCount
	case key.Matches(msg, k.PrevField):
		m.focus = (m.focus + fieldCount - 1) % fieldCount
	case key.Matches(msg, k.Up):
		m.moveBy(-1)
	case key.Matches(msg, k.Down):
		m.moveBy(1)
	case key.Matches(msg, k.EditReplay):
		return m.editBody()
	case key.Matches(msg, k.Open) && m.focus == fieldTarget && m.target == len(m.routes()):
		return m.editURL()
	case key.Matches(msg, k.Audit):
		return m.startAudit()
	case key.Matches(msg, k.Send), key.Matches(msg, k.Open):
		return m.send(variantNone)
	default:
		if v, ok := m.variantFor(msg); ok {
			return m.send(v)
		}
	}
	return nil
}

func (m *Model) moveBy(d int) {
	switch m.focus {
	case fieldProvider:
		m.provider = clamp(m.provider+d, len(m.providers))
		m.event, m.body = 0, nil
	case fieldEvent:
		p, _ := m.selected()
		m.event, m.body = clamp(m.event+d, len(p.Events)), nil
	case fieldTarget:
		m.target = clamp(m.target+d, len(m.routes())+1)
	}
}

func clamp(v, n int) int { return min(max(v, 0), max(n-1, 0)) }

type bodyMsg struct{ body []byte }

func (m *Model) editBody() tea.Cmd {
	p, event := m.selected()
	body := m.body
	if body == nil {
		fixture, err := replay.Fixture(p.Name, event)
		if err != nil {
			return common.Error(err)
		}
		body = fixture
	}
	save := func(text string) tea.Cmd { return func() tea.Msg { return bodyMsg{body: []byte(text)} } }
	return common.OpenOverlay(overlay.NewEditor(m.common, "Body of "+p.Name+" "+event+" — ctrl+s keeps it, esc discards", string(body), save))
}

func (m *Model) editURL() tea.Cmd {
	set := func(u string) tea.Cmd {
		m.customURL = u
		return nil
	}
	return common.OpenOverlay(overlay.NewPrompt(m.common, "Target URL", "Crafted events go to this URL; the answer is captured.", m.customURL, set))
}

// SetSize sets the page size.
func (m *Model) SetSize(width, height int) {
	m.width, m.height = width, height
}

// ShortHelp lists the page's main keys.
func (m *Model) ShortHelp() []key.Binding {
	k := m.common.Keys
	return []key.Binding{k.NextField, k.Up, k.Down, k.EditReplay, k.Send, k.Audit, k.Tamper, k.Stale, k.Duplicate, k.Oversize, k.Burst, k.Back}
}

// FullHelp lists every key of the page.
func (m *Model) FullHelp() [][]key.Binding {
	k := m.common.Keys
	return [][]key.Binding{{k.NextField, k.PrevField, k.Up, k.Down}, {k.EditReplay, k.Send, k.Open, k.Audit},
		{k.Tamper, k.Stale, k.Duplicate, k.Oversize, k.Burst}}
}
