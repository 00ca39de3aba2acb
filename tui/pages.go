package tui

import (
	"github.com/hooktap/hooktap/tui/common"
	"github.com/hooktap/hooktap/tui/craft"
	"github.com/hooktap/hooktap/tui/localonly"
	"github.com/hooktap/hooktap/tui/notifypage"
)

// addPages adds the pages beyond the inspector and routes. Attached to a remote hooktap, the
// pages that work on this machine's hooktap explain themselves instead.
func (r *root) addPages(c *common.Common, d Deps) {
	if d.Attached != "" {
		r.addAttachedPages(c, d.Attached)
		return
	}
	r.pages[common.PageCraft] = craft.New(c, d.Config, d.Replayer, d.GatewayAddr)
	r.pages[common.PageNotify] = notifypage.New(c, d.Notify, notifypage.WithCaptures(r.inspector.Selected))
}

// addAttachedPages puts explanations where craft, notify and routes would be.
func (r *root) addAttachedPages(c *common.Common, url string) {
	r.pages[common.PageCraft] = localonly.New(c, "Craft — not available while attached",
		"Crafting signs provider events with a route's secret and sends them to the gateway; the secrets stay on the server "+
			url+", so this page sends nothing while attached. Replays work: select a capture in the inspector and press r "+
			"(it goes through the server's gateway). To craft, run `hooktap send` on the server, or `hooktap` on this machine.")
	r.pages[common.PageNotify] = localonly.New(c, "Notify — not available while attached",
		"Outgoing alerts are configured and delivered by the hooktap that runs them; previews from here would deliver "+
			"from this machine with its own settings, not the server's "+url+". Manage them on the server "+
			"(`hooktap notify`, or the admin API's /api/v1/webhooks through the same ssh -L tunnel).")
	r.pages[common.PageRoutes] = localonly.New(c, "Routes — the server's, not this machine's",
		"The routes, their secrets and URLs are the server's configuration, which this machine does not have. "+
			"List them through the tunnel: curl "+url+"/api/v1/routes (with -H 'Authorization: Bearer …' when admin.token is set). "+
			"The inspector's filters (route:NAME) work on the server's captures as usual.")
}
