package payload

import (
	"bytes"
	"encoding/json"
	"net/url"
	"strings"
	"unicode/utf8"
	"unsafe"

	"github.com/tidwall/gjson"
)

// maxDepth is how deeply a JSON body may nest and still count as JSON: encoding/json's limit,
// so a body parses here exactly when it decodes there. It also bounds the validator's recursion
// on a hostile body of a million '['.
const maxDepth = 10000

// Doc is a webhook body prepared for lookups. JSON (by content type, or sniffed from an untyped
// body) is validated once and then read in place with gjson; a form body becomes a small tree,
// and a form whose only field is a JSON "payload" is that JSON. The zero Doc, and a nil *Doc,
// hold no body.
type Doc struct {
	raw     []byte         // the body as received
	json    string         // the JSON text to read (aliases the body bytes); "" when none
	wrapped bool           // json is a form's lone "payload" field
	form    map[string]any // the fields of a form body that is not wrapped JSON
}

// Open prepares body for lookups according to its content type: JSON (object, array or scalar)
// or application/x-www-form-urlencoded; anything else, or a body that does not parse, is kept
// only as text. The body must not change while the Doc is in use: JSON values are read from it
// without copying.
func Open(contentType string, body []byte) Doc {
	d := Doc{raw: body}
	switch mt := mediaType(contentType); {
	case mt == "application/x-www-form-urlencoded":
		d.openForm(body)
	case isJSONType(mt):
		d.openJSON(bytesText(body))
	case mt == "" || mt == "text/plain" || mt == "application/octet-stream":
		if sniffsAsJSON(body) {
			d.openJSON(bytesText(body))
		}
	}
	return d
}

// Parsed reports whether the body is JSON or a form, so paths can be looked up in it.
func (d *Doc) Parsed() bool { return d != nil && (d.json != "" || d.form != nil) }

// bytesText views b as a string without copying.
func bytesText(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// openJSON keeps text when it is exactly one valid JSON value (surrounding white space allowed).
func (d *Doc) openJSON(text string) {
	if validJSON(text) {
		d.json = text
	}
}

func (d *Doc) openForm(body []byte) {
	vals, err := url.ParseQuery(string(body))
	if err != nil {
		return
	}
	if inner, ok := wrappedJSON(vals); ok {
		if d.openJSON(inner); d.json != "" {
			d.wrapped = true
			return
		}
	}
	d.form = formTree(vals)
}

// lookup finds a dot path ("items.0.name"; numeric segments index arrays; "" is the whole body)
// and returns its text: strings as they decode, other scalars as written, objects and arrays as
// compact JSON cut at ValueLimit characters.
func (d *Doc) lookup(path string) (string, bool) {
	switch {
	case d == nil:
		return "", false
	case d.form != nil:
		v, ok := lookupTree(d.form, path)
		if !ok {
			return "", false
		}
		return valueText(v), true
	case d.json == "":
		return "", false
	}
	res, ok := d.find(path)
	if !ok {
		return "", false
	}
	return resultText(res), true
}

// find walks path through the JSON one segment at a time, so that a numeric segment indexes
// only an array (an object's "0" key is a key) and an index is written canonically.
func (d *Doc) find(path string) (gjson.Result, bool) {
	res := gjson.Parse(d.json)
	if path == "" {
		return res, true
	}
	for seg := range strings.SplitSeq(path, ".") {
		switch {
		case res.IsObject():
			res = gjson.Get(res.Raw, gjsonKey(seg))
		case res.IsArray():
			if _, ok := arrayIndex(seg, maxIndex); !ok {
				return gjson.Result{}, false
			}
			res = gjson.Get(res.Raw, seg)
		default:
			return gjson.Result{}, false
		}
		if !res.Exists() {
			return gjson.Result{}, false
		}
	}
	return res, true
}

// maxIndex bounds the array indexes a path may name; gjson reports a missing element itself.
const maxIndex = 1 << 31

// gjsonKey escapes the one character a template path may contain that gjson's path syntax
// reserves: '@', which starts a modifier.
func gjsonKey(seg string) string {
	if !strings.Contains(seg, "@") {
		return seg
	}
	return strings.ReplaceAll(seg, "@", `\@`)
}

// resultText formats a found value the way the template contract prints it.
func resultText(res gjson.Result) string {
	switch res.Type {
	case gjson.String:
		return stringText(res.Raw)
	case gjson.JSON:
		v, ok := decodeJSON(res.Raw)
		if !ok {
			return ""
		}
		return valueText(v)
	default:
		return res.Raw // numbers as written, true, false, null
	}
}

// stringText decodes a JSON string token. One without escapes and in valid UTF-8 is its own
// content; anything else goes through encoding/json, which also replaces invalid bytes.
func stringText(token string) string {
	inner := token[1 : len(token)-1]
	if !strings.Contains(inner, `\`) && utf8.ValidString(inner) {
		return inner
	}
	var s string
	if err := json.Unmarshal([]byte(token), &s); err != nil {
		return ""
	}
	return s
}

// topField is a top-level field of a JSON object or form body: its text (a string decoded, a
// number as written) and its type; gjson.Null when absent or of another kind.
func (d *Doc) topField(key string) (string, gjson.Type) {
	if d == nil {
		return "", gjson.Null
	}
	if d.form != nil {
		s, ok := d.form[key].(string)
		if !ok {
			return "", gjson.Null
		}
		return s, gjson.String
	}
	if res := gjson.Parse(d.json); !res.IsObject() {
		return "", gjson.Null
	}
	switch v := gjson.Get(d.json, gjsonKey(key)); v.Type {
	case gjson.String:
		return stringText(v.Raw), gjson.String
	case gjson.Number:
		return v.Raw, gjson.Number
	}
	return "", gjson.Null
}

// whole is the payload as indented JSON (the JSON text re-indented, so key order and numbers
// survive; a form as its fields), or the body as text when it is neither; limit < 0 means no cut.
func (d *Doc) whole(limit int) string {
	var s string
	switch {
	case d == nil:
		return ""
	case d.form != nil:
		s = marshal(d.form, "  ")
	case d.wrapped:
		s = marshal(mustDecode(d.json), "  ") // a form's payload field, printed as forms are
	case d.json != "":
		var buf bytes.Buffer
		_ = json.Indent(&buf, bytes.TrimSpace(d.raw), "", "  ")
		s = buf.String()
	default:
		s = strings.ToValidUTF8(string(d.raw), "\uFFFD")
	}
	if limit < 0 {
		return s
	}
	return Cut(s, limit)
}

// mustDecode decodes JSON text already validated by Open.
func mustDecode(text string) any {
	v, _ := decodeJSON(text)
	return v
}
