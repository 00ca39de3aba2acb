package pgstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/internal/shortid"
)

// maxCandidates bounds the ids an AmbiguousError lists, as for SQLite.
const maxCandidates = 10

const captureColumns = `id, received_at, source, peer, method, path, query, route, event, delivery_id,
	status, latency_ns, truncated, replay_of, content_type, verification, rendered, response_body, headers,
	octet_length(body), response_headers`

func selectColumns(withBody bool) string {
	if withBody {
		return captureColumns + ", body"
	}
	return captureColumns
}

// Get returns the capture whose id is idOrPart, or uniquely starts or ends with it (the short
// form every surface shows), ignoring case; an *capture.AmbiguousError when several fit, or
// capture.ErrNotFound.
func (s *Store) Get(ctx context.Context, idOrPart string) (*capture.Capture, error) {
	id, err := s.resolve(ctx, idOrPart)
	if err != nil {
		return nil, err
	}
	return s.getExact(ctx, id)
}

// resolve finds the one id that is input, starts with it or ends with it. Both walks are index
// ranges (the id and its reverse), bound in Go so a generic plan keeps them.
func (s *Store) resolve(ctx context.Context, input string) (string, error) {
	p, ok := shortid.Normalize(input)
	if !ok {
		return "", fmt.Errorf("capture %q: %w", input, capture.ErrNotFound)
	}
	rev := reverse(p)
	rows, err := s.pool.Query(ctx, `SELECT id FROM (
			(SELECT id FROM captures WHERE id >= $1 AND id < $2 ORDER BY id LIMIT $5)
			UNION
			(SELECT id FROM captures WHERE reverse(id) >= $3 AND reverse(id) < $4 ORDER BY reverse(id) LIMIT $5)
		) AS fits ORDER BY id LIMIT $5`, p, upper(p), rev, upper(rev), maxCandidates+1)
	if err != nil {
		return "", fmt.Errorf("look up id %q: %w", input, err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return "", fmt.Errorf("look up id %q: %w", input, err)
	}
	if slices.Contains(ids, p) {
		return p, nil // the whole id wins over ids it is a prefix of
	}
	switch len(ids) {
	case 0:
		return "", fmt.Errorf("capture %q: %w", input, capture.ErrNotFound)
	case 1:
		return ids[0], nil
	}
	return "", &capture.AmbiguousError{Prefix: input, Candidates: ids[:min(len(ids), maxCandidates)]}
}

// upper is the least string above every string starting with p (byte order): p with its last
// byte incremented. Normalize leaves only [a-z0-9_-], so the byte never overflows.
func upper(p string) string {
	b := []byte(p)
	b[len(b)-1]++
	return string(b)
}

func reverse(s string) string {
	b := []byte(s)
	slices.Reverse(b)
	return string(b)
}

func (s *Store) getExact(ctx context.Context, id string) (*capture.Capture, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+selectColumns(true)+` FROM captures WHERE id = $1`, id)
	if err != nil {
		return nil, fmt.Errorf("get capture %s: %w", id, err)
	}
	cs, err := scanCaptures(rows, true)
	if err != nil {
		return nil, fmt.Errorf("get capture %s: %w", id, err)
	}
	if len(cs) == 0 {
		return nil, fmt.Errorf("capture %q: %w", id, capture.ErrNotFound)
	}
	if err := s.loadDeliveries(ctx, cs); err != nil {
		return nil, err
	}
	if cs[0].Outbox, err = s.OutboxFor(ctx, id); err != nil {
		return nil, err
	}
	return cs[0], nil
}

// List returns captures matching f, newest first, one page at a time: from the newest end
// (Next is the cursor for the page below), or with Oldest from the oldest end or the page just
// above After — the same paging as the SQLite store.
func (s *Store) List(ctx context.Context, f capture.Filter) (capture.Page, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = capture.DefaultLimit
	}
	where, args := whereSQL(f)
	order := " ORDER BY id DESC"
	if f.Oldest {
		order = " ORDER BY id ASC"
	}
	args = append(args, limit+1)
	q := `SELECT ` + selectColumns(f.WithBody) + ` FROM captures` + where + order + fmt.Sprintf(` LIMIT $%d`, len(args))
	rows, err := s.pool.Query(ctx, q, args...)
	if err != nil {
		return capture.Page{}, fmt.Errorf("list captures: %w", err)
	}
	cs, err := scanCaptures(rows, f.WithBody)
	if err != nil {
		return capture.Page{}, fmt.Errorf("list captures: %w", err)
	}
	page := capture.PageOf(cs, limit, f.Oldest)
	if err := s.loadDeliveries(ctx, page.Captures); err != nil {
		return capture.Page{}, err
	}
	return page, nil
}

