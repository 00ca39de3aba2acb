// Package keymap declares every key binding of the TUI once; pages pick the bindings they show
// in their help, and the footer (bubbles/help) renders them.
package keymap

import "charm.land/bubbles/v2/key"

// KeyMap holds every binding. Pages read it through common.Common.
type KeyMap struct {
	// Global.
	Quit, ForceQuit, Help, Back      key.Binding
	Inspector, Craft, Notify, Routes key.Binding
	// Moving.
	Up, Down, PageUp, PageDown, Top, Bottom key.Binding
	Open, SwitchPane, NextTab, PrevTab      key.Binding
	BodyMode                                key.Binding
	// Inspector actions.
	Filter, ClearFilter              key.Binding
	Replay, ReplayResign, EditReplay key.Binding
	ReplayTo, CopyCurl, Export, Diff key.Binding
	Reveal                           key.Binding
	// Forms and overlays.
	Submit, Send, NextField, PrevField key.Binding
	Tamper, Stale, Duplicate, Oversize key.Binding
	Burst, Confirm, Cancel, Copy       key.Binding
	// Audit grades the craft page's target with the whole battery of `hooktap audit`.
	Audit key.Binding
}

func bind(keys []string, helpKey, desc string) key.Binding {
	return key.NewBinding(key.WithKeys(keys...), key.WithHelp(helpKey, desc))
}

// DefaultKeyMap returns the bindings hooktap ships with.
func DefaultKeyMap() *KeyMap {
	return &KeyMap{
		Quit:      bind([]string{"q"}, "q", "quit"),
		ForceQuit: bind([]string{"ctrl+c"}, "ctrl+c", "quit"),
		Help:      bind([]string{"?"}, "?", "help"),
		Back:      bind([]string{"esc"}, "esc", "back"),
		Inspector: bind([]string{"1"}, "1", "inspector"),
		Craft:     bind([]string{"2", "n"}, "n", "craft"),
		Notify:    bind([]string{"3", "p"}, "p", "preview"),
		Routes:    bind([]string{"4"}, "4", "routes"),

		Up:         bind([]string{"up", "k"}, "↑/k", "up"),
		Down:       bind([]string{"down", "j"}, "↓/j", "down"),
		PageUp:     bind([]string{"pgup", "ctrl+u"}, "pgup", "page up"),
		PageDown:   bind([]string{"pgdown", "ctrl+d"}, "pgdn", "page down"),
		Top:        bind([]string{"home", "g"}, "g", "newest"),
		Bottom:     bind([]string{"end", "G"}, "G", "oldest"),
		Open:       bind([]string{"enter"}, "enter", "open"),
		SwitchPane: bind([]string{"tab"}, "tab", "pane"),
		NextTab:    bind([]string{"]", "right", "l"}, "]", "next tab"),
		PrevTab:    bind([]string{"[", "left", "h"}, "[", "prev tab"),
		BodyMode:   bind([]string{"v"}, "v", "pretty/raw/hex"),

		Filter:       bind([]string{"/"}, "/", "filter"),
		ClearFilter:  bind([]string{"ctrl+l"}, "ctrl+l", "clear filter"),
		Replay:       bind([]string{"r"}, "r", "replay"),
		ReplayResign: bind([]string{"R"}, "R", "re-sign"),
		EditReplay:   bind([]string{"e"}, "e", "edit"),
		ReplayTo:     bind([]string{"t"}, "t", "replay to URL"),
		CopyCurl:     bind([]string{"c"}, "c", "curl"),
		Export:       bind([]string{"x"}, "x", "export"),
		Diff:         bind([]string{"d"}, "d", "diff"),
		Reveal:       bind([]string{"s"}, "s", "show/mask secrets"),

		Submit:    bind([]string{"enter"}, "enter", "apply"),
		Send:      bind([]string{"ctrl+s"}, "ctrl+s", "send"),
		NextField: bind([]string{"tab"}, "tab", "next"),
		PrevField: bind([]string{"shift+tab"}, "shift+tab", "prev"),
		Tamper:    bind([]string{"ctrl+t"}, "ctrl+t", "tampered"),
		Stale:     bind([]string{"ctrl+o"}, "ctrl+o", "stale"),
		Duplicate: bind([]string{"ctrl+y"}, "ctrl+y", "duplicate"),
		Oversize:  bind([]string{"ctrl+g"}, "ctrl+g", "oversize"),
		Burst:     bind([]string{"ctrl+b"}, "ctrl+b", "burst"),
		Audit:     bind([]string{"a"}, "a", "audit target"),
		Confirm:   bind([]string{"y"}, "y", "confirm"),
		Cancel:    bind([]string{"esc"}, "esc", "cancel"),
		Copy:      bind([]string{"c"}, "c", "copy URL"),
	}
}
