// Package bodyview lays out capture bodies for the screen: indented and highlighted JSON,
// highlighted XML and HTML, decoded forms, raw text and hex. Every layout is one pass over the
// body, so its cost grows linearly with the body's size; callers run it off the UI goroutine for
// large bodies and cache the result.
package bodyview

import (
	"context"
	"encoding/json"
	"fmt"
	"mime"
	"strings"
	"unicode/utf8"

	"github.com/hooktap/hooktap/tui/pager"
)

// Mode is how the Body tab shows the bytes.
type Mode int

// The body views, cycled with the body mode key.
const (
	Pretty Mode = iota
	Raw
	Hex
)

// String names the mode for the tab bar.
func (m Mode) String() string {
	switch m {
	case Raw:
		return "raw"
	case Hex:
		return "hex"
	default:
		return "pretty"
	}
}

// Next is the mode after m, in the key's cycle.
func (m Mode) Next() Mode { return (m + 1) % 3 }

// checkEvery is how many bytes a layout handles between looks at its context.
const checkEvery = 64 << 10

// Layout lays out body for mode at width cells. chromaStyle names the highlighting style; ""
// means no colour. It stops early with ctx's error when ctx ends (the user moved on).
func Layout(ctx context.Context, body []byte, contentType string, mode Mode, width int, chromaStyle string) (pager.Lines, error) {
	width = max(width, 8)
	switch {
	case len(body) == 0:
		return pager.Plain("(empty body)"), nil
	case mode == Hex:
		return NewHexDump(body, width), nil
	case !utf8.Valid(body):
		return pager.Concat(pager.Plain("(binary body — shown as hex)"), NewHexDump(body, width)), nil
	case mode == Raw:
		return plainText(ctx, string(body), width, 0)
	}
	return pretty(ctx, body, contentType, width, chromaStyle)
}

// pretty indents JSON, decodes form bodies and highlights what it knows; anything else is shown
// as text.
func pretty(ctx context.Context, body []byte, contentType string, width int, chromaStyle string) (pager.Lines, error) {
	media, _, _ := mime.ParseMediaType(contentType)
	switch {
	case media == "application/x-www-form-urlencoded":
		if text, ok := formView(body); ok {
			return plainText(ctx, text, width, 4)
		}
	case json.Valid(body):
		w := pager.NewWriter(width, len(body)*3)
		if err := writeJSON(ctx, w, string(body), paletteFor(chromaStyle)); err != nil {
			return nil, err
		}
		return w.Text(), nil
	case strings.Contains(media, "xml"):
		return highlighted(ctx, string(body), "xml", width, chromaStyle)
	case media == "text/html":
		return highlighted(ctx, string(body), "html", width, chromaStyle)
	}
	return plainText(ctx, string(body), width, 0)
}

// plainText lays out s without colour; wrapped lines continue at indent.
func plainText(ctx context.Context, s string, width, indent int) (pager.Lines, error) {
	w := pager.NewWriter(width, len(s)+len(s)/width+16)
	for len(s) > 0 {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		chunk := s[:min(len(s), checkEvery)]
		w.SetIndent(indent)
		w.Write(chunk, "")
		s = s[len(chunk):]
	}
	return w.Text(), nil
}

// SizeNote says how big a body is, for the line shown while it is being laid out.
func SizeNote(n int) string {
	const k = 1024
	switch {
	case n >= k*k:
		return fmt.Sprintf("%.1f MiB", float64(n)/(k*k))
	case n >= k:
		return fmt.Sprintf("%.1f KiB", float64(n)/k)
	}
	return fmt.Sprintf("%d bytes", n)
}
