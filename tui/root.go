package tui

import (
	"context"
	"fmt"
	"runtime/debug"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/hooktap/hooktap/tui/actions"
	"github.com/hooktap/hooktap/tui/common"
	"github.com/hooktap/hooktap/tui/feed"
	"github.com/hooktap/hooktap/tui/header"
	"github.com/hooktap/hooktap/tui/inspector"
	"github.com/hooktap/hooktap/tui/routes"
	"github.com/hooktap/hooktap/tui/styles"
)

type root struct {
	deps    Deps
	common  *common.Common
	noColor bool

	header    *header.Model
	inspector *inspector.Model
	routes    *routes.Model
	pages     map[common.PageID]common.Page
	active    common.PageID

	feed      *feed.Feed
	help      help.Model
	status    common.StatusMsg
	quitting  bool
	closeFunc func()
	// stopWatching ends the tunnel subscription when the TUI closes.
	stopWatching context.CancelFunc
}

func newRoot(d Deps, noColor bool) *root {
	c := newCommon(d, noColor)
	routeCount := len(c.RouteList())
	r := &root{deps: d, common: c, noColor: noColor, help: help.New()}
	r.help.Styles = c.Styles.Help
	r.header = header.New(c, d.GatewayAddr, routeCount)
	if d.Config != nil {
		r.header.PublicBaseURL = d.Config.Gateway.PublicBaseURL
	}
	runner := actions.New(c, d.Store, d.Replayer, "http://"+d.GatewayAddr, exportDir(d))
	r.inspector = inspector.New(c, d.Store, runner)
	r.routes = routes.New(c, d.Config, d.Store, d.GatewayAddr)
	r.pages = map[common.PageID]common.Page{common.PageInspector: r.inspector, common.PageRoutes: r.routes}
	r.addPages(c, d)
	if d.Store != nil {
		sub := d.Store.Subscribe(4096)
		r.feed = feed.New(sub, feed.DefaultWindow)
		r.closeFunc = sub.Close
	}
	return r
}

func (r *root) close() {
	if r.closeFunc != nil {
		r.closeFunc()
	}
	if r.stopWatching != nil {
		r.stopWatching()
	}
}

// Init loads the first page, starts the live feed and the tunnel watch, and asks the terminal
// for its background so the theme can follow it.
func (r *root) Init() tea.Cmd {
	cmds := []tea.Cmd{r.inspector.Init(), tea.RequestBackgroundColor}
	if r.feed != nil {
		cmds = append(cmds, r.feed.Next())
	}
	if r.deps.Tunnel != nil {
		ctx, stop := context.WithCancel(context.Background())
		r.stopWatching = stop
		cmds = append(cmds, r.header.Follow(ctx, r.deps.Tunnel))
		r.routes.SetPublicURL(r.deps.Tunnel.URL())
	}
	return tea.Batch(cmds...)
}

// Update is the router: global keys, then the focused text field, then cross-cutting
// messages, then the active page.
func (r *root) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		r.resize(msg.Width, msg.Height)
		return r, nil
	case tea.BackgroundColorMsg:
		r.setTheme(msg.IsDark())
		return r, nil
	case tea.KeyPressMsg:
		return r, r.handleKey(msg)
	case tea.MouseMsg:
		return r, r.updatePage(r.active, msg)
	}
	if cmd, handled := r.handleShared(msg); handled {
		return r, cmd
	}
	// Answers to a page's own Cmds reach it even when another page is on show.
	var cmds []tea.Cmd
	for id := range r.pages {
		cmds = append(cmds, r.updatePage(id, msg))
	}
	return r, tea.Batch(cmds...)
}

func (r *root) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	k := r.common.Keys
	if key.Matches(msg, k.ForceQuit) {
		r.quitting = true
		return tea.Quit
	}
	page := r.pages[r.active]
	if page.InputFocused() {
		return r.updatePage(r.active, msg)
	}
	switch {
	case key.Matches(msg, k.Help):
		r.help.ShowAll = !r.help.ShowAll
		r.layout()
		return nil
	case key.Matches(msg, k.Quit) && r.active == common.PageInspector:
		r.quitting = true
		return tea.Quit
	case key.Matches(msg, k.Inspector), key.Matches(msg, k.Quit):
		return r.switchTo(common.PageInspector)
	case key.Matches(msg, k.Back) && r.active != common.PageInspector:
		return r.switchTo(common.PageInspector)
	case key.Matches(msg, k.Craft):
		return r.switchTo(common.PageCraft)
	case key.Matches(msg, k.Notify):
		return r.switchTo(common.PageNotify)
	case key.Matches(msg, k.Routes):
		return r.switchTo(common.PageRoutes)
	}
	return r.updatePage(r.active, msg)
}

// handleShared takes the messages that concern the root or one known page.
func (r *root) handleShared(msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case common.StatusMsg:
		r.status = msg
		return nil, true
	case common.SwitchPageMsg:
		return r.switchTo(msg.Page), true
	case common.CapturesMsg:
		for _, c := range msg.Created {
			r.header.Rate().Add(c.ReceivedAt)
		}
		cmd := r.updatePage(common.PageInspector, msg)
		if r.feed != nil {
			cmd = tea.Batch(cmd, r.feed.Next())
		}
		return cmd, true
	case feed.ClosedMsg:
		r.status = common.StatusMsg{Text: "The capture store closed; the list no longer updates.", Err: true}
		return nil, true
	case header.TunnelMsg:
		cmd := r.header.Update(msg)
		r.routes.SetPublicURL(msg.Status.URL)
		r.layout()
		return cmd, true
	case common.OpenOverlayMsg, common.CloseOverlayMsg:
		return r.updatePage(r.active, msg), true
	}
	return nil, false
}

func (r *root) switchTo(id common.PageID) tea.Cmd {
	if _, ok := r.pages[id]; !ok {
		return nil // every page is registered in newRoot; an unknown id changes nothing
	}
	r.active = id
	r.header.Page = id
	r.layout()
	if a, ok := r.pages[id].(interface{ Activate() tea.Cmd }); ok {
		return a.Activate()
	}
	return nil
}

// updatePage runs one page's Update; a panic in a page becomes a status line and a log entry
// instead of taking the terminal down with it.
func (r *root) updatePage(id common.PageID, msg tea.Msg) (cmd tea.Cmd) {
	page, ok := r.pages[id]
	if !ok {
		return nil
	}
	defer func() {
		if p := recover(); p != nil {
			r.common.Logger.Error("tui page panicked", "page", id.String(), "panic", p, "stack", string(debug.Stack()))
			r.status = common.StatusMsg{Text: fmt.Sprintf("The %s page hit an internal error (%v); it is logged.", id, p), Err: true}
			cmd = nil
		}
	}()
	_, cmd = page.Update(msg)
	return cmd
}

func (r *root) setTheme(dark bool) {
	*r.common.Styles = *styles.DefaultStyles(styles.ThemeFor(dark, r.noColor))
	r.help.Styles = r.common.Styles.Help
	r.layout()
}

func (r *root) resize(width, height int) {
	r.common.Width, r.common.Height = width, height
	r.help.SetWidth(width)
	r.layout()
}
