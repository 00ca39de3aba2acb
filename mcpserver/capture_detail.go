package mcpserver

import (
	"context"
	"encoding/base64"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/config"
	"github.com/hooktap/hooktap/mask"
)

// Body sizes get_capture shows: enough for any ordinary webhook by default, bounded so one
// call cannot flood the agent's context.
const (
	defaultBodyBytes = 64 << 10
	maxBodyBytes     = 4 << 20
)

type getCaptureIn struct {
	ID           string `json:"id" jsonschema:"the capture's id, or any id form hooktap shows (a unique prefix)"`
	MaxBodyBytes int    `json:"max_body_bytes,omitempty" jsonschema:"show at most this many body bytes (default 65536, at most 4194304)"`
}

// header is one header line as received; credential values are masked.
type header struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// captureDetail is one capture: the request, the verdict, hooktap's answer and what followed.
type captureDetail struct {
	ID           string                   `json:"id"`
	ReceivedAt   string                   `json:"received_at"`
	Source       string                   `json:"source"`
	Peer         string                   `json:"peer"`
	Method       string                   `json:"method"`
	Path         string                   `json:"path"`
	Query        string                   `json:"query"`
	Route        string                   `json:"route"`
	Event        string                   `json:"event"`
	DeliveryID   string                   `json:"delivery_id"`
	Headers      []header                 `json:"headers" jsonschema:"in received order; credential values masked"`
	ContentType  string                   `json:"content_type"`
	Body         string                   `json:"body" jsonschema:"the body as text, or base64 when body_encoding is base64"`
	BodyEncoding string                   `json:"body_encoding" jsonschema:"text or base64"`
	BodySize     int                      `json:"body_size" jsonschema:"the stored body's size in bytes"`
	BodyCut      bool                     `json:"body_cut" jsonschema:"true when body shows only the first max_body_bytes"`
	Truncated    bool                     `json:"truncated" jsonschema:"true when the gateway kept only a prefix of an oversized body"`
	Verification capture.VerificationJSON `json:"verification"`
	Status       int                      `json:"status"`
	ResponseBody string                   `json:"response_body"`
	LatencyMS    float64                  `json:"latency_ms"`
	Deliveries   []capture.DeliveryJSON   `json:"deliveries"`
	Owed         []owedDelivery           `json:"owed" jsonschema:"deliveries still owed (pending retry) or given up (dead) in the outbox"`
	ReplayOf     string                   `json:"replay_of"`
}

// owedDelivery is an outbox entry: a delivery the gateway still owes after answering.
type owedDelivery struct {
	ID         int64  `json:"id" jsonschema:"the entry's id for hooktap deliveries retry"`
	Kind       string `json:"kind"`
	Target     string `json:"target"`
	State      string `json:"state" jsonschema:"pending or dead"`
	Attempts   int    `json:"attempts"`
	NextAt     string `json:"next_at,omitempty"`
	LastStatus int    `json:"last_status"`
	LastError  string `json:"last_error"`
}

func (s *server) getCapture(ctx context.Context, _ *mcp.CallToolRequest, in getCaptureIn) (*mcp.CallToolResult, captureDetail, error) {
	limit := in.MaxBodyBytes
	if limit <= 0 {
		limit = defaultBodyBytes
	}
	if limit > maxBodyBytes {
		return nil, captureDetail{}, fmt.Errorf("max_body_bytes %d: at most %d", in.MaxBodyBytes, maxBodyBytes)
	}
	var out captureDetail
	err := s.withStore(func(st capture.Store) error {
		c, err := capture.Find(ctx, st, in.ID)
		if err != nil {
			return err
		}
		out = s.detailOf(c, limit)
		return s.addOwed(ctx, st, &out)
	})
	if err != nil {
		return nil, captureDetail{}, err
	}
	return summary("%s", detailText(out)), out, nil
}

