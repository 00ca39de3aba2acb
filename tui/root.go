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
	"github.com/hooktap/hooktap/tui/overlay"
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
	overlay   overlay.Host
	status    statuses
	quitting  bool
	closeFunc func()
	// stopWatching ends the tunnel subscription when the TUI closes.
	stopWatching context.CancelFunc
}

func newRoot(d Deps, noColor bool) *root {
	c := newCommon(d, noColor)
	routeCount := len(c.RouteList())
	r := &root{deps: d, common: c, noColor: noColor, help: help.New(), status: newStatuses()}
	r.help.Styles = c.Styles.Help
	r.header = header.New(c, d.GatewayAddr, routeCount)
	if d.Config != nil {
		r.header.PublicBaseURL = d.Config.Gateway.PublicBaseURL
	}
	runner := actions.New(c, d.Store, d.replayFunc(), "http://"+d.GatewayAddr, exportDir(d))
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
	cmds := []tea.Cmd{common.Address(common.PageInspector, r.inspector.Init()), tea.RequestBackgroundColor}
	if r.feed != nil {
		cmds = append(cmds, r.feed.Next())
	}
	if r.deps.Notices != nil {
		cmds = append(cmds, r.nextNotice())
	}
	if r.deps.Tunnel != nil {
		ctx, stop := context.WithCancel(context.Background())
		r.stopWatching = stop
		cmds = append(cmds, r.header.Follow(ctx, r.deps.Tunnel))
		r.routes.SetPublicURL(r.deps.Tunnel.URL())
	}
	return tea.Batch(cmds...)
}

// Update is the router: window and theme, keys, answers addressed to a page, messages the root
// owns; anything else goes to the page on show.
func (r *root) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		r.resize(msg.Width, msg.Height)
		return r, r.layout()
	case tea.BackgroundColorMsg:
		return r, r.setTheme(msg.IsDark())
	case tea.KeyPressMsg:
		return r, r.handleKey(msg)
	case tea.MouseMsg:
		return r, r.handleMouse(msg)
	case common.RoutedMsg:
		return r, r.handleRouted(msg)
	}
	if cmd, handled := r.handleShared(msg); handled {
		return r, cmd
	}
	return r, r.updatePage(r.active, msg)
}

// handleKey: ctrl+c always quits; an open overlay, then a focused text field, take every
// other key; then the global keys; then the page.
func (r *root) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	k := r.common.Keys
	if key.Matches(msg, k.ForceQuit) {
		r.quitting = true
		return tea.Quit
	}
	if r.overlay.Overlay() != nil {
		return r.overlay.Update(msg)
	}
	if r.pages[r.active].InputFocused() {
		return r.updatePage(r.active, msg)
	}
	if cmd, ok := r.globalKey(msg); ok {
		return cmd
	}
	return r.updatePage(r.active, msg)
}

func (r *root) globalKey(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	k := r.common.Keys
	switch {
	case key.Matches(msg, k.Help):
		r.help.ShowAll = !r.help.ShowAll
		return r.layout(), true
	case key.Matches(msg, k.Quit) && r.active == common.PageInspector:
		r.quitting = true
		return tea.Quit, true
	case key.Matches(msg, k.Inspector), key.Matches(msg, k.Quit):
		return r.switchTo(common.PageInspector), true
	case key.Matches(msg, k.Back) && r.active != common.PageInspector:
		return r.switchTo(common.PageInspector), true
	case key.Matches(msg, k.Craft):
		return r.switchTo(common.PageCraft), true
	case key.Matches(msg, k.Notify):
		return r.switchTo(common.PageNotify), true
	case key.Matches(msg, k.Routes):
		return r.switchTo(common.PageRoutes), true
	}
	return nil, false
}

func (r *root) handleMouse(msg tea.MouseMsg) tea.Cmd {
	if r.overlay.Overlay() != nil {
		return r.overlay.Update(msg)
	}
	return r.updatePage(r.active, msg)
}

