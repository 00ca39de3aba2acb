// Package capture records every inbound request byte-exact in an embedded SQLite store, publishes
// new captures to subscribers, and answers queries over them.
package capture

import (
	"time"

	"github.com/hooktap/hooktap/signature"
)

// Source says how a request reached hooktap.
type Source string

// The sources a capture can have.
const (
	SourceLocal  Source = "local"
	SourceTunnel Source = "tunnel"
	SourceReplay Source = "replay"
	SourceCraft  Source = "craft"
	// SourceAudit marks the deliveries `hooktap audit` sends to grade an endpoint.
	SourceAudit Source = "audit"
)

// Header is one header line exactly as received: order and repeats are kept by the slice.
type Header struct {
	Name  string
	Value string
}

// Delivery is one attempt to deliver a capture onward (forward, slack, …).
type Delivery struct {
	Target   string        `json:"target"`
	Status   int           `json:"status"`
	Error    string        `json:"error"`
	Duration time.Duration `json:"-"`
	Attempt  int           `json:"attempt"`
}

// NotAttempted reports whether the delivery was recorded but not made: the route names a target
// hooktap does not deliver to (a chat platform, an agent run) and Error holds that note.
func (d Delivery) NotAttempted() bool { return d.Attempt == 0 && d.Status == 0 }

// Capture is one recorded exchange.
type Capture struct {
	ID          string
	ReceivedAt  time.Time
	Source      Source
	Peer        string
	Method      string
	Path        string
	Query       string
	Route       string
	Event       string
	DeliveryID  string
	Headers     []Header
	ContentType string
	Body        []byte
	// BodySize is the stored body's length, known even when a list did not load the body.
	BodySize     int
	Truncated    bool
	Verification signature.Outcome
	Status       int
	ResponseBody []byte
	// ResponseHeaders are the headers of the gateway's answer, sorted by name.
	ResponseHeaders []Header
	Latency         time.Duration
	Deliveries      []Delivery
	ReplayOf        string
	// Rendered is the route template's output, kept for the log delivery and the inspector.
	Rendered string
	// Outbox holds the deliveries owed after answering: Save writes them in the capture's own
	// transaction; Get reads back those still pending or dead.
	Outbox []OutboxEntry
}

// HeaderValue returns the first value of the named header (case-insensitive), or "".
func (c *Capture) HeaderValue(name string) string {
	for _, h := range c.Headers {
		if equalFold(h.Name, name) {
			return h.Value
		}
	}
	return ""
}

func equalFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}
