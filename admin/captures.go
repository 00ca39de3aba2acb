package admin

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/hooktap/hooktap/capture"
)

// listAnswer is the body of GET /api/v1/captures; Next is null on the last page.
type listAnswer struct {
	Captures []CaptureAnswer `json:"captures"`
	Next     *string         `json:"next"`
}

// listCaptures answers GET /api/v1/captures, newest first.
func (s *Server) listCaptures(w http.ResponseWriter, r *http.Request) {
	f, reveal, perr := parseListQuery(r.URL.Query())
	if perr != nil {
		writeParamError(w, perr)
		return
	}
	page, err := s.deps.Store.List(r.Context(), f)
	if err != nil {
		s.storeFailure(w, r, err)
		return
	}
	opts := s.jsonOptions(reveal, f.WithBody)
	ans := listAnswer{Captures: make([]CaptureAnswer, 0, len(page.Captures))}
	for i := range page.Captures {
		ans.Captures = append(ans.Captures, answer(page.Captures[i], opts))
	}
	if page.Next != "" {
		next := page.Next
		ans.Next = &next
	}
	writeJSON(w, http.StatusOK, ans)
}

// getCapture answers GET /api/v1/captures/{id}: one capture with its body.
func (s *Server) getCapture(w http.ResponseWriter, r *http.Request) {
	reveal, ok := revealOnly(w, r)
	if !ok {
		return
	}
	c, ok := s.lookup(w, r, r.PathValue("id"))
	if !ok {
		return
	}
	writeJSON(w, http.StatusOK, answer(c, s.jsonOptions(reveal, true)))
}

// lookup finds a capture by id or unique prefix, answering 400, 404 or 409 itself when it cannot.
func (s *Server) lookup(w http.ResponseWriter, r *http.Request, id string) (*capture.Capture, bool) {
	if id == "" || len(id) > 26 || strings.Trim(strings.ToLower(id), "0123456789abcdefghjkmnpqrstvwxyz") != "" {
		writeError(w, http.StatusNotFound, apiError{Message: "no capture with id " + quote(id)})
		return nil, false
	}
	c, err := s.deps.Store.Get(r.Context(), id)
	if err != nil {
		s.storeFailure(w, r, err)
		return nil, false
	}
	return c, true
}

// storeFailure maps store errors to answers: unknown id 404, ambiguous prefix 409, else 500.
func (s *Server) storeFailure(w http.ResponseWriter, r *http.Request, err error) {
	var amb *capture.AmbiguousError
	switch {
	case errors.As(err, &amb):
		writeError(w, http.StatusConflict, apiError{Message: amb.Error(), Candidates: amb.Candidates})
	case errors.Is(err, capture.ErrNotFound):
		writeError(w, http.StatusNotFound, apiError{Message: "no capture with id " + quote(r.PathValue("id"))})
	case r.Context().Err() != nil:
		// The client went away; nobody is left to read an answer.
	default:
		s.log.Error("admin: capture store", "path", r.URL.Path, "err", err)
		writeError(w, http.StatusInternalServerError, apiError{Message: "capture store: " + err.Error()})
	}
}

// ReplayOptions is the body of POST /api/v1/captures/{id}/replay: where to, re-signed or not,
// and an edited body (base64 in JSON), re-signed unless keep_signature.
type ReplayOptions struct {
	To            string `json:"to,omitempty"`
	Resign        bool   `json:"resign,omitempty"`
	Body          []byte `json:"body,omitempty"`
	KeepSignature bool   `json:"keep_signature,omitempty"`
}

// replayCapture answers POST /api/v1/captures/{id}/replay with the new capture.
func (s *Server) replayCapture(w http.ResponseWriter, r *http.Request) {
	if s.deps.Replay == nil {
		writeError(w, http.StatusNotImplemented, apiError{Message: "replay is not available in this hooktap process"})
		return
	}
	req, perr := decodeReplay(r.Body)
	if perr != nil {
		writeParamError(w, perr)
		return
	}
	c, ok := s.lookup(w, r, r.PathValue("id"))
	if !ok {
		return
	}
	out, err := s.deps.Replay(r.Context(), c.ID, req)
	if err != nil {
		if errors.Is(err, capture.ErrNotFound) {
			s.storeFailure(w, r, err)
			return
		}
		writeError(w, http.StatusBadGateway, apiError{Message: "replay " + c.ID + ": " + err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, answer(out, s.jsonOptions(false, true)))
}

// decodeReplay reads a small JSON body; an empty body means "replay to the default target".
func decodeReplay(body io.Reader) (ReplayOptions, *ParamError) {
	var req ReplayOptions
	raw, err := io.ReadAll(io.LimitReader(body, maxGatewayReplay+1))
	if err != nil {
		return req, &ParamError{Param: "body", Msg: "read request body: " + err.Error()}
	}
	if len(raw) > maxGatewayReplay {
		return req, &ParamError{Param: "body", Msg: "request body is larger than 3 MiB"}
	}
	if len(strings.TrimSpace(string(raw))) == 0 {
		return req, nil
	}
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		return req, &ParamError{Param: "body", Msg: "invalid JSON body: " + err.Error() + ` (want {"to":"URL","resign":true,"body":"BASE64","keep_signature":false})`}
	}
	if req.Resign && req.KeepSignature {
		return req, &ParamError{Param: "body", Msg: "resign and keep_signature contradict each other: pick one"}
	}
	if req.To != "" {
		u, err := url.Parse(req.To)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return req, badParam("to", req.To, "an absolute http or https URL")
		}
	}
	return req, nil
}

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// revealOnly reads the one parameter an endpoint takes, reveal, and answers 400 itself for
// anything else.
func revealOnly(w http.ResponseWriter, r *http.Request) (reveal, ok bool) {
	q := r.URL.Query()
	if perr := checkKnown(q, map[string]bool{"reveal": true}); perr != nil {
		writeParamError(w, perr)
		return false, false
	}
	reveal, perr := revealParam(q)
	if perr != nil {
		writeParamError(w, perr)
		return false, false
	}
	return reveal, true
}
