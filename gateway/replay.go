package gateway

import (
	"context"
	"errors"
	"net/http"

	"github.com/hooktap/hooktap/capture"
)

// replayKey marks a request's context as a replay. Only code in this process can set it (Replay
// does), so no header a client sends can make a request pass for a replay.
type replayKey struct{}

// replayOf returns the capture a request replays, when it is a replay.
func replayOf(r *http.Request) (string, bool) {
	id, ok := r.Context().Value(replayKey{}).(string)
	return id, ok
}

// Replay runs req through the pipeline as a replay of capture original and returns the replay's
// capture. A replay is the operator delivering a capture again on purpose, so it passes the
// route's verification and delivery like any request but not idempotency (the delivery id was
// seen: that is the point) nor the IP allow-list (the operator is not a sender), and its
// delivery happens before the answer, so the capture carries the target's answer.
func (s *Server) Replay(ctx context.Context, req *http.Request, original string) (*capture.Capture, error) {
	if req == nil {
		return nil, errors.New("replay: no request")
	}
	r := req.WithContext(context.WithValue(ctx, replayKey{}, original))
	if r.RemoteAddr == "" {
		r.RemoteAddr = "127.0.0.1:0"
	}
	w := &answerRecorder{header: http.Header{}}
	x := s.newExchange(w, r)
	status, body := s.pipeline(x)
	s.finish(x, status, body)
	return x.c, nil
}

// answerRecorder is the ResponseWriter of an in-process replay; the answer is on the capture.
type answerRecorder struct {
	header http.Header
}

func (a *answerRecorder) Header() http.Header         { return a.header }
func (a *answerRecorder) Write(b []byte) (int, error) { return len(b), nil }
func (a *answerRecorder) WriteHeader(int)             {}
