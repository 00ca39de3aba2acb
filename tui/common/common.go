// Package common holds what every TUI component shares: styles, key map, size, clock and logger
// (the Common struct), the Component contract, and the messages that cross component lines.
package common

import (
	"log/slog"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/config"
	"github.com/hooktap/hooktap/tui/keymap"
	"github.com/hooktap/hooktap/tui/styles"
)

// Common is built once by the root model and passed to every component by pointer, so a theme
// change (background detected) reaches everyone.
type Common struct {
	Styles *styles.Styles
	Keys   *keymap.KeyMap
	Logger *slog.Logger
	// Now is the clock; Location the zone times are shown in. Tests fix both.
	Now      func() time.Time
	Location *time.Location
	Width    int
	Height   int
	// Routes returns the effective routes, dynamic subscriptions included; nil means none.
	Routes func() []config.Route
	// GatewayAddr is where the gateway listens ("" when it is not running in this session).
	GatewayAddr string
	// Reveal shows credentials in clear; off (the default), every view, copy and export masks
	// them. The reveal key toggles it for the session.
	Reveal bool
	// Clipboard is how copies reach the user (see Copy).
	Clipboard Clipboard
	// Attached is the admin API of the remote hooktap the inspector reads (`hooktap attach`),
	// "" when it reads this machine's store.
	Attached string
	// ServerMasks means the captures arrive masked by the remote hooktap: revealing them here
	// cannot show more than it sent.
	ServerMasks bool
}

// CaptureOptions is how captures are shown, copied and exported: masked (with the routes' own
// token headers) unless Reveal.
func (c *Common) CaptureOptions(withBody bool) capture.JSONOptions {
	return capture.JSONOptions{Reveal: c.Reveal, SecretHeaders: config.CredentialHeaders(c.RouteList()), WithBody: withBody}
}

// Shown is cp as the views show it: masked unless Reveal.
func (c *Common) Shown(cp *capture.Capture) *capture.Capture {
	if c.Reveal || cp == nil {
		return cp
	}
	return cp.Masked(config.CredentialHeaders(c.RouteList()))
}

// RouteList returns the effective routes, or none when no source was given.
func (c *Common) RouteList() []config.Route {
	if c.Routes == nil {
		return nil
	}
	return c.Routes()
}

// New returns a Common with the default key map, styles for the theme, the wall clock and the
// local zone.
func New(theme styles.Theme, logger *slog.Logger) *Common {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Common{
		Styles: styles.DefaultStyles(theme), Keys: keymap.DefaultKeyMap(), Logger: logger,
		Now: time.Now, Location: time.Local,
	}
}

// Component is the contract of every page and widget: soft-serve's shape.
type Component interface {
	Update(msg tea.Msg) (Component, tea.Cmd)
	View() string
	SetSize(width, height int)
	ShortHelp() []key.Binding
	FullHelp() [][]key.Binding
}

// Page is a Component the root can show full-screen.
type Page interface {
	Component
	// InputFocused reports whether a text field has the keyboard; the root then passes keys
	// through instead of treating them as global shortcuts.
	InputFocused() bool
}

// Overlay is a modal component drawn over a page (editor, prompt, viewer). It closes itself
// by returning CloseOverlay.
type Overlay interface {
	Component
	// Title names the overlay in its frame.
	Title() string
	// TakesText reports whether it has a text field, so single-letter keys must reach it.
	TakesText() bool
}

// OpenOverlayMsg opens an overlay over the active page.
type OpenOverlayMsg struct{ Overlay Overlay }

// CloseOverlayMsg closes the open overlay.
type CloseOverlayMsg struct{}

// CloseOverlay is the Cmd an overlay returns to close itself.
func CloseOverlay() tea.Msg { return CloseOverlayMsg{} }

// OpenOverlay returns the Cmd that opens o.
func OpenOverlay(o Overlay) tea.Cmd { return func() tea.Msg { return OpenOverlayMsg{Overlay: o} } }
