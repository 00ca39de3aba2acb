package remote

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/hooktap/hooktap/admin"
	"github.com/hooktap/hooktap/capture"
)

// Stream bounds.
const (
	// maxLine bounds one line of the event stream (a capture without its body).
	maxLine = 8 << 20
	// catchUpPages bounds how much a reconnect re-lists: beyond it, older missed captures are
	// left to a reload of the list.
	catchUpPages = 10
	// subscribeTimeout bounds the one request Subscribe makes.
	subscribeTimeout = 5 * time.Second
)

// Subscribe follows captures as the server commits them, through its event stream (bodies
// up to 1 MiB included). The stream starts with the first subscription, which waits (a few
// seconds at most) until the server has subscribed, so what is committed after Subscribe
// returns arrives. It reconnects with backoff when it breaks; after a reconnect the captures
// committed meanwhile are listed and published, so a subscriber misses none of them (a few may
// arrive twice).
func (c *Client) Subscribe(buffer int) *capture.Subscription {
	sub := c.broker.Subscribe(buffer)
	c.streamOnce.Do(func() {
		ctx, stop := context.WithCancel(context.Background())
		c.stop = stop
		ready := make(chan struct{})
		go c.follow(ctx, ready)
		select {
		case <-ready:
		case <-time.After(subscribeTimeout):
			c.log.Warn("remote: capture stream not connected yet; following in the background", "url", c.base)
		}
	})
	return sub
}

// follow keeps the stream open until Close; ready is closed when it first connects.
func (c *Client) follow(ctx context.Context, ready chan struct{}) {
	defer close(c.done)
	connectedOnce := func() {
		select {
		case <-ready:
		default:
			close(ready)
		}
	}
	last := ""
	backoff := c.minBackoff
	broken := false
	onConnect := func() {
		connectedOnce()
		if broken {
			broken = false
			c.tell(StreamState{Connected: true})
		}
	}
	for ctx.Err() == nil {
		connected, err := c.stream(ctx, &last, onConnect)
		if ctx.Err() != nil {
			return
		}
		if connected {
			backoff = c.minBackoff
		}
		if !broken {
			broken = true
			c.tell(StreamState{Err: err})
		}
		c.log.Warn("remote: capture stream ended; reconnecting", "url", c.base, "err", err, "in", backoff)
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, c.maxBackoff)
	}
}

// connected runs when the server has subscribed: the first time, the newest capture is where a
// later catch-up starts; after a reconnect, the captures committed meanwhile are published.
func (c *Client) connected(ctx context.Context, last *string) {
	if *last == "" {
		*last = c.newestID(ctx)
		return
	}
	c.catchUp(ctx, last)
}

// tell reports a change of the stream's state to Options.OnStream.
func (c *Client) tell(s StreamState) {
	if c.notify != nil {
		c.notify(s)
	}
}

// newestID is the newest capture's id, or "" (none, or the server did not answer).
func (c *Client) newestID(ctx context.Context) string {
	page, err := c.List(ctx, capture.Filter{Limit: 1})
	if err != nil || len(page.Captures) == 0 {
		return ""
	}
	return page.Captures[0].ID
}

// stream reads one connection of the event stream until it ends; connected reports whether the
// server accepted it. *last follows the newest capture id seen.
func (c *Client) stream(ctx context.Context, last *string, onConnect func()) (connected bool, err error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	q := c.shown(nil)
	q.Set("body", "1")
	resp, err := c.do(ctx, http.MethodGet, "/api/v1/captures/stream", q, nil)
	if err != nil {
		return false, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return false, c.failure(resp, "")
	}
	// A stream that stays silent past a few heartbeats is dead even if TCP has not noticed.
	watchdog := time.AfterFunc(c.idle, cancel)
	defer watchdog.Stop()
	r := bufio.NewReaderSize(resp.Body, 64<<10)
	var ev sseEvent
	for {
		line, err := readLine(r)
		if err != nil {
			if ctx.Err() != nil && !errors.Is(err, io.EOF) {
				err = fmt.Errorf("no event or heartbeat for %s", c.idle)
			}
			return true, err
		}
		watchdog.Reset(c.idle)
		if len(line) == 0 {
			c.dispatch(ev, last)
			ev = sseEvent{}
			continue
		}
		if line[0] == ':' {
			if bytes.HasPrefix(line, []byte(": connected")) {
				c.connected(ctx, last)
				onConnect()
			}
			continue
		}
		ev.add(line)
	}
}

// sseEvent is one server-sent event being read.
type sseEvent struct {
	name string
	data []byte
}

func (e *sseEvent) add(line []byte) {
	field, value, _ := bytes.Cut(line, []byte(":"))
	value = bytes.TrimPrefix(value, []byte(" "))
	switch string(field) {
	case "event":
		e.name = string(value)
	case "data":
		if e.data != nil {
			e.data = append(e.data, '\n')
		}
		e.data = append(e.data, value...)
	}
}

// readLine reads one line without its end; a line longer than maxLine is an error (the
// connection is dropped and opened again rather than buffered without bound).
func readLine(r *bufio.Reader) ([]byte, error) {
	var line []byte
	for {
		chunk, err := r.ReadSlice('\n')
		line = append(line, chunk...)
		if len(line) > maxLine {
			return nil, fmt.Errorf("an event is longer than %d MiB", maxLine>>20)
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if err != nil {
			return nil, err
		}
		line = bytes.TrimSuffix(line, []byte("\n"))
		return bytes.TrimSuffix(line, []byte("\r")), nil
	}
}

// dispatch publishes one capture event.
func (c *Client) dispatch(ev sseEvent, last *string) {
	kind := capture.Created
	switch ev.name {
	case "capture":
	case "capture_updated":
		kind = capture.Updated
	default:
		return
	}
	var a admin.CaptureAnswer
	if err := json.Unmarshal(ev.data, &a); err != nil {
		c.log.Warn("remote: unreadable capture event", "err", err)
		return
	}
	got, err := a.Capture()
	if err != nil {
		c.log.Warn("remote: unreadable capture event", "err", err)
		return
	}
	if kind == capture.Created && got.ID > *last {
		*last = got.ID
	}
	c.broker.Publish(capture.Event{Kind: kind, Capture: got})
}

// catchUp publishes the captures committed after *last while the stream was down, oldest
// first, in pages.
func (c *Client) catchUp(ctx context.Context, last *string) {
	for range catchUpPages {
		if *last == "" {
			return
		}
		page, err := c.List(ctx, capture.Filter{After: *last, Oldest: true, Limit: maxLimit})
		if err != nil {
			c.log.Warn("remote: catching up after a reconnect", "err", err)
			return
		}
		for i := len(page.Captures) - 1; i >= 0; i-- {
			got := page.Captures[i]
			if got.ID > *last {
				*last = got.ID
			}
			c.broker.Publish(capture.Event{Kind: capture.Created, Capture: got})
		}
		if len(page.Captures) < maxLimit {
			return
		}
	}
}
