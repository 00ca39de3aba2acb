package pgstore

import (
	"context"
	"log/slog"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hooktap/hooktap/capture"
)

// Every committed change is announced on the store's channel as "<instance> <kind> <id>". Each
// instance listens on a connection of its own, skips its own announcements (its subscribers
// heard of those at commit) and loads the others' captures for its subscribers.

const (
	created = "c"
	updated = "u"
)

// notice is one announcement heard from another instance.
type notice struct {
	kind capture.EventKind
	id   string
}

// loadBatch bounds how many announced captures one query loads.
const loadBatch = 256

// reconnectDelay is the pause before the listener tries its connection again; at most
// maxReconnectDelay after repeated failures.
const (
	reconnectDelay    = 100 * time.Millisecond
	maxReconnectDelay = 5 * time.Second
)

func (s *Store) notePayload(kind, id string) string { return s.instance + " " + kind + " " + id }

// listen opens the listener's connection and subscribes it to the channel.
func (s *Store) listen(ctx context.Context) (*pgx.Conn, error) {
	conn, err := pgx.ConnectConfig(ctx, s.connCfg.Copy())
	if err != nil {
		return nil, err
	}
	if _, err := conn.Exec(ctx, `LISTEN `+pgx.Identifier{s.channel}.Sanitize()); err != nil {
		conn.Close(ctx)
		return nil, err
	}
	return conn, nil
}

// listenLoop hands announcements to loadLoop, reconnecting when the connection drops. What is
// announced while it is down is not heard; subscribers re-list to catch up, as after a drop.
func (s *Store) listenLoop(conn *pgx.Conn) {
	defer close(s.listenExit)
	defer close(s.heard)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		<-s.closing
		cancel()
	}()
	delay := reconnectDelay
	for {
		if conn == nil {
			var err error
			if conn, err = s.listen(ctx); err != nil {
				if ctx.Err() != nil {
					return
				}
				if delay == reconnectDelay { // one line per outage, not one per attempt
					slog.Warn("capture store listener cannot reconnect; retrying", "store", s.location, "err", err)
				}
				if !s.pause(delay) {
					return
				}
				delay = min(delay*2, maxReconnectDelay)
				continue
			}
			slog.Info("capture store listener reconnected", "store", s.location)
			delay = reconnectDelay
		}
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			conn.Close(context.Background())
			conn = nil
			if ctx.Err() != nil {
				return
			}
			slog.Warn("capture store listener lost its connection", "store", s.location, "err", err)
			continue
		}
		s.hear(n.Payload)
	}
}

// pause waits d unless the store closes first.
func (s *Store) pause(d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-s.closing:
		return false
	}
}

func (s *Store) hear(payload string) {
	inst, rest, ok := strings.Cut(payload, " ")
	if !ok || inst == s.instance || !s.subs.Any() {
		return
	}
	kind, id, ok := strings.Cut(rest, " ")
	if !ok {
		return
	}
	n := notice{kind: capture.Created, id: id}
	if kind == updated {
		n.kind = capture.Updated
	}
	select {
	case s.heard <- n:
	default:
		// Subscribers lose events rather than slow anything down; they re-list to catch up.
	}
}

// loadLoop loads announced captures, as many per query as have queued, and publishes them in
// the order they were announced.
func (s *Store) loadLoop() {
	defer close(s.loadExit)
	for n := range s.heard {
		batch := []notice{n}
	more:
		for len(batch) < loadBatch {
			select {
			case n, ok := <-s.heard:
				if !ok {
					break more
				}
				batch = append(batch, n)
			default:
				break more
			}
		}
		s.publishHeard(batch)
	}
}

func (s *Store) publishHeard(batch []notice) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ids := make([]string, len(batch))
	for i, n := range batch {
		ids[i] = n.id
	}
	cs, err := s.loadMany(ctx, ids)
	if err != nil {
		if !s.isClosing() {
			slog.Warn("capture store cannot load announced captures", "store", s.location, "err", err)
		}
		return
	}
	for _, n := range batch {
		if c, ok := cs[n.id]; ok {
			s.subs.Publish(capture.Event{Kind: n.kind, Capture: capture.CloneCapture(c)})
		}
	}
}

// loadMany reads whole captures (bodies, deliveries, outbox) by id.
func (s *Store) loadMany(ctx context.Context, ids []string) (map[string]*capture.Capture, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+selectColumns(true)+` FROM captures WHERE id = ANY($1)`, ids)
	if err != nil {
		return nil, err
	}
	cs, err := scanCaptures(rows, true)
	if err != nil {
		return nil, err
	}
	if err := s.loadDeliveries(ctx, cs); err != nil {
		return nil, err
	}
	byID := make(map[string]*capture.Capture, len(cs))
	for _, c := range cs {
		byID[c.ID] = c
	}
	rows, err = s.pool.Query(ctx, `SELECT `+outboxColumns+` FROM outbox WHERE capture_id = ANY($1) ORDER BY id`, ids)
	if err != nil {
		return nil, err
	}
	entries, err := scanOutbox(rows)
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		if c := byID[e.CaptureID]; c != nil {
			c.Outbox = append(c.Outbox, e)
		}
	}
	return byID, nil
}