// handleRouted takes an answer addressed to a page: its status line, an overlay it opens or
// closes, or the answer itself for the page.
func (r *root) handleRouted(msg common.RoutedMsg) tea.Cmd {
	switch m := msg.Msg.(type) {
	case common.StatusMsg:
		return r.setStatus(msg.Page, m)
	case common.OpenOverlayMsg:
		r.overlay.Open(msg.Page, m.Overlay)
		return nil
	case common.CloseOverlayMsg:
		r.overlay.Close()
		return nil
	case common.SwitchPageMsg:
		return r.switchTo(m.Page)
	case common.ShowToSelectMsg:
		r.overlay.Open(msg.Page, overlay.NewViewer(r.common, m.Title, m.Text, nil).Selectable())
		return nil
	}
	return r.updatePage(msg.Page, msg.Msg)
}

// handleShared takes the messages the root owns: its own status lines, live captures, the
// tunnel's state.
func (r *root) handleShared(msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case common.StatusMsg:
		return r.setStatus(globalStatus, msg), true
	case statusExpiredMsg:
		r.expireStatus(msg)
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
	case noticeMsg:
		return tea.Batch(r.setStatus(globalStatus, msg.StatusMsg), r.nextNotice()), true
	case feed.ClosedMsg:
		return r.setStatus(globalStatus, common.StatusMsg{Text: "The capture store closed; the list no longer updates.", Err: true, Busy: true}), true
	case header.TunnelMsg:
		cmd := r.header.Update(msg)
		r.routes.SetPublicURL(msg.Status.URL)
		return tea.Batch(cmd, r.layout()), true
	}
	return nil, false
}

// noticeMsg is one of Deps.Notices.
type noticeMsg struct{ common.StatusMsg }

// nextNotice waits for the next notice; it is re-armed after each, and ends with the channel.
func (r *root) nextNotice() tea.Cmd {
	ch := r.deps.Notices
	return func() tea.Msg {
		n, ok := <-ch
		if !ok {
			return nil
		}
		return noticeMsg{n}
	}
}

func (r *root) switchTo(id common.PageID) tea.Cmd {
	if _, ok := r.pages[id]; !ok {
		return nil // every page is registered in newRoot; an unknown id changes nothing
	}
	r.active = id
	r.header.Page = id
	cmd := r.layout()
	if a, ok := r.pages[id].(interface{ Activate() tea.Cmd }); ok {
		cmd = tea.Batch(cmd, r.updatePageWith(id, func() tea.Cmd { return a.Activate() }))
	}
	return cmd
}

// updatePage runs one page's Update; the answers of the Cmds it returns come back addressed to
// it.
func (r *root) updatePage(id common.PageID, msg tea.Msg) tea.Cmd {
	page, ok := r.pages[id]
	if !ok {
		return nil
	}
	return r.updatePageWith(id, func() tea.Cmd {
		_, cmd := page.Update(msg)
		return cmd
	})
}

// updatePageWith runs f for page id; a panic in a page becomes a status line and a log entry
// instead of taking the terminal down with it.
func (r *root) updatePageWith(id common.PageID, f func() tea.Cmd) (cmd tea.Cmd) {
	defer func() {
		if p := recover(); p != nil {
			r.common.Logger.Error("tui page panicked", "page", id.String(), "panic", p, "stack", string(debug.Stack()))
			cmd = r.setStatus(id, common.StatusMsg{Text: fmt.Sprintf("The %s page hit an internal error (%v); it is logged.", id, p), Err: true})
		}
	}()
	return common.Address(id, f())
}

// setTheme restyles everything for the terminal's background; pages that cache styled text
// lay it out again.
func (r *root) setTheme(dark bool) tea.Cmd {
	*r.common.Styles = *styles.DefaultStyles(styles.ThemeFor(dark, r.noColor))
	r.help.Styles = r.common.Styles.Help
	cmds := []tea.Cmd{r.layout()}
	for id, p := range r.pages {
		if rs, ok := p.(interface{ Restyle() tea.Cmd }); ok {
			cmds = append(cmds, r.updatePageWith(id, rs.Restyle))
		}
	}
	return tea.Batch(cmds...)
}

func (r *root) resize(width, height int) {
	r.common.Width, r.common.Height = width, height
	r.help.SetWidth(width)
}
