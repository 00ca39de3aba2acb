package notify

import (
	"encoding/json"
	"strings"
)

// DataValue types a value typed by a person (`--data k=v`, the TUI's data editor): JSON —
// numbers, booleans, objects, quoted strings — keeps its type and literal form (10.0 stays
// 10.0), anything else is the text itself.
func DataValue(v string) any {
	dec := json.NewDecoder(strings.NewReader(v))
	dec.UseNumber()
	var parsed any
	if err := dec.Decode(&parsed); err != nil || dec.More() {
		return v
	}
	if _, isString := parsed.(string); isString {
		return parsed
	}
	if strings.TrimSpace(v) != v {
		return v // " 10" is text someone padded, not the number 10
	}
	return parsed
}
