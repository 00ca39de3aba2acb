package remote

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/hooktap/hooktap/admin"
	"github.com/hooktap/hooktap/capture"
)

var (
	_ capture.Reader      = (*Client)(nil)
	_ capture.OutboxAdmin = (*Client)(nil)
)

// Page sizes the admin API allows: at most maxLimit captures, at most maxBodyLimit with bodies.
const (
	maxLimit     = 1000
	maxBodyLimit = 10
)

// listAnswer is the body of GET /api/v1/captures.
type listAnswer struct {
	Captures []admin.CaptureAnswer `json:"captures"`
	Next     *string               `json:"next"`
}

// Get returns the capture whose id is idOrPart or uniquely starts or ends with it, with its body.
func (c *Client) Get(ctx context.Context, idOrPart string) (*capture.Capture, error) {
	idOrPart, ok := normalID(idOrPart)
	if !ok {
		return nil, capture.ErrNotFound
	}
	var a admin.CaptureAnswer
	if err := c.call(ctx, http.MethodGet, "/api/v1/captures/"+url.PathEscape(idOrPart), c.shown(nil), nil, &a, idOrPart); err != nil {
		return nil, err
	}
	return a.Capture()
}

// normalID accepts an id as a user gives it, as the local store does: the short form as shown
// ("#rxj7ep"), surrounding spaces. ok is false for what can never be an id, which is then not
// sent at all.
func normalID(s string) (string, bool) {
	s = strings.TrimPrefix(strings.TrimSpace(s), "#")
	return s, validID(s)
}

// validID mirrors the server's check of an id or a part of one.
func validID(s string) bool {
	if s == "" || len(s) > 26 {
		return false
	}
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9', r >= 'a' && r <= 'z' && r != 'i' && r != 'l' && r != 'o' && r != 'u',
			r >= 'A' && r <= 'Z' && r != 'I' && r != 'L' && r != 'O' && r != 'U':
		default:
			return false
		}
	}
	return true
}

// List returns one page of captures matching f, newest first. A page may hold fewer captures
// than f.Limit asks (the server's page sizes are bounded); Next is set while more remain.
func (c *Client) List(ctx context.Context, f capture.Filter) (capture.Page, error) {
	q := c.shown(filterQuery(f))
	limit := f.Limit
	if limit <= 0 {
		limit = capture.DefaultLimit
	}
	if f.WithBody {
		limit = min(limit, maxBodyLimit)
		q.Set("body", "1")
	}
	q.Set("limit", strconv.Itoa(min(limit, maxLimit)))
	if f.Before != "" {
		q.Set("before", f.Before)
	}
	if f.After != "" {
		q.Set("after", f.After)
	}
	if f.Oldest {
		q.Set("oldest", "1")
	}
	var a listAnswer
	if err := c.call(ctx, http.MethodGet, "/api/v1/captures", q, nil, &a, ""); err != nil {
		return capture.Page{}, err
	}
	page := capture.Page{Captures: make([]*capture.Capture, 0, len(a.Captures))}
	for _, j := range a.Captures {
		got, err := j.Capture()
		if err != nil {
			return capture.Page{}, err
		}
		page.Captures = append(page.Captures, got)
	}
	if a.Next != nil {
		page.Next = *a.Next
	}
	return page, nil
}

// Count counts the captures matching f.
func (c *Client) Count(ctx context.Context, f capture.Filter) (int, error) {
	var a struct {
		Count int `json:"count"`
	}
	q := filterQuery(f)
	if f.Before != "" {
		q.Set("before", f.Before)
	}
	if f.After != "" {
		q.Set("after", f.After)
	}
	if err := c.call(ctx, http.MethodGet, "/api/v1/captures/count", q, nil, &a, ""); err != nil {
		return 0, err
	}
	return a.Count, nil
}

// filterQuery writes f's filter keys as the admin API's parameters (the same words as the TUI's
// filter field, so the server parses them with the same Filter.Set).
func filterQuery(f capture.Filter) url.Values {
	q := url.Values{}
	set := func(k, v string) {
		if v != "" {
			q.Set(k, v)
		}
	}
	set("route", f.Route)
	set("event", f.Event)
	set("method", f.Method)
	set("source", string(f.Source))
	set("q", f.Q)
	switch {
	case f.Status != 0:
		q.Set("status", strconv.Itoa(f.Status))
	case f.StatusClass != 0:
		q.Set("status", strconv.Itoa(f.StatusClass)+"xx")
	}
	if f.Verified != nil {
		q.Set("verified", strconv.FormatBool(*f.Verified))
	}
	if !f.Since.IsZero() {
		q.Set("since", f.Since.UTC().Format(time.RFC3339Nano))
	}
	return q
}

// RoutePins returns the scheme each route is pinned to.
func (c *Client) RoutePins(ctx context.Context) (map[string]capture.RoutePin, error) {
	var a struct {
		Pins []capture.RoutePin `json:"pins"`
	}
	if err := c.call(ctx, http.MethodGet, "/api/v1/routes/pins", nil, nil, &a, ""); err != nil {
		return nil, err
	}
	out := make(map[string]capture.RoutePin, len(a.Pins))
	for _, p := range a.Pins {
		out[p.Route] = p
	}
	return out, nil
}

// OutboxFor lists the deliveries a capture owes or owed; none for an unknown capture, as in a
// local store.
func (c *Client) OutboxFor(ctx context.Context, captureID string) ([]capture.OutboxEntry, error) {
	captureID, ok := normalID(captureID)
	if !ok {
		return nil, nil
	}
	var a admin.OutboxAnswer
	err := c.call(ctx, http.MethodGet, "/api/v1/captures/"+url.PathEscape(captureID)+"/outbox", c.shown(nil), nil, &a, captureID)
	if err == capture.ErrNotFound {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if len(a.Deliveries) == 0 {
		return nil, nil
	}
	return a.Deliveries, nil
}