// detailOf renders c through capture's JSON form, so the masking rule applied there applies here.
func (s *server) detailOf(c *capture.Capture, bodyLimit int) captureDetail {
	j := c.JSON(capture.JSONOptions{SecretHeaders: config.CredentialHeaders(s.routes())})
	d := captureDetail{ID: j.ID, ReceivedAt: j.ReceivedAt, Source: string(j.Source), Peer: j.Peer, Method: j.Method,
		Path: j.Path, Query: j.Query, Route: j.Route, Event: j.Event, DeliveryID: j.DeliveryID,
		Headers: make([]header, len(j.Headers)), ContentType: j.ContentType, BodySize: len(c.Body), Truncated: j.Truncated,
		Verification: j.Verification, Status: j.Status, ResponseBody: j.ResponseBody, LatencyMS: j.LatencyMS,
		Deliveries: j.Deliveries, Owed: []owedDelivery{}, ReplayOf: j.ReplayOf}
	for i, h := range j.Headers {
		d.Headers[i] = header{Name: h[0], Value: h[1]}
	}
	d.Body, d.BodyEncoding, d.BodyCut = bodyView(c.Body, bodyLimit)
	return d
}

// addOwed lists the outbox entries of the capture.
func (s *server) addOwed(ctx context.Context, st capture.Store, d *captureDetail) error {
	entries, err := st.OutboxFor(ctx, d.ID)
	if err != nil {
		return err
	}
	for _, e := range entries {
		o := owedDelivery{ID: e.ID, Kind: e.Kind, Target: mask.URL(e.Target), State: string(e.State), Attempts: e.Attempts,
			LastStatus: e.LastStatus, LastError: e.LastError}
		if e.State == capture.OutboxPending && !e.NextAt.IsZero() {
			o.NextAt = e.NextAt.UTC().Format(time.RFC3339)
		}
		d.Owed = append(d.Owed, o)
	}
	return nil
}

// bodyView is body as text when it is UTF-8, else base64, cut at limit bytes (for text, at the
// last character boundary at or before limit).
func bodyView(body []byte, limit int) (text, encoding string, cut bool) {
	isText := utf8.Valid(body)
	if len(body) > limit {
		n := limit
		for isText && n > 0 && !utf8.RuneStart(body[n]) {
			n--
		}
		body, cut = body[:n], true
	}
	if isText {
		return string(body), "text", cut
	}
	return base64.StdEncoding.EncodeToString(body), "base64", cut
}

// detailText is the capture in a few lines: request, verdict, doctor, answer.
func detailText(d captureDetail) string {
	var b strings.Builder
	fmt.Fprintf(&b, "capture %s: %s %s (route %s, event %s) received %s via %s\n", d.ID, d.Method, d.Path,
		dash(d.Route), dash(d.Event), d.ReceivedAt, d.Source)
	b.WriteString(outcomeText(d.Verification.Scheme, string(d.Verification.Result), string(d.Verification.Reason), d.Verification.Detail, d.Verification.Diagnosis))
	fmt.Fprintf(&b, "answered %d %s\n", d.Status, strings.TrimSpace(d.ResponseBody))
	for _, dl := range d.Deliveries {
		fmt.Fprintf(&b, "delivery #%d to %s: %d %s\n", dl.Attempt, dl.Target, dl.Status, dl.Error)
	}
	for _, o := range d.Owed {
		fmt.Fprintf(&b, "owed %s delivery to %s: %s after %d attempts (last %d %s)\n", o.Kind, o.Target, o.State, o.Attempts, o.LastStatus, o.LastError)
	}
	if d.ReplayOf != "" {
		fmt.Fprintf(&b, "replay of %s\n", d.ReplayOf)
	}
	fmt.Fprintf(&b, "body: %d bytes (%s)", d.BodySize, dash(d.ContentType))
	if d.BodyCut {
		b.WriteString(", cut in this answer: raise max_body_bytes to see more")
	}
	return b.String()
}
