package remote

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"github.com/hooktap/hooktap/admin"
	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/replay"
)

// ErrExactReplay explains why a replay of a replay cannot be sent as itself remotely.
var ErrExactReplay = errors.New("the admin API replays a replay's original; replaying the replay itself (--exact) needs a local store")

// Replay has the server replay capture id through its gateway (verification and the route's
// deliveries apply again) or to o.To, and returns the new capture.
func (c *Client) Replay(ctx context.Context, id string, o replay.ReplayOptions) (*capture.Capture, error) {
	if o.Exact {
		return nil, ErrExactReplay
	}
	id, ok := normalID(id)
	if !ok {
		return nil, capture.ErrNotFound
	}
	in := admin.ReplayOptions{To: o.To, Resign: o.Resign, Body: o.Body, KeepSignature: o.KeepSignature}
	var a admin.CaptureAnswer
	if err := c.call(ctx, http.MethodPost, "/api/v1/captures/"+url.PathEscape(id)+"/replay", nil, in, &a, id); err != nil {
		return nil, err
	}
	return a.Capture()
}

// Doctor checks capture id's signature again on the server, with the route's current secrets,
// and returns the recorded verdict beside the new one and the doctor's findings.
func (c *Client) Doctor(ctx context.Context, id string) (admin.DoctorAnswer, error) {
	var a admin.DoctorAnswer
	id, ok := normalID(id)
	if !ok {
		return a, capture.ErrNotFound
	}
	err := c.call(ctx, http.MethodGet, "/api/v1/captures/"+url.PathEscape(id)+"/doctor", c.shown(nil), nil, &a, id)
	return a, err
}

// ListOutbox lists the server's pending and dead deliveries, oldest first.
func (c *Client) ListOutbox(ctx context.Context, f capture.OutboxFilter) ([]capture.OutboxEntry, error) {
	q := c.shown(nil)
	if f.State != "" {
		q.Set("state", string(f.State))
	}
	if f.Route != "" {
		q.Set("route", f.Route)
	}
	if f.Limit > 0 {
		q.Set("limit", strconv.Itoa(min(f.Limit, maxLimit)))
	}
	var a admin.OutboxAnswer
	if err := c.call(ctx, http.MethodGet, "/api/v1/deliveries", q, nil, &a, ""); err != nil {
		return nil, err
	}
	return a.Deliveries, nil
}

// RetryOutbox makes the given deliveries (none given: every dead one) due now on the server.
func (c *Client) RetryOutbox(ctx context.Context, ids ...int64) (int64, error) {
	return c.outboxAction(ctx, "retry", ids)
}

// PurgeOutbox deletes the given deliveries (none given: every dead one) on the server.
func (c *Client) PurgeOutbox(ctx context.Context, ids ...int64) (int64, error) {
	return c.outboxAction(ctx, "purge", ids)
}

func (c *Client) outboxAction(ctx context.Context, verb string, ids []int64) (int64, error) {
	in := admin.DeliveriesAction{IDs: ids, All: len(ids) == 0}
	var a admin.DeliveriesChanged
	if err := c.call(ctx, http.MethodPost, "/api/v1/deliveries/"+verb, nil, in, &a, ""); err != nil {
		return 0, err
	}
	return a.Changed, nil
}
