// Package filterbar is the inspector's "/" filter: a text field whose query — route:, event:,
// status:, verified:, source:, and free text — becomes a capture.Filter.
package filterbar

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/hooktap/hooktap/capture"
)

// Parse reads a query such as `route:stripe status:401 verified:false evt_1`. Words without a
// known key are free text (searched in path, query, headers and body).
func Parse(query string) (capture.Filter, error) {
	var f capture.Filter
	var text []string
	for _, word := range strings.Fields(query) {
		name, value, ok := strings.Cut(word, ":")
		if !ok || value == "" {
			text = append(text, word)
			continue
		}
		if err := set(&f, strings.ToLower(name), value); err != nil {
			return capture.Filter{}, err
		}
		if !known(strings.ToLower(name)) {
			text = append(text, word)
		}
	}
	f.Q = strings.Join(text, " ")
	return f, nil
}

func known(name string) bool {
	switch name {
	case "route", "event", "status", "verified", "source":
		return true
	}
	return false
}

func set(f *capture.Filter, name, value string) error {
	switch name {
	case "route":
		f.Route = value
	case "event":
		f.Event = value
	case "status":
		n, err := strconv.Atoi(value)
		if err != nil || n < 100 || n > 599 {
			return fmt.Errorf("status:%s — want an HTTP status such as status:401", value)
		}
		f.Status = n
	case "verified":
		v, err := parseBool(value)
		if err != nil {
			return err
		}
		f.Verified = &v
	case "source":
		switch s := capture.Source(strings.ToLower(value)); s {
		case capture.SourceLocal, capture.SourceTunnel, capture.SourceReplay, capture.SourceCraft, capture.SourceAudit:
			f.Source = s
		default:
			return fmt.Errorf("source:%s — want local, tunnel, replay, craft or audit", value)
		}
	}
	return nil
}

func parseBool(value string) (bool, error) {
	switch strings.ToLower(value) {
	case "true", "yes", "y", "1", "ok", "✓":
		return true, nil
	case "false", "no", "n", "0", "failed", "fail", "✗":
		return false, nil
	}
	return false, fmt.Errorf("verified:%s — want verified:true or verified:false", value)
}

// Format writes f back as a query, the inverse of Parse.
func Format(f capture.Filter) string {
	var parts []string
	add := func(k, v string) {
		if v != "" {
			parts = append(parts, k+":"+v)
		}
	}
	add("route", f.Route)
	add("event", f.Event)
	if f.Status != 0 {
		add("status", strconv.Itoa(f.Status))
	}
	if f.Verified != nil {
		add("verified", strconv.FormatBool(*f.Verified))
	}
	add("source", string(f.Source))
	if f.Q != "" {
		parts = append(parts, f.Q)
	}
	return strings.Join(parts, " ")
}
