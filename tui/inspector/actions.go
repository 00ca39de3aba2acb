package inspector

import (
	tea "charm.land/bubbletea/v2"
)

// handleAction hands action keys to the runner with the capture on show (it has its body).
func (m *Model) handleAction(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	if m.runner == nil {
		return nil, false
	}
	return m.runner.Handle(msg, m.detail.Capture())
}
