package capture

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hooktap/hooktap/internal/shortid"
)

// DefaultLimit is the page size List uses when Filter.Limit is not positive.
const DefaultLimit = 50

// Page is one page of List results; Next is the Before cursor for the next page, "" at the end.
type Page struct {
	Captures []*Capture
	Next     string
}

const baseColumns = `id, received_at, source, peer, method, path, query, route, event, delivery_id,
	status, latency_ns, truncated, replay_of, content_type, verification, rendered, response_body, headers,
	COALESCE(body_len, length(body), 0), response_headers`

func selectColumns(withBody bool) string {
	if withBody {
		return baseColumns + ", body, body_seg, body_off, body_sum"
	}
	return baseColumns
}

// Get returns the capture whose id is idOrPart, or uniquely starts or ends with it (the short
// form every surface shows, see ShortID), ignoring case; an *AmbiguousError when several fit, or
// ErrNotFound.
func (s *SQLite) Get(ctx context.Context, idOrPart string) (*Capture, error) {
	// A whole id (what the TUI, the admin API and links pass) is one probe of the id index; a
	// part is a range of the id index (its start) or a pass over it (its end).
	if whole, ok := shortid.Normalize(idOrPart); ok {
		c, err := s.getExact(ctx, whole, true)
		if !errors.Is(err, ErrNotFound) {
			return c, err
		}
	}
	id, err := shortid.ResolveOrdered(ctx, s.db, "captures", "id", idOrPart)
	if errors.Is(err, shortid.ErrNotFound) {
		return nil, fmt.Errorf("capture %q: %w", idOrPart, ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	return s.getExact(ctx, id, true)
}

// ShortID is the form of a capture id every surface shows: its last characters.
func ShortID(id string) string { return shortid.Display(id) }

func (s *SQLite) getExact(ctx context.Context, id string, withBody bool) (*Capture, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+selectColumns(withBody)+` FROM captures WHERE id = ?`, id)
	if err != nil {
		return nil, fmt.Errorf("get capture %s: %w", id, err)
	}
	cs, err := s.scanCaptures(rows, withBody)
	if err != nil {
		return nil, fmt.Errorf("get capture %s: %w", id, err)
	}
	if len(cs) == 0 {
		return nil, fmt.Errorf("capture %q: %w", id, ErrNotFound)
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
// above After, for jumping to the bottom and paging back up.
func (s *SQLite) List(ctx context.Context, f Filter) (Page, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = DefaultLimit
	}
	where, args := f.whereText(s.textPlan(ctx, f.Q), s.bodies.dir)
	order := " ORDER BY id DESC"
	if f.Oldest {
		order = " ORDER BY id ASC"
	}
	q := `SELECT ` + selectColumns(f.WithBody) + ` FROM captures` + where + order + ` LIMIT ?`
	rows, err := s.db.QueryContext(ctx, q, append(args, limit+1)...)
	if err != nil {
		return Page{}, fmt.Errorf("list captures: %w", err)
	}
	cs, err := s.scanCaptures(rows, f.WithBody)
	if err != nil {
		return Page{}, fmt.Errorf("list captures: %w", err)
	}
	page := PageOf(cs, limit, f.Oldest)
	if err := s.loadDeliveries(ctx, page.Captures); err != nil {
		return Page{}, err
	}
	return page, nil
}

// PageOf makes a page of rows a store read with LIMIT limit+1: the extra row only says there is
// more. Oldest-first reads (paging back up) are turned newest first, like every page; Next is
// the cursor of a newest-first page that has more.
func PageOf(cs []*Capture, limit int, oldest bool) Page {
	var page Page
	more := len(cs) > limit
	if more {
		cs = cs[:limit]
	}
	if oldest {
		slices.Reverse(cs)
	} else if more {
		page.Next = cs[limit-1].ID
	}
	page.Captures = cs
	return page
}

// Count returns how many captures match f (Limit is ignored, Before applies).
func (s *SQLite) Count(ctx context.Context, f Filter) (int, error) {
	where, args := f.whereText(indexedIfLongEnough(f.Q), s.bodies.dir)
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM captures`+where, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count captures: %w", err)
	}
	return n, nil
}

// where builds the filter so that every equality uses its (column, id) index and rows come out
// in id order without a sort; Since and Q only narrow what that walk visits. Match is the same
// rule in Go, and filter_test.go holds the two to the same answers.
func (f Filter) where(bodyDir string) (string, []any) {
	return f.whereText(indexedIfLongEnough(f.Q), bodyDir)
}

// Conditions calls add with the SQL condition and arguments of each field f sets that an index
// answers — route, event, verified, method, status, source and the Before/After cursor — by the
// rules of Match. Every store builds its WHERE from them and adds Since and Q its own way; wire
// turns a value kept as the received bytes (the event) into the store's parameter.
func (f Filter) Conditions(add func(cond string, vals ...any), wire func(string) any) {
	if f.Route != "" {
		add("route = ?", f.Route)
	}
	if f.Event != "" {
		add("event = ?", wire(f.Event))
	}
	if f.Verified != nil {
		add("verified = ?", map[bool]string{true: "verified", false: "failed"}[*f.Verified])
	}
	if f.Method != "" {
		add("method = ?", f.Method)
	}
	if f.Status != 0 {
		add("status = ?", f.Status)
	}
	if f.StatusClass != 0 {
		add("status >= ? AND status < ?", f.StatusClass*100, f.StatusClass*100+100)
	}
	if f.Source != "" {
		add("source = ?", string(f.Source))
	}
	if f.Before != "" {
		add("id < ?", strings.ToLower(f.Before))
	}
	if f.After != "" {
		add("id > ?", strings.ToLower(f.After))
	}
}

// whereText is where with the free-text plan chosen; bodyDir is where the store keeps bodies out
// of the rows, for hooktap_search to read them.
func (f Filter) whereText(plan textPlan, bodyDir string) (string, []any) {
	var conds []string
	var args []any
	add := func(cond string, vals ...any) {
		conds = append(conds, cond)
		args = append(args, vals...)
	}
	f.Conditions(add, func(v string) any { return v })
	if !f.Since.IsZero() {
		// Ids start with their capture's receive time (never earlier), so the id bound lets the
		// walk stop at Since; the unary + keeps the planner off the received_at index, which
		// would force a sort.
		add("id >= ? AND +received_at >= ?", idFloor(f.Since), f.Since.UnixNano())
	}
	switch {
	case f.Q == "":
	case plan == planIndex:
		// Captures not indexed yet (searchlag.go), and those the index holds only in part
		// (searchindex.go), are matched directly, by the same rule. What the index still holds
		// for a deleted capture is ignored: a new capture may have taken its rowid.
		add("((rowid IN (SELECT rowid FROM captures_fts WHERE captures_fts MATCH ?) "+
			"AND rowid NOT IN (SELECT capture_rowid FROM search_deleted)) OR "+
			"(rowid IN (SELECT capture_rowid FROM search_pending UNION ALL SELECT capture_rowid FROM search_partial) "+
			"AND "+searchCall+"))",
			ftsPhrase(f.Q), bodyDir, f.Q)
	default:
		add(searchCall, bodyDir, f.Q)
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

func (s *SQLite) scanCaptures(rows *sql.Rows, withBody bool) ([]*Capture, error) {
	defer rows.Close()
	var cs []*Capture
	for rows.Next() {
		c, err := s.scanCapture(rows, withBody)
		if errors.Is(err, errSegmentGone) && s.deleted(c.ID) {
			continue // retention deleted it while it was being read: as if read a moment later
		}
		if err != nil {
			return nil, err
		}
		cs = append(cs, c)
	}
	return cs, rows.Err()
}

// deleted reports whether capture id is gone from the store now, outside the snapshot a scan
// reads from.
func (s *SQLite) deleted(id string) bool {
	var one int
	return errors.Is(s.db.QueryRow(`SELECT 1 FROM captures WHERE id = ?`, id).Scan(&one), sql.ErrNoRows)
}

// beforeBodyRead, set only by tests, runs between scanning a row and reading its body from a
// segment: a retention pass deleting it there stands for one that ran at that moment.
var beforeBodyRead func(id string)

func (s *SQLite) scanCapture(rows *sql.Rows, withBody bool) (*Capture, error) {
	var c Capture
	var received, latency int64
	var verification string
	var headers, answerHeaders []byte
	var ref storedRef
	dest := []any{&c.ID, &received, &c.Source, &c.Peer, &c.Method, &c.Path, &c.Query, &c.Route,
		&c.Event, &c.DeliveryID, &c.Status, &latency, &c.Truncated, &c.ReplayOf, &c.ContentType,
		&verification, &c.Rendered, &c.ResponseBody, &headers, &c.BodySize, &answerHeaders}
	if withBody {
		dest = append(dest, &c.Body, &ref.seg, &ref.off, &ref.sum)
	}
	if err := rows.Scan(dest...); err != nil {
		return nil, err
	}
	if r, ok := ref.ref(c.BodySize); ok {
		if beforeBodyRead != nil {
			beforeBodyRead(c.ID)
		}
		body, err := s.bodies.read(r)
		if err != nil {
			return &c, fmt.Errorf("capture %s: %w", c.ID, err) // the caller needs the id
		}
		c.Body = body
	}
	c.ReceivedAt = time.Unix(0, received).UTC()
	c.Latency = time.Duration(latency)
	if err := json.Unmarshal([]byte(verification), &c.Verification); err != nil {
		return nil, fmt.Errorf("capture %s: stored verification is malformed: %w", c.ID, err)
	}
	hs, err := decodeHeaders(headers)
	if err != nil {
		return nil, fmt.Errorf("capture %s: %w", c.ID, err)
	}
	c.Headers = hs
	if c.ResponseHeaders, err = decodeHeaders(answerHeaders); err != nil {
		return nil, fmt.Errorf("capture %s: response %w", c.ID, err)
	}
	if withBody && c.Body == nil {
		c.Body = []byte{} // nil means "not loaded"; a loaded empty body is empty, not nil
	}
	return &c, nil
}

// deliveriesChunk keeps each IN list far below SQLite's bound-parameter limit.
const deliveriesChunk = 500

// loadDeliveries attaches delivery attempts to cs, a few hundred captures per query.
func (s *SQLite) loadDeliveries(ctx context.Context, cs []*Capture) error {
	byID := make(map[string]*Capture, len(cs))
	for _, c := range cs {
		byID[c.ID] = c
	}
	for chunk := range slices.Chunk(cs, deliveriesChunk) {
		if err := s.loadDeliveryChunk(ctx, chunk, byID); err != nil {
			return fmt.Errorf("load deliveries: %w", err)
		}
	}
	return nil
}

func (s *SQLite) loadDeliveryChunk(ctx context.Context, cs []*Capture, byID map[string]*Capture) error {
	args := make([]any, len(cs))
	for i, c := range cs {
		args[i] = c.ID
	}
	marks := strings.TrimSuffix(strings.Repeat("?,", len(cs)), ",")
	rows, err := s.db.QueryContext(ctx, `SELECT capture_id, target, status, error, duration_ns, attempt
		FROM deliveries WHERE capture_id IN (`+marks+`) ORDER BY seq`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var d Delivery
		var dur int64
		if err := rows.Scan(&id, &d.Target, &d.Status, &d.Error, &dur, &d.Attempt); err != nil {
			return err
		}
		d.Duration = time.Duration(dur)
		byID[id].Deliveries = append(byID[id].Deliveries, d)
	}
	return rows.Err()
}
