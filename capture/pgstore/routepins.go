package pgstore

import (
	"context"
	"fmt"
	"time"

	"github.com/hooktap/hooktap/capture"
)

// RoutePins lists every pinned route.
func (s *Store) RoutePins(ctx context.Context) (map[string]capture.RoutePin, error) {
	rows, err := s.pool.Query(ctx, `SELECT route, scheme, capture_id, pinned_at FROM route_pins`)
	if err != nil {
		return nil, fmt.Errorf("route pins: %w", err)
	}
	defer rows.Close()
	out := map[string]capture.RoutePin{}
	for rows.Next() {
		var p capture.RoutePin
		var at int64
		if err := rows.Scan(&p.Route, &p.Scheme, &p.CaptureID, &at); err != nil {
			return nil, fmt.Errorf("route pins: %w", err)
		}
		p.PinnedAt = time.Unix(0, at)
		out[p.Route] = p
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("route pins: %w", err)
	}
	return out, nil
}

// PinRouteScheme pins route to p.Scheme unless it is pinned already, and returns the pin that
// holds: the first one wins, across every instance sharing the store.
func (s *Store) PinRouteScheme(ctx context.Context, p capture.RoutePin) (capture.RoutePin, error) {
	held := p
	var at int64
	// A pin another instance is committing makes the insert wait and then do nothing, while the
	// read in the same statement still sees the snapshot from before it: read again in a new
	// statement. A pin removed meanwhile makes the insert worth trying again.
	var err error
	for range 3 {
		err = s.pool.QueryRow(ctx, `WITH ins AS (
				INSERT INTO route_pins(route, scheme, capture_id, pinned_at) VALUES($1, $2, $3, $4)
				ON CONFLICT(route) DO NOTHING RETURNING scheme, capture_id, pinned_at)
			SELECT scheme, capture_id, pinned_at FROM ins
			UNION ALL SELECT scheme, capture_id, pinned_at FROM route_pins WHERE route = $1
			LIMIT 1`, p.Route, p.Scheme, p.CaptureID, p.PinnedAt.UnixNano()).Scan(&held.Scheme, &held.CaptureID, &at)
		if isNoRows(err) {
			err = s.pool.QueryRow(ctx, `SELECT scheme, capture_id, pinned_at FROM route_pins WHERE route = $1`, p.Route).
				Scan(&held.Scheme, &held.CaptureID, &at)
		}
		if !isNoRows(err) {
			break
		}
	}
	if err != nil {
		return capture.RoutePin{}, fmt.Errorf("pin route %s: %w", p.Route, err)
	}
	held.PinnedAt = time.Unix(0, at)
	return held, nil
}

// UnpinRoute forgets route's pin; its next verified delivery pins it again. It reports whether
// there was one.
func (s *Store) UnpinRoute(ctx context.Context, route string) (bool, error) {
	ct, err := s.pool.Exec(ctx, `DELETE FROM route_pins WHERE route = $1`, route)
	if err != nil {
		return false, fmt.Errorf("unpin route %s: %w", route, err)
	}
	return ct.RowsAffected() > 0, nil
}
