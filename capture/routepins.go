package capture

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// RoutePin is the signature scheme a route without `verify:` accepts: the scheme of its first
// verified delivery. Once pinned, deliveries in another scheme are refused.
type RoutePin struct {
	Route     string    `json:"route"`
	Scheme    string    `json:"scheme"`
	CaptureID string    `json:"capture_id"`
	PinnedAt  time.Time `json:"pinned_at"`
}

const componentRoutePins = "routepins"

// routePinsSchema is the route pins component's migrations (see Migrate); append only.
var routePinsSchema = []string{
	`CREATE TABLE route_pins(
		route      TEXT PRIMARY KEY,
		scheme     TEXT NOT NULL,
		capture_id TEXT NOT NULL,
		pinned_at  INTEGER NOT NULL
	);`,
}

// RoutePins lists every pinned route.
func (s *SQLite) RoutePins(ctx context.Context) (map[string]RoutePin, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT route, scheme, capture_id, pinned_at FROM route_pins`)
	if err != nil {
		return nil, fmt.Errorf("route pins: %w", err)
	}
	defer rows.Close()
	out := map[string]RoutePin{}
	for rows.Next() {
		var p RoutePin
		var at int64
		if err := rows.Scan(&p.Route, &p.Scheme, &p.CaptureID, &at); err != nil {
			return nil, fmt.Errorf("route pins: %w", err)
		}
		p.PinnedAt = time.Unix(0, at)
		out[p.Route] = p
	}
	return out, rows.Err()
}

// PinRouteScheme pins route to p.Scheme unless it is pinned already, and returns the pin that
// holds: the first one wins, across every process sharing the store.
func (s *SQLite) PinRouteScheme(ctx context.Context, p RoutePin) (RoutePin, error) {
	held := p
	op := &writeOp{apply: func(ctx context.Context, tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO route_pins(route, scheme, capture_id, pinned_at) VALUES(?, ?, ?, ?)
			ON CONFLICT(route) DO NOTHING`, p.Route, p.Scheme, p.CaptureID, p.PinnedAt.UnixNano()); err != nil {
			return err
		}
		var at int64
		err := tx.QueryRowContext(ctx, `SELECT scheme, capture_id, pinned_at FROM route_pins WHERE route = ?`, p.Route).
			Scan(&held.Scheme, &held.CaptureID, &at)
		held.PinnedAt = time.Unix(0, at)
		return err
	}}
	if err := s.enqueue(ctx, op); err != nil {
		return RoutePin{}, fmt.Errorf("pin route %s: %w", p.Route, err)
	}
	return held, nil
}

// UnpinRoute forgets route's pin (the route was removed, or its sender changes scheme on
// purpose); its next verified delivery pins it again. It reports whether there was one.
func (s *SQLite) UnpinRoute(ctx context.Context, route string) (bool, error) {
	n, err := s.execCounted(ctx, `DELETE FROM route_pins WHERE route = ?`, route)
	if err != nil {
		return false, fmt.Errorf("unpin route %s: %w", route, err)
	}
	return n > 0, nil
}
