package signature

import (
	"bytes"
	"encoding/json"

	"github.com/hooktap/hooktap/internal/orderedjson"
)

// jsonTextVariants re-lay the JSON text (whitespace only, escapes and numbers kept); they are
// cheap enough for any body size.
func jsonTextVariants(body []byte) []bodyVariant {
	var compact bytes.Buffer
	if json.Compact(&compact, body) != nil {
		return nil
	}
	out := []bodyVariant{{FindBodyReserialized, reserialized("compact JSON"), compact.Bytes()}}
	limit := variantCap(len(body))
	for _, ind := range []struct{ indent, what string }{{"  ", "pretty-printed JSON (2 spaces)"}, {"    ", "pretty-printed JSON (4 spaces)"}} {
		if pretty, ok := indentJSON(compact.Bytes(), ind.indent, limit); ok {
			out = append(out, bodyVariant{FindBodyReserialized, reserialized(ind.what), pretty})
		}
	}
	return out
}

// jsonTreeVariants decode the JSON keeping key order and re-encode it the ways common
// serialisers do (key order, escapes, number formats, separators).
func jsonTreeVariants(body []byte) []bodyVariant {
	if len(body) > treeLimit {
		return nil
	}
	tree, err := orderedjson.Decode(body)
	if err != nil {
		return nil
	}
	styles := []struct {
		opt  encOpts
		what string
	}{
		{encOpts{}, "JSON.stringify output (compact, escapes and numbers normalised)"},
		{encOpts{indent: "  "}, "pretty-printed JSON (2 spaces, as JSON.stringify(v, null, 2))"},
		{encOpts{sortKeys: true}, "compact JSON with keys sorted"},
		{encOpts{sortKeys: true, html: true}, "key-sorted JSON with Go's escaping (json.Marshal of a map)"},
		{encOpts{html: true}, "JSON with Go's HTML escaping (\\u003c, \\u0026, \\u2028)"},
		{encOpts{indent: "  ", sortKeys: true}, "pretty-printed JSON with keys sorted"},
		{encOpts{spaced: true, ascii: true}, "JSON as Python's json.dumps writes it (\", \" and \": \" separators, ASCII escapes)"},
		{encOpts{indent: "    "}, "pretty-printed JSON (4 spaces, escapes normalised)"},
	}
	out := make([]bodyVariant, 0, len(styles))
	limit := variantCap(len(body))
	for _, s := range styles {
		b := newCapBuffer(limit, len(body)+len(body)/2)
		encodeOrdered(b, tree, s.opt, 0)
		if !b.full {
			out = append(out, bodyVariant{FindBodyReserialized, reserialized(s.what), b.buf})
		}
	}
	return out
}
