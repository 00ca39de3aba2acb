package admin

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/hooktap/hooktap/capture"
)

// Limits of GET /api/requests/http?limit=.
const (
	compatDefaultLimit = 50
	compatMaxLimit     = 1000
)

// compatRoutes registers ngrok's local agent API (GET /api/tunnels, GET /api/requests/http,
// GET /api/requests/http/{id}, POST /api/requests/http with {"id": …} to replay), so scripts
// written for the ngrok agent work against hooktap. Like every admin endpoint it is served on
// loopback only, never through the tunnel.
func (s *Server) compatRoutes(mux *http.ServeMux) {
	mux.Handle("GET /api/tunnels", withDeadline(http.HandlerFunc(s.compatTunnels)))
	mux.Handle("GET /api/requests/http", withDeadline(http.HandlerFunc(s.compatList)))
	mux.Handle("GET /api/requests/http/{id}", withDeadline(http.HandlerFunc(s.compatGet)))
	mux.Handle("POST /api/requests/http", withDeadline(http.HandlerFunc(s.compatReplay)))
}

func (s *Server) compatTunnels(w http.ResponseWriter, _ *http.Request) {
	url := ""
	if s.deps.TunnelURL != nil {
		url = s.deps.TunnelURL()
	}
	writeJSON(w, http.StatusOK, compatTunnels(url, s.deps.GatewayAddr))
}

func (s *Server) compatList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit, err := parseCompatLimit(q.Get("limit"))
	if err != nil {
		writeCompatError(w, http.StatusBadRequest, err.Error())
		return
	}
	reveal, perr := revealParam(q)
	if perr != nil {
		writeCompatError(w, http.StatusBadRequest, perr.Msg)
		return
	}
	if s.deps.Store == nil {
		writeCompatError(w, http.StatusServiceUnavailable, "no capture store")
		return
	}
	filter := capture.Filter{Limit: limit, WithBody: true, Source: sourceForTunnelName(q.Get("tunnel_name"))}
	page, err := s.deps.Store.List(r.Context(), filter)
	if err != nil {
		writeCompatLookupError(w, err)
		return
	}
	opts := s.jsonOptions(reveal, true)
	out := CompatRequestList{URI: "/api/requests/http", Requests: []CompatRequest{}}
	for _, cp := range page.Captures {
		out.Requests = append(out.Requests, compatRequest(cp, opts))
	}
	writeJSON(w, http.StatusOK, out)
}

// sourceForTunnelName inverts compatRequest's naming so the store does the filtering and
// ?limit= counts only matching requests.
func sourceForTunnelName(name string) capture.Source {
	if name == CompatTunnelName {
		return capture.SourceTunnel
	}
	return capture.Source(name)
}

func parseCompatLimit(s string) (int, error) {
	if s == "" {
		return compatDefaultLimit, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return 0, errors.New("limit must be a positive number")
	}
	return min(n, compatMaxLimit), nil
}

func (s *Server) compatGet(w http.ResponseWriter, r *http.Request) {
	reveal, perr := revealParam(r.URL.Query())
	if perr != nil {
		writeCompatError(w, http.StatusBadRequest, perr.Msg)
		return
	}
	if s.deps.Store == nil {
		writeCompatError(w, http.StatusServiceUnavailable, "no capture store")
		return
	}
	cp, err := s.deps.Store.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		writeCompatLookupError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, compatRequest(cp, s.jsonOptions(reveal, true)))
}

// compatReplay answers like ngrok's agent: 204 once the request has been replayed.
func (s *Server) compatReplay(w http.ResponseWriter, r *http.Request) {
	var body struct {
		ID         string `json:"id"`
		TunnelName string `json:"tunnel_name"`
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10))
	if err := dec.Decode(&body); err != nil {
		writeCompatError(w, http.StatusBadRequest, "body must be JSON like {\"id\": \"<request id>\"}")
		return
	}
	if strings.TrimSpace(body.ID) == "" {
		writeCompatError(w, http.StatusBadRequest, "id is required")
		return
	}
	if s.deps.Replay == nil {
		writeCompatError(w, http.StatusServiceUnavailable, "replay is not available")
		return
	}
	if _, err := s.deps.Replay(r.Context(), body.ID, ReplayOptions{}); err != nil {
		writeCompatLookupError(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// writeCompatLookupError maps store errors to the status a caller can act on.
func writeCompatLookupError(w http.ResponseWriter, err error) {
	var ambiguous *capture.AmbiguousError
	switch {
	case errors.Is(err, capture.ErrNotFound):
		writeCompatError(w, http.StatusNotFound, err.Error())
	case errors.As(err, &ambiguous):
		writeCompatError(w, http.StatusBadRequest, err.Error())
	default:
		writeCompatError(w, http.StatusInternalServerError, err.Error())
	}
}

// compatError is the error body of ngrok's agent API.
type compatError struct {
	StatusCode int               `json:"status_code"`
	Msg        string            `json:"msg"`
	Details    map[string]string `json:"details"`
}

func writeCompatError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, compatError{StatusCode: status, Msg: msg, Details: map[string]string{}})
}
