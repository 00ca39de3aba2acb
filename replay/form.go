package replay

import (
	"fmt"
	"net/url"
	"strings"
)

// editForm sets fields, then "name=value" edits, in a form-encoded body. Fields keep their place
// (a provider's parameter order is part of what a reader recognises); new ones are appended.
func editForm(body []byte, fields []bodyField, sets []string) ([]byte, error) {
	pairs := strings.Split(strings.TrimSpace(string(body)), "&")
	set := func(name, value string) {
		enc := url.QueryEscape(name) + "=" + url.QueryEscape(value)
		for i, p := range pairs {
			k, _, _ := strings.Cut(p, "=")
			if key, err := url.QueryUnescape(k); err == nil && key == name {
				pairs[i] = enc
				return
			}
		}
		pairs = append(pairs, enc)
	}
	for _, f := range fields {
		set(f.path, fmt.Sprint(f.value))
	}
	for _, s := range sets {
		name, value, ok := strings.Cut(s, "=")
		if !ok || strings.TrimSpace(name) == "" {
			return nil, fmt.Errorf("--set %q: want name=value, e.g. Body=\"Hello\"", s)
		}
		set(strings.TrimSpace(name), value)
	}
	return []byte(strings.Join(pairs, "&")), nil
}
