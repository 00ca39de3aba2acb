package actions

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	udiff "github.com/aymanbagabas/go-udiff"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/tui/common"
	"github.com/hooktap/hooktap/tui/overlay"
)

// CopyCurl puts a curl command that resends c's exact bytes on the clipboard, or shows it to
// select when the clipboard cannot be reached (common.Copy).
func (r *Runner) CopyCurl(c *capture.Capture) tea.Cmd {
	curl := capture.ExportCurl(c, r.baseURL, r.common.CaptureOptions(false))
	return r.common.Copy("the curl command for #"+common.ShortID(c.ID), curl)
}

func (r *Runner) export(c *capture.Capture) tea.Cmd {
	name := filepath.Join(r.exportDir, "hooktap-"+common.ShortID(c.ID)+".json")
	write := func(path string) tea.Cmd { return r.Export(c, path) }
	return common.OpenOverlay(overlay.NewPrompt(r.common, "Export capture",
		"The extension picks the format: .json, .har, .http (raw HTTP) or .sh (curl).", name, write))
}

// Export writes c to path in the format its extension names.
func (r *Runner) Export(c *capture.Capture, path string) tea.Cmd {
	return func() tea.Msg {
		data, err := encode(c, path, r.common.CaptureOptions(true))
		if err == nil {
			err = os.WriteFile(path, data, 0o600)
		}
		if err != nil {
			return common.StatusMsg{Text: fmt.Sprintf("Export #%s: %v", common.ShortID(c.ID), err), Err: true}
		}
		return common.StatusMsg{Text: fmt.Sprintf("Exported #%s to %s (%d bytes).", common.ShortID(c.ID), path, len(data))}
	}
}

// encode renders c in the format path's extension names, as o shows it.
func encode(c *capture.Capture, path string, o capture.JSONOptions) ([]byte, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".har":
		return capture.ExportHAR([]*capture.Capture{c}, o)
	case ".http", ".txt":
		return capture.ExportRaw(c, o), nil
	case ".sh", ".curl":
		return []byte(capture.ExportCurl(c, "", o) + "\n"), nil
	case ".json", "":
		return json.MarshalIndent(c.JSON(o), "", "  ")
	}
	return nil, fmt.Errorf("unknown format %q: use .json, .har, .http or .sh", filepath.Ext(path))
}

// Diff compares c with the previous capture of the same route and shows the unified diff.
func (r *Runner) Diff(c *capture.Capture) tea.Cmd {
	store, cm := r.store, r.common
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		page, err := store.List(ctx, capture.Filter{Route: c.Route, Before: c.ID, Limit: 1, WithBody: true})
		if err != nil {
			return common.StatusMsg{Text: "Diff: " + err.Error(), Err: true}
		}
		if len(page.Captures) == 0 {
			return common.StatusMsg{Text: fmt.Sprintf("No earlier capture on route %q to compare with.", c.Route)}
		}
		prev := page.Captures[0]
		title := fmt.Sprintf("Diff #%s → #%s (route %s)", common.ShortID(prev.ID), common.ShortID(c.ID), c.Route)
		return common.OpenOverlayMsg{Overlay: overlay.NewViewer(cm, title, DiffText(cm, prev, c), diffStyle(cm))}
	}
}

// DiffText is the unified diff of two captures' request lines, headers and bodies (JSON
// indented so a changed field is one line).
func DiffText(c *common.Common, old, new *capture.Capture) string {
	d := udiff.Unified("#"+common.ShortID(old.ID), "#"+common.ShortID(new.ID), diffable(c.Shown(old)), diffable(c.Shown(new)))
	if d == "" {
		return "The two captures are identical (request line, headers and body)."
	}
	return strings.TrimRight(d, "\n")
}

// diffStyle colours a diff line by its mark.
func diffStyle(c *common.Common) func(string) string {
	st := c.Styles
	hunk, add, del := common.SGR(st.DiffHunk), common.SGR(st.DiffAdd), common.SGR(st.DiffDel)
	return func(l string) string {
		switch {
		case strings.HasPrefix(l, "@@"):
			return hunk
		case strings.HasPrefix(l, "+"):
			return add
		case strings.HasPrefix(l, "-"):
			return del
		}
		return ""
	}
}

func diffable(c *capture.Capture) string {
	var b strings.Builder
	target := c.Path
	if c.Query != "" {
		target += "?" + c.Query
	}
	fmt.Fprintf(&b, "%s %s\n", c.Method, target)
	for _, h := range c.Headers {
		fmt.Fprintf(&b, "%s: %s\n", h.Name, h.Value)
	}
	b.WriteString("\n")
	var pretty bytes.Buffer
	if json.Indent(&pretty, c.Body, "", "  ") == nil {
		b.Write(pretty.Bytes())
	} else {
		b.Write(c.Body)
	}
	b.WriteString("\n")
	return b.String()
}
