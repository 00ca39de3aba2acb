package tuitest

import (
	"sync"

	tea "charm.land/bubbletea/v2"

	"github.com/hooktap/hooktap/tui/common"
	"github.com/hooktap/hooktap/tui/overlay"
)

// Hosted is a page under test with what the root gives it: an overlay host and its answers
// routed back to it.
type Hosted struct {
	Page common.Component
	Host overlay.Host
	id   common.PageID
}

var hosts sync.Map // common.Component → *Hosted

// Host returns page's host, made on first use; id is the page's id.
func Host(page common.Component, id common.PageID, width, height int) *Hosted {
	h, loaded := hosts.LoadOrStore(page, &Hosted{Page: page, id: id})
	if !loaded {
		h.(*Hosted).Host.SetSize(width, height)
	}
	return h.(*Hosted)
}

// Update does what the root does with msg: overlays open, close and take keys; answers go to
// the page.
func (h *Hosted) Update(msg tea.Msg) tea.Cmd {
	if r, ok := msg.(common.RoutedMsg); ok {
		msg = r.Msg
	}
	switch m := msg.(type) {
	case common.OpenOverlayMsg:
		h.Host.Open(h.id, m.Overlay)
		return nil
	case common.CloseOverlayMsg:
		h.Host.Close()
		return nil
	case tea.KeyPressMsg:
		if h.Host.Overlay() != nil {
			return h.Host.Update(m)
		}
	}
	_, cmd := h.Page.Update(msg)
	return common.Address(h.id, cmd)
}

// View is the overlay when one is open, else the page.
func (h *Hosted) View(c *common.Common) string {
	if h.Host.Overlay() != nil {
		return h.Host.View(c)
	}
	return h.Page.View()
}
