package config

import (
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v4"
)

// Error is one configuration problem, located by file, line and dotted key path.
type Error struct {
	File string
	Line int
	Key  string
	Msg  string
}

// Error formats the problem as "config.yaml:12: gateway.routes.github-pr.secrt: unknown key".
func (e *Error) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		if e.Line > 0 {
			b.WriteString(":" + strconv.Itoa(e.Line))
		}
		b.WriteString(": ")
	} else if e.Line > 0 {
		b.WriteString("line " + strconv.Itoa(e.Line) + ": ")
	}
	if e.Key != "" {
		b.WriteString(e.Key + ": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

var (
	unmarshalerType = reflect.TypeFor[yaml.Unmarshaler]()
	routesType      = reflect.TypeFor[Routes]()
	// yamlErrPrefix strips the library's own "yaml: line N:" so our prefix is the only one.
	yamlErrPrefix = regexp.MustCompile(`^(yaml: )?(line \d+: )?`)
)

// decoder walks a yaml.Node tree into a struct, remembering the line of every key it saw and a
// note for every key whose field carries a `why` tag (read, valid, but not acted on).
type decoder struct {
	file  string
	lines map[string]int
	notes []Note
}

// reflectValue gives the addressable value behind a pointer.
func reflectValue(p any) reflect.Value { return reflect.ValueOf(p).Elem() }

// node decodes n into v, checking every key against the struct's yaml tags so that
// unknown keys and type errors are reported with their full dotted path and line.
func (d *decoder) node(n *yaml.Node, v reflect.Value, path string) []error {
	for n.Kind == yaml.DocumentNode && len(n.Content) == 1 {
		n = n.Content[0]
	}
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return nil
	}
	if o, ok := v.Addr().Interface().(orderedDecoder); ok {
		return o.decodeOrdered(d, n, path)
	}
	switch {
	case v.Type() == routesType:
		return d.routes(n, v, path)
	case reflect.PointerTo(v.Type()).Implements(unmarshalerType):
		return d.leaf(n, v, path)
	case v.Kind() == reflect.Struct:
		return d.mapping(n, v, path)
	case v.Kind() == reflect.Pointer:
		elem := reflect.New(v.Type().Elem())
		errs := d.node(n, elem.Elem(), path)
		if len(errs) == 0 {
			v.Set(elem)
		}
		return errs
	case v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.Struct:
		return d.structSlice(n, v, path)
	}
	return d.leaf(n, v, path)
}

// leaf lets the yaml library decode a value with no keys of its own to check.
func (d *decoder) leaf(n *yaml.Node, v reflect.Value, path string) []error {
	d.recordElements(n, path)
	tmp := reflect.New(v.Type())
	if u, ok := tmp.Interface().(yaml.Unmarshaler); ok {
		// Called directly so the message is ours, not wrapped in the library's prefixes.
		if err := u.UnmarshalYAML(n); err != nil {
			return []error{&Error{File: d.file, Line: n.Line, Key: path, Msg: err.Error()}}
		}
		v.Set(tmp.Elem())
		return nil
	}
	if err := n.Decode(tmp.Interface()); err != nil {
		return []error{&Error{File: d.file, Line: n.Line, Key: path, Msg: leafMessage(n, v.Type())}}
	}
	v.Set(tmp.Elem())
	return nil
}

// recordElements remembers the lines of list items and map keys so Validate can point at them.
func (d *decoder) recordElements(n *yaml.Node, path string) {
	switch n.Kind {
	case yaml.SequenceNode:
		for i, item := range n.Content {
			d.lines[joinKey(path, strconv.Itoa(i))] = item.Line
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			d.lines[joinKey(path, n.Content[i].Value)] = n.Content[i].Line
		}
	}
}

// leafMessage turns a library decode error into a sentence that names the expected type.
func leafMessage(n *yaml.Node, t reflect.Type) string {
	got := n.Value
	if n.Kind != yaml.ScalarNode {
		got = map[yaml.Kind]string{yaml.MappingNode: "a mapping", yaml.SequenceNode: "a list"}[n.Kind]
	} else {
		got = strconv.Quote(got)
	}
	return fmt.Sprintf("expected %s, got %s", typeName(t), got)
}

// typeName describes a Go type in the words a config author uses.
func typeName(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Int, reflect.Int64, reflect.Int32:
		return "an integer"
	case reflect.Bool:
		return "true or false"
	case reflect.String:
		return "a string"
	case reflect.Slice:
		return "a list of " + strings.TrimPrefix(strings.TrimPrefix(typeName(t.Elem()), "an "), "a ") + "s"
	case reflect.Map:
		return "a mapping of strings"
	}
	return t.String()
}

