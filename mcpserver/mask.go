package mcpserver

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/hooktap/hooktap/mask"
	"github.com/hooktap/hooktap/notify"
)

// minScrubLen is the shortest secret the result filter replaces: shorter values would match
// ordinary text and carry little of a secret anyway.
const minScrubLen = 6

// maskResults is the last line of defence behind the masked JSON forms: whatever a tool
// returns — a target's answer that echoes a header, a body that quotes a token — every known
// secret value (route secrets, the admin token, outgoing webhooks' secrets and URLs, and the
// secrets given in the call itself) is masked in the text and in the structured result.
func (s *server) maskResults(next mcp.MethodHandler) mcp.MethodHandler {
	return func(ctx context.Context, method string, req mcp.Request) (mcp.Result, error) {
		res, err := next(ctx, method, req)
		r, ok := res.(*mcp.CallToolResult)
		if err != nil || !ok || r == nil {
			return res, err
		}
		secrets := s.secretValues(req)
		for _, c := range r.Content {
			if t, ok := c.(*mcp.TextContent); ok {
				t.Text = scrub(t.Text, secrets)
			}
		}
		if r.StructuredContent != nil {
			r.StructuredContent = scrubJSON(r.StructuredContent, secrets)
		}
		return r, nil
	}
}

// secretValues lists the values no result may show.
func (s *server) secretValues(req mcp.Request) []string {
	var out []string
	add := func(v string) {
		if len(v) >= minScrubLen {
			out = append(out, v)
		}
	}
	g := s.d.Config.Gateway
	for _, rt := range s.routes() {
		for _, sec := range rt.Effective(g).Secrets {
			add(sec.Value)
		}
		if isChatFormat(rt.Deliver) {
			add(rt.DeliverExtra.URL)
			add(rt.DeliverExtra.BackupURL)
		}
	}
	add(s.d.Config.Admin.Token)
	for _, w := range s.d.Config.Notify.Webhooks {
		add(w.Secret)
		if isChatFormat(notify.Format(w.Format, w.URL)) {
			add(w.URL)
		}
	}
	if p, ok := req.GetParams().(*mcp.CallToolParamsRaw); ok {
		var args struct {
			Secret  string   `json:"secret"`
			Secrets []string `json:"secrets"`
		}
		if json.Unmarshal(p.Arguments, &args) == nil {
			add(args.Secret)
			for _, v := range args.Secrets {
				add(v)
			}
		}
	}
	return out
}

func isChatFormat(f string) bool { return f == "slack" || f == "discord" }

// scrub masks every occurrence of each secret in text with the masking rule of headers.
func scrub(text string, secrets []string) string {
	for _, sec := range secrets {
		if strings.Contains(text, sec) {
			text = strings.ReplaceAll(text, sec, mask.Value(sec))
		}
	}
	return text
}

// scrubJSON scrubs every string in v's JSON form (keys and structure are left alone). The
// usual result holds no secret and comes back as it is, without being decoded again.
func scrubJSON(v any, secrets []string) any {
	raw, err := json.Marshal(v)
	if err != nil || !containsAny(raw, secrets) {
		return v
	}
	var tree any
	if json.Unmarshal(raw, &tree) != nil {
		return v
	}
	return scrubTree(tree, secrets)
}

// containsAny reports whether raw JSON holds any of the secrets, as is or JSON-escaped.
func containsAny(raw []byte, secrets []string) bool {
	for _, sec := range secrets {
		escaped, _ := json.Marshal(sec)
		if bytes.Contains(raw, []byte(sec)) || bytes.Contains(raw, escaped[1:len(escaped)-1]) {
			return true
		}
	}
	return false
}

func scrubTree(v any, secrets []string) any {
	switch t := v.(type) {
	case string:
		return scrub(t, secrets)
	case []any:
		for i := range t {
			t[i] = scrubTree(t[i], secrets)
		}
	case map[string]any:
		for k := range t {
			t[k] = scrubTree(t[k], secrets)
		}
	}
	return v
}
