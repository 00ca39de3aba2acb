package config

import (
	"strconv"
	"strings"

	"go.yaml.in/yaml/v4"
)

// The file formats Load reads. hooktap's own is the default; the others are the configuration
// files of the systems hooktap stands in for, recognised by their shape (docs/formats/).
const (
	FormatHooktap  = "hooktap"
	FormatHermes   = "hermes"
	FormatClawdbot = "clawdbot"
	FormatGreentic = "greentic"
	FormatGozen    = "gozen"
)

// Formats lists the accepted values of --config-format.
var Formats = []string{FormatHooktap, FormatHermes, FormatClawdbot, FormatGreentic, FormatGozen}

// formatTitles are the names explain and errors use for each format.
var formatTitles = map[string]string{
	FormatHooktap: "hooktap", FormatHermes: "Hermes webhook platform", FormatClawdbot: "Clawdbot webhooks",
	FormatGreentic: "Greentic events-webhook", FormatGozen: "gozen alert webhooks",
}

// FormatTitle is the human name of a format ("Hermes webhook platform").
func FormatTitle(format string) string { return formatTitles[format] }

// The kinds of Note.
const (
	// NoteIgnored is a valid key of the original format that hooktap reads and does not act on.
	NoteIgnored = "ignored"
	// NoteNotDelivered is a delivery or action hooktap does not perform; requests are captured
	// with the note instead.
	NoteNotDelivered = "not_delivered"
	// NoteDiffers is a setting hooktap honours differently from the original system.
	NoteDiffers = "differs"
)

// Note is one thing hooktap read but does not do as the original system would, located by the
// line and key of the file it came from.
type Note struct {
	Line int    `json:"line"`
	Key  string `json:"key"`
	Kind string `json:"kind"`
	Msg  string `json:"message"`
}

// anyKey is the yaml tag of a field that takes every key the struct does not name: the settings
// of the original system that have nothing to do with webhooks.
const anyKey = "*"

// Ignored swallows a value of any shape; fields of this type carry a `why` tag the decoder turns
// into a Note.
type Ignored struct{}

// UnmarshalYAML accepts anything.
func (*Ignored) UnmarshalYAML(*yaml.Node) error { return nil }

// Entry is one named item of a mapping whose order matters (routes in the order written).
type Entry[T any] struct {
	Name  string
	Line  int
	Value T
}

// Ordered is a YAML mapping of name to T, kept in declaration order.
type Ordered[T any] []Entry[T]

// orderedDecoder is implemented by Ordered so the decoder can keep order and check each value.
type orderedDecoder interface {
	decodeOrdered(d *decoder, n *yaml.Node, path string) []error
}

func (o *Ordered[T]) decodeOrdered(d *decoder, n *yaml.Node, path string) []error {
	if n.Kind != yaml.MappingNode {
		return []error{&Error{File: d.file, Line: n.Line, Key: path, Msg: "expected a mapping of names"}}
	}
	return d.entries(n, path, "declared twice", func(k, val *yaml.Node, key string) []error {
		e := Entry[T]{Name: k.Value, Line: k.Line}
		errs := d.node(val, reflectValue(&e.Value), key)
		*o = append(*o, e)
		return errs
	})
}

// detectFormat names the format of a parsed file by its top-level keys: hooktap's own keys win;
// then `platforms.webhook` (Hermes), `events-webhook` (Greentic), `webhooks` as a list (gozen) or
// as a mapping of incoming/handlers/outgoing (Clawdbot) or of routes (a Hermes routes excerpt).
func detectFormat(root *yaml.Node) string {
	top := mappingKeys(root)
	for _, k := range []string{"gateway", "capture", "admin", "tunnel", "notify", "log", "data_dir"} {
		if top[k] != nil {
			return FormatHooktap
		}
	}
	if p := top["platforms"]; p != nil && mappingKeys(p)["webhook"] != nil {
		return FormatHermes
	}
	if top["events-webhook"] != nil {
		return FormatGreentic
	}
	w := top["webhooks"]
	switch {
	case w == nil:
		return FormatHooktap
	case w.Kind == yaml.SequenceNode:
		return FormatGozen
	case mappingKeys(w)["routes"] != nil:
		return FormatHermes
	case w.Kind == yaml.MappingNode:
		return FormatClawdbot
	}
	return FormatHooktap
}

// mappingKeys indexes a mapping node's values by key (nil for any other node).
func mappingKeys(n *yaml.Node) map[string]*yaml.Node {
	for n != nil && n.Kind == yaml.DocumentNode && len(n.Content) == 1 {
		n = n.Content[0]
	}
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	m := make(map[string]*yaml.Node, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		m[n.Content[i].Value] = n.Content[i+1]
	}
	return m
}

// mapper carries what an adapter needs to place a foreign file's values into a Config: the lines
// the decoder saw, and the key names to report problems under.
type mapper struct {
	c     *Config
	lines map[string]int
	file  string
	errs  []error
}

// link says that hooktap key h came from foreign key f: problems with h are reported at f's line
// under f's name. Sub-keys follow (h.x is reported as f.x).
func (m *mapper) link(h, f string) {
	if m.c.names == nil {
		m.c.names = map[string]string{}
	}
	m.c.names[h] = f
	if m.c.lines == nil {
		m.c.lines = map[string]int{}
	}
	for k, line := range m.lines {
		if k == f {
			m.c.lines[h] = line
		} else if rest, ok := strings.CutPrefix(k, f+"."); ok {
			m.c.lines[h+"."+rest] = line
		}
	}
}

// fail records a problem at the foreign key's line.
func (m *mapper) fail(key, msg string) {
	m.errs = append(m.errs, &Error{File: m.file, Line: m.lines[key], Key: key, Msg: msg})
}

// note records something hooktap does differently, at the foreign key's line.
func (m *mapper) note(key, kind, msg string) {
	m.c.Notes = append(m.c.Notes, Note{Line: m.lines[key], Key: key, Kind: kind, Msg: msg})
}

// originalKey names key as the loaded file spells it: a hooktap key that came from another
// format is translated through the longest linked prefix.
func (c *Config) originalKey(key string) string {
	best := ""
	for h := range c.names {
		if (key == h || strings.HasPrefix(key, h+".")) && len(h) > len(best) {
			best = h
		}
	}
	if best == "" {
		return key
	}
	return c.names[best] + key[len(best):]
}

// itoa is strconv.Itoa, short for key paths.
func itoa(i int) string { return strconv.Itoa(i) }
