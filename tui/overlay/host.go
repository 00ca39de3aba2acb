package overlay

import (
	tea "charm.land/bubbletea/v2"

	"github.com/hooktap/hooktap/tui/common"
)

// Host holds the one open overlay and the page that opened it. The root owns one, so pages
// only ask for an overlay (common.OpenOverlay) and get the results of its Cmds back.
type Host struct {
	open  common.Overlay
	owner common.PageID
	// w and h are the area the overlay is framed in.
	w, h int
}

// Open shows o for owner.
func (h *Host) Open(owner common.PageID, o common.Overlay) {
	h.open, h.owner = o, owner
	h.size()
}

// Close hides the overlay.
func (h *Host) Close() { h.open = nil }

// Overlay returns the open overlay, or nil.
func (h *Host) Overlay() common.Overlay { return h.open }

// Owner is the page that opened the overlay.
func (h *Host) Owner() common.PageID { return h.owner }

// SetSize sets the area the overlay is framed in.
func (h *Host) SetSize(width, height int) {
	h.w, h.h = width, height
	h.size()
}

func (h *Host) size() {
	if h.open != nil {
		h.open.SetSize(max(h.w-4, 10), max(h.h-4, 3))
	}
}

// Update passes msg to the overlay; its Cmds answer to the owner page.
func (h *Host) Update(msg tea.Msg) tea.Cmd {
	if h.open == nil {
		return nil
	}
	_, cmd := h.open.Update(msg)
	return common.Address(h.owner, cmd)
}

// View frames the overlay in the whole area, its title in the border.
func (h *Host) View(c *common.Common) string {
	return c.Pane(h.open.Title(), h.open.View(), h.w, h.h, true)
}

// KeepsMouse reports whether the terminal should keep the mouse while the overlay is open,
// so its text can be selected.
func (h *Host) KeepsMouse() bool {
	s, ok := h.open.(interface{ WantsMouseSelection() bool })
	return ok && s.WantsMouseSelection()
}
