// Package orderedjson decodes JSON into a tree that keeps every object's keys in document order
// (and repeated keys), so what is written back looks like what was received. The signature
// doctor re-encodes such trees the ways other serialisers do; replay edits fixtures with them.
package orderedjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
)

// Object is a JSON object with its keys in document order; Keys[i] holds Vals[i]. A key the
// document repeats appears twice, as it was sent.
type Object struct {
	Keys []string
	Vals []any
}

// Get returns the value of the first key k.
func (o *Object) Get(k string) (any, bool) {
	for i, key := range o.Keys {
		if key == k {
			return o.Vals[i], true
		}
	}
	return nil, false
}

// Set replaces the value of the first key k, or appends k when the object has none.
func (o *Object) Set(k string, v any) {
	for i, key := range o.Keys {
		if key == k {
			o.Vals[i] = v
			return
		}
	}
	o.Keys = append(o.Keys, k)
	o.Vals = append(o.Vals, v)
}

// Decode parses one JSON value into *Object, []any, string, json.Number, bool and nil. Its
// recursion follows the nesting: callers that take untrusted input bound the depth first.
func Decode(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	v, err := decodeValue(dec)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("unexpected data after the JSON value")
	}
	return v, nil
}

func decodeValue(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch tok {
	case json.Delim('{'):
		obj := &Object{}
		for dec.More() {
			k, err := dec.Token()
			if err != nil {
				return nil, err
			}
			v, err := decodeValue(dec)
			if err != nil {
				return nil, err
			}
			key, _ := k.(string)
			obj.Keys = append(obj.Keys, key)
			obj.Vals = append(obj.Vals, v)
		}
		_, err = dec.Token() // the closing brace
		return obj, err
	case json.Delim('['):
		arr := []any{}
		for dec.More() {
			v, err := decodeValue(dec)
			if err != nil {
				return nil, err
			}
			arr = append(arr, v)
		}
		_, err = dec.Token() // the closing bracket
		return arr, err
	}
	return tok, nil
}
