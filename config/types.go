package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v4"
)

// Routes is the ordered list of routes; in YAML and JSON it is a mapping from name to route,
// kept in declaration order so the TUI and logs list routes as the user wrote them.
type Routes []Route

// ParseDuration reads "1h", "30s", "1h30m", "7d", "2w" or a plain number of seconds.
func ParseDuration(s string) (Duration, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, errors.New("empty duration")
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		if n < 0 || n > int64(1<<62)/int64(time.Second) {
			return 0, fmt.Errorf("duration %q out of range", s)
		}
		return Duration(time.Duration(n) * time.Second), nil
	}
	if d, ok := parseDayWeek(s); ok {
		return d, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("invalid duration %q (use e.g. 30s, 5m, 1h, 7d, 2w or seconds)", s)
	}
	return Duration(d), nil
}

// parseDayWeek handles the day and week units time.ParseDuration lacks ("7d", "2w").
func parseDayWeek(s string) (Duration, bool) {
	unit := map[byte]time.Duration{'d': 24 * time.Hour, 'w': 7 * 24 * time.Hour}[s[len(s)-1]]
	if unit == 0 {
		return 0, false
	}
	n, err := strconv.ParseInt(s[:len(s)-1], 10, 64)
	if err != nil || n < 0 || n > int64(1<<62)/int64(unit) {
		return 0, false
	}
	return Duration(time.Duration(n) * unit), true
}

// D returns the value as a time.Duration.
func (d Duration) D() time.Duration { return time.Duration(d) }

// String formats the duration, using days when it is a whole number of them.
func (d Duration) String() string {
	td := time.Duration(d)
	if day := 24 * time.Hour; td >= day && td%day == 0 {
		return strconv.FormatInt(int64(td/day), 10) + "d"
	}
	// time.Duration says "1h0m0s"; drop the zero units so files and JSON read "1h", "10m".
	text := td.String()
	if strings.HasSuffix(text, "m0s") {
		text = strings.TrimSuffix(text, "0s")
	}
	if strings.HasSuffix(text, "h0m") {
		text = strings.TrimSuffix(text, "0m")
	}
	return text
}

// UnmarshalYAML accepts a duration string or an integer number of seconds.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return errors.New("expected a duration such as 30s, 5m, 1h or 7d")
	}
	v, err := ParseDuration(n.Value)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// MarshalYAML writes the duration in its string form.
func (d Duration) MarshalYAML() (any, error) { return d.String(), nil }

// UnmarshalJSON accepts a duration string or a number of seconds.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		s = string(b)
	}
	v, err := ParseDuration(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// MarshalJSON writes the duration in its string form.
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(d.String()) }

// UnmarshalYAML accepts one secret as a string or several as a sequence of strings.
func (s *Secrets) UnmarshalYAML(n *yaml.Node) error {
	switch n.Kind {
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			*s = nil
			return nil
		}
		*s = Secrets{n.Value}
		return nil
	case yaml.SequenceNode:
		var list []string
		if err := n.Decode(&list); err != nil {
			return errors.New("expected a secret string or a list of secret strings")
		}
		*s = list
		return nil
	}
	return errors.New("expected a secret string or a list of secret strings")
}

// MarshalYAML writes one secret as a string and several as a list, as a user would.
func (s Secrets) MarshalYAML() (any, error) {
	if len(s) == 1 {
		return s[0], nil
	}
	return []string(s), nil
}

// UnmarshalJSON accepts one secret as a string or several as an array of strings.
func (s *Secrets) UnmarshalJSON(b []byte) error {
	var one string
	if err := json.Unmarshal(b, &one); err == nil {
		*s = Secrets{one}
		return nil
	}
	var list []string
	if err := json.Unmarshal(b, &list); err != nil {
		return errors.New("expected a secret string or a list of secret strings")
	}
	*s = list
	return nil
}

// UnmarshalYAML reads a mapping of route name to route, keeping declaration order.
func (r *Routes) UnmarshalYAML(n *yaml.Node) error {
	d := &decoder{lines: map[string]int{}}
	errs := d.routes(n, reflectValue(r), "gateway.routes")
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	return nil
}

// MarshalYAML writes the routes as a mapping in their order.
func (r Routes) MarshalYAML() (any, error) {
	m := &yaml.Node{Kind: yaml.MappingNode}
	for _, rt := range r {
		var v yaml.Node
		if err := v.Encode(rt); err != nil {
			return nil, err
		}
		m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: rt.Name}, &v)
	}
	return m, nil
}

// MarshalJSON writes the routes as an object in their order.
func (r Routes) MarshalJSON() ([]byte, error) {
	var b strings.Builder
	b.WriteByte('{')
	for i, rt := range r {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(rt.Name)
		v, err := json.Marshal(rt)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return []byte(b.String()), nil
}

// UnmarshalJSON reads an object of route name to route, keeping declaration order.
func (r *Routes) UnmarshalJSON(b []byte) error {
	var n yaml.Node
	if err := yaml.Load(b, &n); err != nil {
		return err
	}
	return r.UnmarshalYAML(&n)
}
