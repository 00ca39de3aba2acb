package bodyview

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
)

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