// Count returns how many captures match f (Limit is ignored, Before applies).
func (s *Store) Count(ctx context.Context, f capture.Filter) (int, error) {
	where, args := whereSQL(f)
	var n int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM captures`+where, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count captures: %w", err)
	}
	return n, nil
}

// whereSQL translates f field by field, by the rules of capture.Filter.Match.
func whereSQL(f capture.Filter) (string, []any) {
	var conds []string
	var args []any
	add := func(cond string, vals ...any) {
		for _, v := range vals {
			args = append(args, v)
			cond = strings.Replace(cond, "?", fmt.Sprintf("$%d", len(args)), 1)
		}
		conds = append(conds, cond)
	}
	f.Conditions(add, func(v string) any { return bin(v) })
	if !f.Since.IsZero() {
		// Ids start with their capture's receive time (never earlier), so the id bound lets the
		// newest-first walk stop at Since.
		add("id >= ? AND received_at >= ?", capture.IDFloor(f.Since), f.Since.UnixNano())
	}
	if f.Q != "" {
		// Indexed captures are found through the trigram index, the few still pending directly.
		add(`id IN (SELECT id FROM capture_search WHERE search LIKE ?
			UNION ALL SELECT id FROM search_pending WHERE search LIKE ?)`, likePattern(f.Q), likePattern(f.Q))
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

func scanCaptures(rows pgx.Rows, withBody bool) ([]*capture.Capture, error) {
	defer rows.Close()
	var cs []*capture.Capture
	for rows.Next() {
		c, err := scanCapture(rows, withBody)
		if err != nil {
			return nil, err
		}
		cs = append(cs, c)
	}
	return cs, rows.Err()
}

func scanCapture(rows pgx.Rows, withBody bool) (*capture.Capture, error) {
	var c capture.Capture
	var received, latency int64
	var verification string
	var path, query, event, deliveryID, replayOf, contentType, rendered, headers, answerHeaders []byte
	var body []byte
	dest := []any{&c.ID, &received, &c.Source, &c.Peer, &c.Method, &path, &query, &c.Route,
		&event, &deliveryID, &c.Status, &latency, &c.Truncated, &replayOf, &contentType,
		&verification, &rendered, &c.ResponseBody, &headers, &c.BodySize, &answerHeaders}
	if withBody {
		dest = append(dest, &body)
	}
	if err := rows.Scan(dest...); err != nil {
		return nil, err
	}
	c.Path, c.Query, c.Event, c.DeliveryID = string(path), string(query), string(event), string(deliveryID)
	c.ReplayOf, c.ContentType, c.Rendered = string(replayOf), string(contentType), string(rendered)
	c.ReceivedAt = time.Unix(0, received).UTC()
	c.Latency = time.Duration(latency)
	if err := json.Unmarshal([]byte(verification), &c.Verification); err != nil {
		return nil, fmt.Errorf("capture %s: stored verification is malformed: %w", c.ID, err)
	}
	var err error
	if c.Headers, err = capture.DecodeHeaders(headers); err != nil {
		return nil, fmt.Errorf("capture %s: %w", c.ID, err)
	}
	if c.ResponseHeaders, err = capture.DecodeHeaders(answerHeaders); err != nil {
		return nil, fmt.Errorf("capture %s: response %w", c.ID, err)
	}
	if withBody {
		c.Body = nonNil(body) // nil means "not loaded"; a loaded empty body is empty, not nil
	}
	return &c, nil
}

// loadDeliveries attaches delivery attempts to cs in one query.
func (s *Store) loadDeliveries(ctx context.Context, cs []*capture.Capture) error {
	if len(cs) == 0 {
		return nil
	}
	byID := make(map[string]*capture.Capture, len(cs))
	ids := make([]string, len(cs))
	for i, c := range cs {
		byID[c.ID] = c
		ids[i] = c.ID
	}
	rows, err := s.pool.Query(ctx, `SELECT capture_id, target, status, error, duration_ns, attempt
		FROM deliveries WHERE capture_id = ANY($1) ORDER BY seq`, ids)
	if err != nil {
		return fmt.Errorf("load deliveries: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var d capture.Delivery
		var dur int64
		var msg []byte
		if err := rows.Scan(&id, &d.Target, &d.Status, &msg, &dur, &d.Attempt); err != nil {
			return fmt.Errorf("load deliveries: %w", err)
		}
		d.Error, d.Duration = string(msg), time.Duration(dur)
		byID[id].Deliveries = append(byID[id].Deliveries, d)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("load deliveries: %w", err)
	}
	return nil
}

var errNoRows = pgx.ErrNoRows

func isNoRows(err error) bool { return errors.Is(err, errNoRows) }
