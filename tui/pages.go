package tui

import (
	"github.com/hooktap/hooktap/tui/common"
	"github.com/hooktap/hooktap/tui/craft"
)

// addPages adds the pages beyond the inspector and routes.
func (r *root) addPages(c *common.Common, d Deps) {
	r.pages[common.PageCraft] = craft.New(c, d.Config, d.Replayer, d.GatewayAddr)
}
