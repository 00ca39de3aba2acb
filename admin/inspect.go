package admin

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/config"
	"github.com/hooktap/hooktap/signature"
)

// countAnswer is the body of GET /api/v1/captures/count.
type countAnswer struct {
	Count int `json:"count"`
}

// countCaptures answers GET /api/v1/captures/count with how many captures match the filter
// parameters of the list.
func (s *Server) countCaptures(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if perr := checkKnown(q, countParams); perr != nil {
		writeParamError(w, perr)
		return
	}
	f, perr := filterParams(q)
	if perr == nil {
		f.Before, perr = idParam(q, "before")
	}
	if perr == nil {
		f.After, perr = idParam(q, "after")
	}
	if perr != nil {
		writeParamError(w, perr)
		return
	}
	n, err := s.deps.Store.Count(r.Context(), f)
	if err != nil {
		s.storeFailure(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, countAnswer{Count: n})
}

// OutboxAnswer is the body of GET /api/v1/captures/{id}/outbox and GET /api/v1/deliveries.
type OutboxAnswer struct {
	Deliveries []capture.OutboxEntry `json:"deliveries"`
}

// captureOutbox answers GET /api/v1/captures/{id}/outbox: the deliveries the capture owes or
// owed, their targets masked unless revealed.
func (s *Server) captureOutbox(w http.ResponseWriter, r *http.Request) {
	reveal, ok := revealOnly(w, r)
	if !ok {
		return
	}
	c, ok := s.lookup(w, r, r.PathValue("id"))
	if !ok {
		return
	}
	entries, err := s.deps.Store.OutboxFor(r.Context(), c.ID)
	if err != nil {
		s.storeFailure(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, OutboxAnswer{Deliveries: shownOutbox(entries, reveal)})
}

// shownOutbox masks entries unless revealed; never null in JSON.
func shownOutbox(entries []capture.OutboxEntry, reveal bool) []capture.OutboxEntry {
	out := make([]capture.OutboxEntry, len(entries))
	for i, e := range entries {
		if !reveal {
			e = e.Masked()
		}
		out[i] = e
	}
	return out
}

// DoctorAnswer is the body of GET /api/v1/captures/{id}/doctor: the verdict recorded when the
// capture arrived, and the signature checked again now with the route's current secrets (at the
// time it was received), with the doctor's findings when it fails.
type DoctorAnswer struct {
	CaptureID string            `json:"capture_id"`
	Route     string            `json:"route"`
	Recorded  signature.Outcome `json:"recorded"`
	Now       signature.Outcome `json:"now"`
}

// captureDoctor answers GET /api/v1/captures/{id}/doctor. Secrets never leave the server: the
// outcomes carry labels of secrets, and the signed string and signatures are masked by the one
// rule unless revealed.
func (s *Server) captureDoctor(w http.ResponseWriter, r *http.Request) {
	reveal, ok := revealOnly(w, r)
	if !ok {
		return
	}
	c, ok := s.lookup(w, r, r.PathValue("id"))
	if !ok {
		return
	}
	routes := s.routeList()
	req := c.SignatureRequest(config.LocalBaseURL(s.gatewayAddr()))
	p := signature.Params{Now: func() time.Time { return c.ReceivedAt }}
	config.CompleteVerifyParams(&p, routes, s.deps.Config.Gateway, c.Route, c.Verification.Scheme)
	now := signature.Check(req, p)
	ans := DoctorAnswer{CaptureID: c.ID, Route: c.Route, Recorded: c.Verification, Now: now}
	if !reveal {
		extra := config.CredentialHeaders(routes)
		ans.Recorded = c.Masked(extra).Verification
		masked := *c
		masked.Verification = now
		ans.Now = masked.Masked(extra).Verification
	}
	if ans.Recorded.Diagnosis == nil {
		ans.Recorded.Diagnosis = []signature.Finding{}
	}
	if ans.Now.Diagnosis == nil {
		ans.Now.Diagnosis = []signature.Finding{}
	}
	writeJSON(w, http.StatusOK, ans)
}

// pinsAnswer is the body of GET /api/v1/routes/pins.
type pinsAnswer struct {
	Pins []capture.RoutePin `json:"pins"`
}

// listPins answers GET /api/v1/routes/pins: the scheme each route without verify: was pinned
// to by its first verified delivery.
func (s *Server) listPins(w http.ResponseWriter, r *http.Request) {
	pins, err := s.deps.Store.RoutePins(r.Context())
	if err != nil {
		s.storeFailure(w, r, err)
		return
	}
	ans := pinsAnswer{Pins: make([]capture.RoutePin, 0, len(pins))}
	for _, p := range pins {
		ans.Pins = append(ans.Pins, p)
	}
	slices.SortFunc(ans.Pins, func(a, b capture.RoutePin) int { return strings.Compare(a.Route, b.Route) })
	writeJSON(w, http.StatusOK, ans)
}
