package tunnel

import (
	"context"
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

// compat serves ngrok's local agent API over hooktap's tunnel and capture store.
type compat struct {
	tunnel    Tunnel
	localAddr string
	store     *capture.Store
	replay    func(ctx context.Context, id string) (*capture.Capture, error)
}

// CompatHandler serves the ngrok agent API endpoints GET /api/tunnels, GET /api/requests/http,
// GET /api/requests/http/{id} and POST /api/requests/http ({"id": …} replays). The admin server
// mounts it; it is never served through the tunnel.
func CompatHandler(t Tunnel, localAddr string, store *capture.Store, replay func(ctx context.Context, id string) (*capture.Capture, error)) http.Handler {
	c := &compat{tunnel: t, localAddr: localAddr, store: store, replay: replay}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/tunnels", c.tunnels)
	mux.HandleFunc("GET /api/requests/http", c.list)
	mux.HandleFunc("GET /api/requests/http/{id}", c.get)
	mux.HandleFunc("POST /api/requests/http", c.replayRequest)
	return mux
}

func (c *compat) tunnels(w http.ResponseWriter, _ *http.Request) {
	st := Status{State: StateOff}
	if c.tunnel != nil {
		st = c.tunnel.Status()
	}
	writeJSON(w, http.StatusOK, compatTunnels(st, c.localAddr))
}

func (c *compat) list(w http.ResponseWriter, r *http.Request) {
	limit, err := parseLimit(r.URL.Query().Get("limit"))
	if err != nil {
		writeCompatError(w, http.StatusBadRequest, err.Error())
		return
	}
	if c.store == nil {
		writeCompatError(w, http.StatusServiceUnavailable, "no capture store")
		return
	}
	filter := capture.Filter{Limit: limit, WithBody: true, Source: sourceForTunnelName(r.URL.Query().Get("tunnel_name"))}
	page, err := c.store.List(r.Context(), filter)
	if err != nil {
		writeCompatError(w, http.StatusInternalServerError, err.Error())
		return
	}
	out := CompatRequestList{URI: "/api/requests/http", Requests: []CompatRequest{}}
	for _, cp := range page.Captures {
		out.Requests = append(out.Requests, compatRequest(cp))
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

func parseLimit(s string) (int, error) {
	if s == "" {
		return compatDefaultLimit, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return 0, errors.New("limit must be a positive number")
	}
	return min(n, compatMaxLimit), nil
}

func (c *compat) get(w http.ResponseWriter, r *http.Request) {
	if c.store == nil {
		writeCompatError(w, http.StatusServiceUnavailable, "no capture store")
		return
	}
	cp, err := c.store.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		writeLookupError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, compatRequest(cp))
}

// replayRequest answers like ngrok's agent: 204 once the request has been replayed.
func (c *compat) replayRequest(w http.ResponseWriter, r *http.Request) {
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
	if c.replay == nil {
		writeCompatError(w, http.StatusServiceUnavailable, "replay is not available")
		return
	}
	if _, err := c.replay(r.Context(), body.ID); err != nil {
		writeLookupError(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// writeLookupError maps store errors to the status a caller can act on.
func writeLookupError(w http.ResponseWriter, err error) {
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

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}
