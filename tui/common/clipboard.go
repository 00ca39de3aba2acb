package common

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"
)

// Clipboard is how this session can put text on the user's clipboard. Terminals do not
// acknowledge OSC 52, so the TUI only says "copied" when a local clipboard tool took the text
// or the terminal is one known to take OSC 52; otherwise it shows the text to select.
type Clipboard struct {
	// Native writes to a clipboard tool on this machine (pbcopy, wl-copy, xclip, clip.exe);
	// nil when there is none or the session is remote (SSH: this machine's clipboard is not
	// the user's).
	Native func(text string) error
	// OSC52 is true when the terminal is known to take OSC 52 clipboard writes.
	OSC52 bool
}

// osc52Programs and osc52Terms name terminals that take OSC 52 writes by default.
var (
	osc52Programs = []string{"iTerm.app", "WezTerm", "ghostty", "vscode", "Tabby", "WarpTerminal", "rio"}
	osc52Terms    = []string{"kitty", "alacritty", "foot", "wezterm", "ghostty", "contour"}
	osc52Vars     = []string{"KITTY_WINDOW_ID", "WT_SESSION", "ALACRITTY_WINDOW_ID", "WEZTERM_PANE"}
)

// DetectClipboard reads the environment: whether the session is remote, and whether the
// terminal is known to take OSC 52. Inside tmux OSC 52 depends on its set-clipboard option,
// so it counts as unknown.
func DetectClipboard(environ []string, native func(string) error) Clipboard {
	env := map[string]string{}
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok {
			env[k] = v
		}
	}
	cb := Clipboard{Native: native}
	if env["SSH_CONNECTION"] != "" || env["SSH_TTY"] != "" {
		cb.Native = nil
	}
	if env["TMUX"] != "" || strings.HasPrefix(env["TERM"], "screen") {
		return cb
	}
	for _, p := range osc52Programs {
		cb.OSC52 = cb.OSC52 || env["TERM_PROGRAM"] == p
	}
	for _, t := range osc52Terms {
		cb.OSC52 = cb.OSC52 || strings.Contains(env["TERM"], t)
	}
	for _, v := range osc52Vars {
		cb.OSC52 = cb.OSC52 || env[v] != ""
	}
	return cb
}

// ShowToSelectMsg asks for text to be shown so the user can select it with the mouse: the
// clipboard could not be reached.
type ShowToSelectMsg struct {
	Title, Text string
}

// Copy puts text on the clipboard and says what happened; what names it ("curl for #v6n35j").
// When neither a clipboard tool nor a terminal known to take OSC 52 is there, it still sends
// OSC 52 (an unknown terminal may take it) and shows the text to select.
func (c *Common) Copy(what, text string) tea.Cmd {
	cb := c.Clipboard
	size := fmt.Sprintf("%d bytes", len(text))
	return func() tea.Msg {
		if cb.Native != nil && cb.Native(text) == nil {
			return StatusMsg{Text: fmt.Sprintf("Copied %s (%s) to the clipboard.", what, size)}
		}
		if cb.OSC52 {
			return tea.BatchMsg{tea.SetClipboard(text),
				Status(fmt.Sprintf("Copied %s (%s) to the clipboard through the terminal (OSC 52).", what, size))}
		}
		return tea.BatchMsg{tea.SetClipboard(text),
			func() tea.Msg {
				return ShowToSelectMsg{Title: "Select " + what + " with the mouse — esc closes", Text: text}
			},
			Status(fmt.Sprintf("This terminal may not take clipboard writes (OSC 52): %s is shown to select.", what))}
	}
}