// mapping walks a mapping node, matching keys to yaml tags.
func (d *decoder) mapping(n *yaml.Node, v reflect.Value, path string) []error {
	if n.Kind != yaml.MappingNode {
		return []error{&Error{File: d.file, Line: n.Line, Key: path, Msg: "expected a mapping of keys"}}
	}
	fields := fieldsByTag(v.Type())
	var errs []error
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		key := joinKey(path, k.Value)
		d.lines[key] = k.Line
		idx, ok := fields[k.Value]
		if !ok {
			idx, ok = fields[anyKey]
		}
		if !ok {
			errs = append(errs, &Error{File: d.file, Line: k.Line, Key: key, Msg: "unknown key"})
			continue
		}
		if why := v.Type().Field(idx).Tag.Get("why"); why != "" {
			d.notes = append(d.notes, Note{Line: k.Line, Key: key, Kind: NoteIgnored, Msg: why})
		}
		errs = append(errs, d.node(val, v.Field(idx), key)...)
	}
	return errs
}

// fieldsByTag maps each yaml tag name of a struct type to its field index.
func fieldsByTag(t reflect.Type) map[string]int {
	m := make(map[string]int, t.NumField())
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ",")
		if name != "" && name != "-" {
			m[name] = i
		}
	}
	return m
}

// structSlice walks a sequence of mappings, naming elements by index ("notify.webhooks.0.url").
func (d *decoder) structSlice(n *yaml.Node, v reflect.Value, path string) []error {
	if n.Kind != yaml.SequenceNode {
		return []error{&Error{File: d.file, Line: n.Line, Key: path, Msg: "expected a list"}}
	}
	out := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
	var errs []error
	for i, item := range n.Content {
		d.lines[joinKey(path, strconv.Itoa(i))] = item.Line
		errs = append(errs, d.node(item, out.Index(i), joinKey(path, strconv.Itoa(i)))...)
	}
	v.Set(out)
	return errs
}

// routes reads the routes mapping in declaration order, filling Name and Line.
func (d *decoder) routes(n *yaml.Node, v reflect.Value, path string) []error {
	for n.Kind == yaml.DocumentNode && len(n.Content) == 1 {
		n = n.Content[0]
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return nil
	}
	if n.Kind != yaml.MappingNode {
		return []error{&Error{File: d.file, Line: n.Line, Key: path, Msg: "expected a mapping of route name to route"}}
	}
	var routes Routes
	errs := d.entries(n, path, "route declared twice", func(k, val *yaml.Node, key string) []error {
		rt := Route{Name: k.Value, Line: k.Line}
		errs := d.node(val, reflect.ValueOf(&rt).Elem(), key)
		routes = append(routes, rt)
		return errs
	})
	v.Set(reflect.ValueOf(routes))
	return errs
}

// entries walks a mapping of names in order: a name given twice is reported with twice, every
// other one is recorded with its line and handed to each.
func (d *decoder) entries(n *yaml.Node, path, twice string, each func(k, val *yaml.Node, key string) []error) []error {
	var errs []error
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		key := joinKey(path, k.Value)
		if seen[k.Value] {
			errs = append(errs, &Error{File: d.file, Line: k.Line, Key: key, Msg: twice})
			continue
		}
		seen[k.Value] = true
		d.lines[key] = k.Line
		errs = append(errs, each(k, val, key)...)
	}
	return errs
}

// joinKey appends one segment to a dotted key path.
func joinKey(path, seg string) string {
	if path == "" {
		return seg
	}
	return path + "." + seg
}
