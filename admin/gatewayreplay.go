package admin

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"

	"github.com/hooktap/hooktap/capture"
)

// GatewayReplayPath is the endpoint another hooktap process (the CLI's `hooktap replay`) uses
// to run a replay through this process's gateway. The admin API listens on loopback only, so
// this is the gateway's own call path, never a sender's.
const GatewayReplayPath = "/api/v1/gateway/replays"

// maxGatewayReplay bounds the request: a body up to the gateway's largest limit, in base64, and
// its headers.
const maxGatewayReplay = 3 << 20

// GatewayReplayRequest is the request to replay, as the replayer built it.
type GatewayReplayRequest struct {
	ReplayOf string           `json:"replay_of"`
	Method   string           `json:"method"`
	URL      string           `json:"url"`
	Headers  []capture.Header `json:"headers"`
	Body     []byte           `json:"body"`
}

// GatewayReplayAnswer names the replay's capture (the caller reads it from the store).
type GatewayReplayAnswer struct {
	ID string `json:"id"`
}

func (s *Server) gatewayReplay(w http.ResponseWriter, r *http.Request) {
	if s.deps.GatewayReplay == nil {
		writeError(w, http.StatusNotImplemented, apiError{Message: "this hooktap process runs no gateway"})
		return
	}
	var in GatewayReplayRequest
	dec := json.NewDecoder(io.LimitReader(r.Body, maxGatewayReplay))
	if err := dec.Decode(&in); err != nil || in.ReplayOf == "" || in.URL == "" {
		writeParamError(w, &ParamError{Param: "body", Msg: "want JSON with replay_of, method, url, headers and body"})
		return
	}
	req, err := http.NewRequestWithContext(r.Context(), in.Method, in.URL, bytes.NewReader(in.Body))
	if err != nil {
		writeParamError(w, &ParamError{Param: "url", Msg: err.Error()})
		return
	}
	for _, h := range in.Headers {
		if http.CanonicalHeaderKey(h.Name) == "Host" {
			req.Host = h.Value
			continue
		}
		req.Header.Add(h.Name, h.Value)
	}
	req.ContentLength = int64(len(in.Body))
	c, err := s.deps.GatewayReplay(r.Context(), req, in.ReplayOf)
	if err != nil {
		writeError(w, http.StatusBadGateway, apiError{Message: "replay " + in.ReplayOf + ": " + err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, GatewayReplayAnswer{ID: c.ID})
}
