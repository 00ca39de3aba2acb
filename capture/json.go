package capture

import (
	"encoding/base64"
	"fmt"
	"math"
	"time"
	"unicode/utf8"

	"github.com/hooktap/hooktap/signature"
)

// JSONOptions controls the JSON form of a capture.
type JSONOptions struct {
	// Reveal shows credentials in clear; otherwise they are masked (Capture.Masked).
	Reveal bool
	// SecretHeaders names extra credential headers to mask (route token headers).
	SecretHeaders []string
	// WithBody includes body_base64 and body_text.
	WithBody bool
}

// CaptureJSON is the JSON form of a capture (docs/store.md); its field names are fixed.
type CaptureJSON struct {
	ID           string           `json:"id"`
	ReceivedAt   string           `json:"received_at"`
	Source       Source           `json:"source"`
	Peer         string           `json:"peer"`
	Method       string           `json:"method"`
	Path         string           `json:"path"`
	Query        string           `json:"query"`
	Route        string           `json:"route"`
	Event        string           `json:"event"`
	DeliveryID   string           `json:"delivery_id"`
	Headers      [][2]string      `json:"headers"`
	ContentType  string           `json:"content_type"`
	BodyBase64   *string          `json:"body_base64,omitempty"`
	BodyText     *string          `json:"body_text,omitempty"`
	Truncated    bool             `json:"truncated"`
	Verification VerificationJSON `json:"verification"`
	Status       int              `json:"status"`
	ResponseBody string           `json:"response_body"`
	LatencyMS    float64          `json:"latency_ms"`
	Deliveries   []DeliveryJSON   `json:"deliveries"`
	ReplayOf     string           `json:"replay_of"`
	// Outbox lists deliveries still owed (pending) or given up (dead); absent when none.
	Outbox []OutboxEntry `json:"outbox,omitempty"`
}

// VerificationJSON is the verification outcome in the JSON form.
type VerificationJSON struct {
	Scheme        string              `json:"scheme"`
	Result        signature.Result    `json:"result"`
	Reason        signature.Reason    `json:"reason"`
	Detail        string              `json:"detail"`
	Diagnosis     []signature.Finding `json:"diagnosis"`
	MatchedSecret string              `json:"matched_secret"`
}

// DeliveryJSON is one delivery attempt in the JSON form.
type DeliveryJSON struct {
	Target     string  `json:"target"`
	Status     int     `json:"status"`
	Error      string  `json:"error"`
	DurationMS float64 `json:"duration_ms"`
	Attempt    int     `json:"attempt"`
}

// JSON returns the JSON form of c; credentials are masked unless o.Reveal.
func (c *Capture) JSON(o JSONOptions) CaptureJSON {
	c = o.Shown(c)
	headers := c.Headers
	j := CaptureJSON{
		ID: c.ID, ReceivedAt: c.ReceivedAt.UTC().Format(time.RFC3339Nano), Source: c.Source,
		Peer: c.Peer, Method: c.Method, Path: c.Path, Query: c.Query, Route: c.Route, Event: c.Event,
		DeliveryID: c.DeliveryID, Headers: make([][2]string, len(headers)), ContentType: c.ContentType,
		Truncated: c.Truncated, Status: c.Status, ResponseBody: string(c.ResponseBody),
		LatencyMS: toMS(c.Latency), Deliveries: make([]DeliveryJSON, len(c.Deliveries)), ReplayOf: c.ReplayOf,
		Outbox: c.Outbox,
		Verification: VerificationJSON{
			Scheme: c.Verification.Scheme, Result: c.Verification.Result, Reason: c.Verification.Reason,
			Detail: c.Verification.Detail, Diagnosis: c.Verification.Diagnosis,
			MatchedSecret: c.Verification.MatchedSecret,
		},
	}
	if j.Verification.Diagnosis == nil {
		j.Verification.Diagnosis = []signature.Finding{}
	}
	for i, h := range headers {
		j.Headers[i] = [2]string{h.Name, h.Value}
	}
	for i, d := range c.Deliveries {
		j.Deliveries[i] = DeliveryJSON{Target: d.Target, Status: d.Status, Error: d.Error,
			DurationMS: toMS(d.Duration), Attempt: d.Attempt}
	}
	if o.WithBody {
		b64 := base64.StdEncoding.EncodeToString(c.Body)
		j.BodyBase64 = &b64
		if utf8.Valid(c.Body) {
			text := string(c.Body)
			j.BodyText = &text
		}
	}
	return j
}

// FromJSON turns a JSON form back into a capture (body from body_base64, else body_text).
func FromJSON(j CaptureJSON) (*Capture, error) {
	c := &Capture{
		ID: j.ID, Source: j.Source, Peer: j.Peer, Method: j.Method, Path: j.Path, Query: j.Query,
		Route: j.Route, Event: j.Event, DeliveryID: j.DeliveryID, ContentType: j.ContentType,
		Truncated: j.Truncated, Status: j.Status, ResponseBody: []byte(j.ResponseBody),
		Latency: fromMS(j.LatencyMS), ReplayOf: j.ReplayOf,
		Verification: signature.Outcome{
			Scheme: j.Verification.Scheme, Result: j.Verification.Result, Reason: j.Verification.Reason,
			Detail: j.Verification.Detail, Diagnosis: j.Verification.Diagnosis,
			MatchedSecret: j.Verification.MatchedSecret,
		},
	}
	if j.ReceivedAt != "" {
		t, err := time.Parse(time.RFC3339Nano, j.ReceivedAt)
		if err != nil {
			return nil, fmt.Errorf("capture %s: received_at %q is not RFC 3339", j.ID, j.ReceivedAt)
		}
		c.ReceivedAt = t
	}
	for _, h := range j.Headers {
		c.Headers = append(c.Headers, Header{Name: h[0], Value: h[1]})
	}
	switch {
	case j.BodyBase64 != nil:
		body, err := base64.StdEncoding.DecodeString(*j.BodyBase64)
		if err != nil {
			return nil, fmt.Errorf("capture %s: body_base64 is not valid base64: %w", j.ID, err)
		}
		c.Body = body
	case j.BodyText != nil:
		c.Body = []byte(*j.BodyText)
	}
	for _, d := range j.Deliveries {
		c.Deliveries = append(c.Deliveries, Delivery{Target: d.Target, Status: d.Status, Error: d.Error,
			Duration: fromMS(d.DurationMS), Attempt: d.Attempt})
	}
	return c, nil
}

func toMS(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func fromMS(ms float64) time.Duration {
	if math.IsNaN(ms) || ms < 0 || ms > float64(math.MaxInt64/int64(time.Millisecond)) {
		return 0
	}
	return time.Duration(math.Round(ms * float64(time.Millisecond)))
}
