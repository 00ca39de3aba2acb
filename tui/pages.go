package tui

import (
	"github.com/hooktap/hooktap/tui/common"
	"github.com/hooktap/hooktap/tui/craft"
	"github.com/hooktap/hooktap/tui/notifypage"
)

// addPages adds the pages beyond the inspector and routes.
func (r *root) addPages(c *common.Common, d Deps) {
	r.pages[common.PageCraft] = craft.New(c, d.Config, d.Replayer, d.GatewayAddr)
	r.pages[common.PageNotify] = notifypage.New(c, d.Notify, notifypage.WithCaptures(r.inspector.Selected))
}
