package replay

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/hooktap/hooktap/internal/orderedjson"
)

// parseDoc reads one JSON value keeping its keys in document order, so an edited fixture still
// looks like the provider's payload (key order is part of what a reader recognises).
func parseDoc(b []byte) (any, error) { return orderedjson.Decode(b) }

// marshalDoc writes v compactly (indent "") or indented, without HTML escaping: providers send
// "<@U123>" and "&" as is.
func marshalDoc(v any, indent string) ([]byte, error) {
	var buf bytes.Buffer
	if err := writeValue(&buf, v); err != nil {
		return nil, err
	}
	if indent == "" {
		return buf.Bytes(), nil
	}
	var out bytes.Buffer
	if err := json.Indent(&out, buf.Bytes(), "", indent); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

func writeValue(buf *bytes.Buffer, v any) error {
	switch t := v.(type) {
	case *orderedjson.Object:
		buf.WriteByte('{')
		for i, k := range t.Keys {
			if i > 0 {
				buf.WriteByte(',')
			}
			writeString(buf, k)
			buf.WriteByte(':')
			if err := writeValue(buf, t.Vals[i]); err != nil {
				return err
			}
		}
		buf.WriteByte('}')
	case []any:
		buf.WriteByte('[')
		for i, e := range t {
			if i > 0 {
				buf.WriteByte(',')
			}
			if err := writeValue(buf, e); err != nil {
				return err
			}
		}
		buf.WriteByte(']')
	case string:
		writeString(buf, t)
	default:
		b, err := json.Marshal(t)
		if err != nil {
			return err
		}
		buf.Write(b)
	}
	return nil
}

func writeString(buf *bytes.Buffer, s string) {
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a Go string always encodes
	buf.Truncate(buf.Len() - 1)
}

// parseSetValue reads the value of a --set: JSON when it parses as JSON, else the text as a string.
func parseSetValue(s string) any {
	if v, err := parseDoc([]byte(s)); err == nil && strings.TrimSpace(s) != "" {
		return v
	}
	return s
}

// setPath sets the value at a dot path, creating missing objects on the way. A numeric segment
// indexes an array; the index equal to the array's length appends.
func setPath(root any, path string, value any) (any, error) {
	if path == "" {
		return value, nil
	}
	segs := strings.Split(path, ".")
	for _, s := range segs {
		if s == "" {
			return nil, fmt.Errorf("path %q has an empty segment", path)
		}
	}
	return setIn(root, segs, value, path, 0)
}

func setIn(node any, segs []string, value any, path string, depth int) (any, error) {
	if len(segs) == 0 {
		return value, nil
	}
	seg := segs[0]
	where := strings.Join(strings.Split(path, ".")[:depth], ".")
	if where == "" {
		where = "the payload root"
	}
	switch n := node.(type) {
	case nil:
		return setIn(&orderedjson.Object{}, segs, value, path, depth)
	case *orderedjson.Object:
		child, _ := n.Get(seg)
		v, err := setIn(child, segs[1:], value, path, depth+1)
		if err != nil {
			return nil, err
		}
		n.Set(seg, v)
		return n, nil
	case []any:
		return setInArray(n, segs, value, path, depth, where)
	default:
		return nil, fmt.Errorf("cannot set %s: %s is a %s, not an object", path, where, kindOf(n))
	}
}

func setInArray(arr []any, segs []string, value any, path string, depth int, where string) (any, error) {
	i, err := strconv.Atoi(segs[0])
	if err != nil || i < 0 {
		return nil, fmt.Errorf("cannot set %s: %s is an array; use a number (0…%d) for the next segment", path, where, len(arr))
	}
	if i > len(arr) {
		return nil, fmt.Errorf("cannot set %s: index %d is past the end of %s (%d items; %d appends)", path, i, where, len(arr), len(arr))
	}
	var child any
	if i < len(arr) {
		child = arr[i]
	}
	v, err := setIn(child, segs[1:], value, path, depth+1)
	if err != nil {
		return nil, err
	}
	if i == len(arr) {
		return append(arr, v), nil
	}
	arr[i] = v
	return arr, nil
}

func kindOf(v any) string {
	switch v.(type) {
	case string:
		return "string"
	case json.Number:
		return "number"
	case bool:
		return "boolean"
	default:
		return "value"
	}
}
