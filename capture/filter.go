package capture

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/hooktap/hooktap/signature"
)

// Filter selects captures for List and Count, and for Match on captures that arrive live. Zero
// fields do not filter. The TUI query language, the CLI flags and the admin API's parameters
// all build one with Set, so a key means the same thing on every surface (see docs/filters.md).
type Filter struct {
	Route string
	Event string
	// Method is an upper-case HTTP method.
	Method string
	// Verified true keeps verified captures, false keeps failed ones (skipped matches neither).
	Verified *bool
	// Status keeps one response status; StatusClass keeps a class (4 for 4xx). One or neither.
	Status      int
	StatusClass int
	// Q is free text, found case-insensitively in the path, the query string, a header line
	// ("Name: Value") or a UTF-8 body.
	Q      string
	Source Source
	Since  time.Time
	// Limit is the page size (DefaultLimit when not positive).
	Limit int
	// Before is the cursor: only captures with an id below it (older) are listed.
	Before string
	// After keeps captures with an id above it (newer): the cursor for paging back up.
	After string
	// Oldest lists the page at the oldest end instead of the newest (still newest first
	// within the page); with After, the page just newer than After.
	Oldest bool
	// WithBody loads request bodies too; lists usually leave them out (Body stays nil).
	WithBody bool
}

// MaxQueryLen bounds free text so a giant query cannot become a giant search.
const MaxQueryLen = 1024

// FilterKeys are the keys Set understands, in the order Query writes them.
var FilterKeys = []string{"route", "event", "method", "status", "verified", "source", "q"}

// FilterError is a key or value Set refused; its message says what would be accepted. Want,
// when set, is that on its own, for surfaces that word the error their way (the admin API).
type FilterError struct {
	Key, Value, Want, Msg string
}

func (e *FilterError) Error() string { return e.Msg }

func filterErr(key, value, want string) *FilterError {
	return &FilterError{Key: key, Value: value, Want: want, Msg: fmt.Sprintf("%s:%s — want %s", key, value, want)}
}

// Set applies one key=value pair. An unknown key or a bad value is a *FilterError; an empty
// value clears the key.
func (f *Filter) Set(key, value string) error {
	k := strings.ToLower(key)
	if value == "" {
		return f.clear(k)
	}
	switch k {
	case "route":
		f.Route = value
	case "event":
		f.Event = value
	case "method":
		return f.setMethod(value)
	case "status":
		return f.setStatus(value)
	case "verified":
		return f.setVerified(value)
	case "source":
		return f.setSource(value)
	case "q", "text":
		return f.setText(value)
	default:
		return unknownKey(key)
	}
	return nil
}

func unknownKey(key string) *FilterError {
	return &FilterError{Key: key, Msg: fmt.Sprintf("unknown key %q — keys are %s; quote text that has a colon: \"%s:…\"",
		key, strings.Join(FilterKeys[:len(FilterKeys)-1], ", "), key)}
}

func (f *Filter) clear(k string) error {
	switch k {
	case "route":
		f.Route = ""
	case "event":
		f.Event = ""
	case "method":
		f.Method = ""
	case "status":
		f.Status, f.StatusClass = 0, 0
	case "verified":
		f.Verified = nil
	case "source":
		f.Source = ""
	case "q", "text":
		f.Q = ""
	default:
		return unknownKey(k)
	}
	return nil
}

func (f *Filter) setMethod(value string) error {
	for _, r := range value {
		if r > unicode.MaxASCII || !(unicode.IsLetter(r) || r == '-' || r == '_') {
			return filterErr("method", value, "an HTTP method such as method:POST")
		}
	}
	if len(value) > 32 {
		return filterErr("method", value, "an HTTP method such as method:POST")
	}
	f.Method = strings.ToUpper(value)
	return nil
}

func (f *Filter) setStatus(value string) error {
	if len(value) == 3 && strings.EqualFold(value[1:], "xx") && value[0] >= '1' && value[0] <= '5' {
		f.Status, f.StatusClass = 0, int(value[0]-'0')
		return nil
	}
	n, err := strconv.Atoi(value)
	if err != nil || n < 100 || n > 599 {
		return filterErr("status", value, "an HTTP status such as status:401, or a class such as status:4xx")
	}
	f.Status, f.StatusClass = n, 0
	return nil
}

func (f *Filter) setVerified(value string) error {
	var v bool
	switch strings.ToLower(value) {
	case "true", "yes", "y", "1", "ok", "✓":
		v = true
	case "false", "no", "n", "0", "failed", "fail", "✗":
		v = false
	default:
		return filterErr("verified", value, "verified:true or verified:false")
	}
	f.Verified = &v
	return nil
}

func (f *Filter) setSource(value string) error {
	switch s := Source(strings.ToLower(value)); s {
	case SourceLocal, SourceTunnel, SourceReplay, SourceCraft, SourceAudit:
		f.Source = s
		return nil
	}
	return filterErr("source", value, "local, tunnel, replay, craft or audit")
}

func (f *Filter) setText(value string) error {
	if len(value) > MaxQueryLen {
		return &FilterError{Key: "q", Value: value, Msg: fmt.Sprintf("text is longer than %d bytes", MaxQueryLen)}
	}
	for _, r := range value {
		if unicode.IsControl(r) {
			return &FilterError{Key: "q", Value: value, Msg: "text cannot hold control characters (a newline, a tab…)"}
		}
	}
	f.Q = value
	return nil
}

// Match reports whether c passes f by the same rules as List, so a capture that arrives live
// is shown exactly when a reload would list it. It reads c.Body, so c must carry its body when
// f.Q is set.
func (f Filter) Match(c *Capture) bool {
	switch {
	case f.Route != "" && c.Route != f.Route,
		f.Event != "" && c.Event != f.Event,
		f.Method != "" && c.Method != f.Method,
		f.Status != 0 && c.Status != f.Status,
		f.StatusClass != 0 && c.Status/100 != f.StatusClass,
		f.Source != "" && c.Source != f.Source,
		f.Before != "" && c.ID >= strings.ToLower(f.Before),
		f.After != "" && c.ID <= strings.ToLower(f.After),
		!f.Since.IsZero() && c.ReceivedAt.Before(f.Since):
		return false
	}
	if f.Verified != nil && c.Verification.Result != verdictWanted(*f.Verified) {
		return false
	}
	return f.Q == "" || textMatches(c.Path, c.Query, c.Headers, c.Body, f.Q)
}

func verdictWanted(verified bool) signature.Result {
	if verified {
		return signature.Verified
	}
	return signature.Failed
}

// IsZero reports whether f selects every capture (paging fields aside).
func (f Filter) IsZero() bool {
	return f.Route == "" && f.Event == "" && f.Method == "" && f.Verified == nil && f.Status == 0 &&
		f.StatusClass == 0 && f.Q == "" && f.Source == "" && f.Since.IsZero()
}
