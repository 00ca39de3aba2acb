package detail

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"mime"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/alecthomas/chroma/v2/quick"
)

// BodyMode is how the Body tab shows the bytes.
type BodyMode int

// The body views, cycled with the BodyMode key.
const (
	BodyPretty BodyMode = iota
	BodyRaw
	BodyHex
)

// String names the mode for the tab bar.
func (m BodyMode) String() string {
	switch m {
	case BodyRaw:
		return "raw"
	case BodyHex:
		return "hex"
	default:
		return "pretty"
	}
}

// Limits keep a huge body from freezing the UI: past them the view shows a prefix and says so.
const (
	prettyLimit = 512 << 10
	hexLimit    = 64 << 10
)

// bodyView renders body bytes for mode. chromaStyle "" means no colour (NO_COLOR, goldens).
func bodyView(body []byte, contentType string, mode BodyMode, chromaStyle string) string {
	if len(body) == 0 {
		return "(empty body)"
	}
	if mode == BodyHex || !utf8.Valid(body) {
		return hexView(body, mode != BodyHex)
	}
	if mode == BodyRaw || len(body) > prettyLimit {
		return string(body)
	}
	return prettyView(body, contentType, chromaStyle)
}

func hexView(body []byte, binary bool) string {
	var b strings.Builder
	if binary {
		b.WriteString("(binary body — shown as hex)\n")
	}
	if len(body) > hexLimit {
		fmt.Fprintf(&b, "(first %d of %d bytes)\n", hexLimit, len(body))
		body = body[:hexLimit]
	}
	b.WriteString(strings.TrimRight(hex.Dump(body), "\n"))
	return b.String()
}

// prettyView indents JSON, decodes form bodies and highlights what chroma knows.
func prettyView(body []byte, contentType, chromaStyle string) string {
	media, _, _ := mime.ParseMediaType(contentType)
	switch {
	case media == "application/x-www-form-urlencoded":
		if text, ok := formView(body); ok {
			return text
		}
	case json.Valid(body):
		var out bytes.Buffer
		if err := json.Indent(&out, body, "", "  "); err == nil {
			return highlight(out.String(), "json", chromaStyle)
		}
	case strings.Contains(media, "xml"):
		return highlight(string(body), "xml", chromaStyle)
	case media == "text/html":
		return highlight(string(body), "html", chromaStyle)
	}
	return string(body)
}

// formView lists form fields in their order on the wire; a JSON "payload" field (Slack, GitHub
// form deliveries) is indented too.
func formView(body []byte) (string, bool) {
	var b strings.Builder
	b.WriteString("(form fields, decoded)\n")
	for _, pair := range strings.Split(string(body), "&") {
		if pair == "" {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		key, err1 := url.QueryUnescape(k)
		value, err2 := url.QueryUnescape(v)
		if err1 != nil || err2 != nil {
			return "", false
		}
		if json.Valid([]byte(value)) && strings.HasPrefix(strings.TrimSpace(value), "{") {
			var out bytes.Buffer
			_ = json.Indent(&out, []byte(value), "  ", "  ")
			value = out.String()
		}
		fmt.Fprintf(&b, "%s = %s\n", key, value)
	}
	return strings.TrimRight(b.String(), "\n"), true
}

// highlight colours source with chroma; any failure falls back to the plain text.
func highlight(source, lexer, chromaStyle string) string {
	if chromaStyle == "" {
		return source
	}
	var out strings.Builder
	if err := quick.Highlight(&out, source, lexer, "terminal16m", chromaStyle); err != nil {
		return source
	}
	return strings.TrimRight(out.String(), "\n")
}
