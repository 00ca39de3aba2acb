package admin

import (
	"bytes"
	"encoding/json"
	"net/http"
	"time"

	"github.com/hooktap/hooktap/capture"
)

// streamWriteTimeout is how long one event may take to reach a client; a client that does not
// read for that long is dropped.
const streamWriteTimeout = 10 * time.Second

// maxStreamBody is the largest body a stream event carries with body=1; a larger one is left
// out (body_size still says how large it is) for the client to fetch when it needs it.
const maxStreamBody = 1 << 20

// streamCaptures answers GET /api/v1/captures/stream with server-sent events: one `capture` event
// per new capture (its JSON form, with the body up to 1 MiB when body=1) and a comment heartbeat so proxies and
// clients can tell a quiet stream from a dead one. The store never waits for this client: when
// its buffer fills, the store closes the subscription and the stream ends.
func (s *Server) streamCaptures(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if perr := checkKnown(q, map[string]bool{"reveal": true, "body": true}); perr != nil {
		writeParamError(w, perr)
		return
	}
	reveal, perr := revealParam(q)
	if perr != nil {
		writeParamError(w, perr)
		return
	}
	withBody, perr := boolParam(q, "body")
	if perr != nil {
		writeParamError(w, perr)
		return
	}
	rc := http.NewResponseController(w)
	sub := s.deps.Store.Subscribe(s.streamBuffer)
	defer sub.Close()

	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	// An opening comment tells the client the subscription is live.
	if !s.sendEvent(w, rc, []byte(": connected\n\n")) {
		return
	}
	s.pump(w, r, rc, sub, reveal, withBody)
}

// pump forwards captures and heartbeats until the client leaves, the server shuts down, a write
// fails, or the store drops the subscription.
func (s *Server) pump(w http.ResponseWriter, r *http.Request, rc *http.ResponseController, sub *capture.Subscription, reveal, withBody bool) {
	tick := time.NewTicker(s.heartbeat)
	defer tick.Stop()
	opts, bodyOpts := s.jsonOptions(reveal, false), s.jsonOptions(reveal, true)
	for {
		var frame []byte
		select {
		case <-r.Context().Done():
			return
		case <-s.closing:
			return
		case <-tick.C:
			if sub.Dropped() > 0 {
				return
			}
			frame = []byte(": heartbeat\n\n")
		case ev, ok := <-sub.C():
			if !ok || sub.Dropped() > 0 {
				// The store dropped events for this client rather than wait for it; ending the
				// stream tells it to reconnect and re-list instead of silently missing captures.
				s.log.Debug("admin: stream client fell behind; dropped", "peer", r.RemoteAddr)
				return
			}
			if ev.Capture == nil {
				continue
			}
			o := opts
			if withBody && len(ev.Capture.Body) <= maxStreamBody {
				o = bodyOpts
			}
			frame = captureFrame(eventName(ev.Kind), answer(ev.Capture, o))
		}
		if !s.sendEvent(w, rc, frame) {
			return
		}
	}
}

// eventName is the SSE event type: `capture` for a new capture, `capture_updated` when a
// delivery or late result was added to one already sent.
func eventName(k capture.EventKind) string {
	if k == capture.Updated {
		return "capture_updated"
	}
	return "capture"
}

// captureFrame is one SSE frame; JSON has no raw newlines, so one data line suffices.
func captureFrame(name string, c CaptureAnswer) []byte {
	data, err := json.Marshal(c)
	if err != nil {
		return nil
	}
	var b bytes.Buffer
	b.Grow(len(data) + 32)
	b.WriteString("event: ")
	b.WriteString(name)
	b.WriteString("\nid: ")
	b.WriteString(c.ID)
	b.WriteString("\ndata: ")
	b.Write(data)
	b.WriteString("\n\n")
	return b.Bytes()
}

// sendEvent writes and flushes one frame within streamWriteTimeout.
func (s *Server) sendEvent(w http.ResponseWriter, rc *http.ResponseController, frame []byte) bool {
	if len(frame) == 0 {
		return true
	}
	_ = rc.SetWriteDeadline(time.Now().Add(streamWriteTimeout))
	if _, err := w.Write(frame); err != nil {
		return false
	}
	return rc.Flush() == nil
}
