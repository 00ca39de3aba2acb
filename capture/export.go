package capture

import (
	"bytes"
	"strconv"
	"strings"
	"unicode/utf8"
)

// ExportCurl returns a runnable shell command that sends c to baseURL with c's path and query,
// its headers in order and its exact body bytes (text as a quoted literal, anything else through
// printf octal escapes on stdin). Credentials are masked unless o.Reveal.
func ExportCurl(c *Capture, baseURL string, o JSONOptions) string {
	c = o.Shown(c)
	headers := c.Headers
	binary := len(c.Body) > 0 && !isShellText(c.Body)
	var b strings.Builder
	if binary {
		b.WriteString("printf '" + printfEscape(c.Body) + "' | ")
	}
	b.WriteString("curl -sS")
	method, inferred := c.Method, "GET"
	if len(c.Body) > 0 {
		inferred = "POST"
	}
	if method == "" {
		method = inferred
	}
	if method != inferred {
		b.WriteString(" -X " + shellQuote(method))
	}
	b.WriteString(" " + shellQuote(requestURL(baseURL, c)))
	for _, h := range headers {
		// curl computes Host and Content-Length itself; the rest belongs to one connection.
		if !IsHopByHop(h.Name) {
			b.WriteString(" -H " + shellQuote(curlHeader(h)))
		}
	}
	if len(c.Body) > 0 {
		// Without these curl would add a form Content-Type or an Expect: 100-continue of its own.
		for _, name := range []string{"Content-Type", "Expect"} {
			if !hasHeader(c.Headers, name) {
				b.WriteString(" -H " + shellQuote(name+":"))
			}
		}
	}
	switch {
	case binary:
		b.WriteString(" --data-binary @-")
	case len(c.Body) > 0:
		b.WriteString(" --data-binary " + shellQuote(string(c.Body)))
	}
	return b.String()
}

// curlHeader uses curl's "Name;" form for an empty value, since "Name:" would remove the header.
func curlHeader(h Header) string {
	if h.Value == "" {
		return h.Name + ";"
	}
	return h.Name + ": " + h.Value
}

func requestURL(baseURL string, c *Capture) string {
	path := c.Path
	if path == "" {
		path = "/"
	}
	u := strings.TrimRight(baseURL, "/") + path
	if c.Query != "" {
		u += "?" + c.Query
	}
	return u
}

// isShellText reports whether b can sit in a single-quoted literal and survive a terminal paste:
// valid UTF-8 without control characters other than tab and newlines.
func isShellText(b []byte) bool {
	if !utf8.Valid(b) {
		return false
	}
	for _, c := range b {
		if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f {
			return false
		}
	}
	return true
}

// shellQuote single-quotes s for POSIX sh; a quote inside becomes '\”.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// printfEscape writes b as a printf format that prints exactly b: printable ASCII stays, every
// other byte and printf's own specials (%, \) and the quote become 3-digit octal escapes.
func printfEscape(b []byte) string {
	var out strings.Builder
	out.Grow(len(b) * 2)
	for _, c := range b {
		if c >= 0x20 && c < 0x7f && c != '%' && c != '\\' && c != '\'' {
			out.WriteByte(c)
			continue
		}
		out.WriteByte('\\')
		out.WriteString(strconv.FormatInt(int64(c)|0o1000, 8)[1:])
	}
	return out.String()
}

// ExportRaw returns c as HTTP/1.1 request bytes: request line, headers in order, body.
// Credentials are masked unless o.Reveal. A Content-Length is added only when the capture has
// neither it nor Transfer-Encoding, so the bytes parse as one request.
func ExportRaw(c *Capture, o JSONOptions) []byte {
	c = o.Shown(c)
	var b bytes.Buffer
	target := c.Path
	if target == "" {
		target = "/"
	}
	if c.Query != "" {
		target += "?" + c.Query
	}
	method := c.Method
	if method == "" {
		method = "GET"
	}
	b.WriteString(method + " " + target + " HTTP/1.1\r\n")
	for _, h := range c.Headers {
		b.WriteString(h.Name + ": " + h.Value + "\r\n")
	}
	if len(c.Body) > 0 && !hasHeader(c.Headers, "Content-Length") && !hasHeader(c.Headers, "Transfer-Encoding") {
		b.WriteString("Content-Length: " + strconv.Itoa(len(c.Body)) + "\r\n")
	}
	b.WriteString("\r\n")
	b.Write(c.Body)
	return b.Bytes()
}

func hasHeader(hs []Header, name string) bool {
	for _, h := range hs {
		if equalFold(h.Name, name) {
			return true
		}
	}
	return false
}
