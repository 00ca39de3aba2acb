package admin

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"

	"github.com/hooktap/hooktap/capture"
)

// deliveriesParams are what GET /api/v1/deliveries understands.
var deliveriesParams = map[string]bool{"state": true, "route": true, "limit": true, "reveal": true}

// listDeliveries answers GET /api/v1/deliveries: pending and dead deliveries of the outbox,
// oldest first, targets masked unless revealed.
func (s *Server) listDeliveries(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if perr := checkKnown(q, deliveriesParams); perr != nil {
		writeParamError(w, perr)
		return
	}
	f, reveal, perr := outboxFilter(q)
	if perr != nil {
		writeParamError(w, perr)
		return
	}
	entries, err := s.deps.Store.ListOutbox(r.Context(), f)
	if err != nil {
		s.storeFailure(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, OutboxAnswer{Deliveries: shownOutbox(entries, reveal)})
}

func outboxFilter(q map[string][]string) (capture.OutboxFilter, bool, *ParamError) {
	var f capture.OutboxFilter
	state, perr := single(q, "state")
	if perr != nil {
		return f, false, perr
	}
	switch capture.OutboxState(state) {
	case "", capture.OutboxPending, capture.OutboxDead:
		f.State = capture.OutboxState(state)
	default:
		return f, false, badParam("state", state, "pending or dead")
	}
	if f.Route, perr = textParam(q, "route"); perr != nil {
		return f, false, perr
	}
	if v, perr := single(q, "limit"); perr != nil {
		return f, false, perr
	} else if v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxLimit {
			return f, false, badParam("limit", v, "a number from 1 to "+strconv.Itoa(maxLimit))
		}
		f.Limit = n
	}
	reveal, perr := revealParam(q)
	return f, reveal, perr
}

// DeliveriesAction is the body of POST /api/v1/deliveries/retry and /purge: the delivery ids,
// or all for every dead delivery. Exactly one of the two.
type DeliveriesAction struct {
	IDs []int64 `json:"ids,omitempty"`
	All bool    `json:"all,omitempty"`
}

// DeliveriesChanged is the answer to a retry or a purge: how many deliveries it changed.
type DeliveriesChanged struct {
	Changed int64 `json:"changed"`
}

// maxActionIDs bounds one retry or purge request.
const maxActionIDs = 10000

// retryDeliveries answers POST /api/v1/deliveries/retry: the deliveries are due now with a
// fresh attempt count; a running outbox makes them within a second.
func (s *Server) retryDeliveries(w http.ResponseWriter, r *http.Request) {
	s.deliveriesAction(w, r, s.deps.Store.RetryOutbox)
}

// purgeDeliveries answers POST /api/v1/deliveries/purge: the deliveries are deleted.
func (s *Server) purgeDeliveries(w http.ResponseWriter, r *http.Request) {
	s.deliveriesAction(w, r, s.deps.Store.PurgeOutbox)
}

func (s *Server) deliveriesAction(w http.ResponseWriter, r *http.Request, act func(context.Context, ...int64) (int64, error)) {
	a, perr := decodeAction(r.Body)
	if perr != nil {
		writeParamError(w, perr)
		return
	}
	n, err := act(r.Context(), a.IDs...)
	if err != nil {
		s.storeFailure(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, DeliveriesChanged{Changed: n})
}

// decodeAction reads a small JSON body naming ids or all.
func decodeAction(body io.Reader) (DeliveriesAction, *ParamError) {
	var a DeliveriesAction
	dec := json.NewDecoder(io.LimitReader(body, 256<<10))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&a); err != nil {
		return a, &ParamError{Param: "body", Msg: `want JSON {"ids":[1,2]} or {"all":true}: ` + err.Error()}
	}
	if (len(a.IDs) == 0) != a.All {
		return a, &ParamError{Param: "body", Msg: `give delivery ids ({"ids":[1,2]}) or every dead one ({"all":true}), not both or neither`}
	}
	if len(a.IDs) > maxActionIDs {
		return a, &ParamError{Param: "ids", Msg: "at most " + strconv.Itoa(maxActionIDs) + " ids in one request"}
	}
	for _, id := range a.IDs {
		if id <= 0 {
			return a, badParam("ids", strconv.FormatInt(id, 10), "delivery ids from GET /api/v1/deliveries")
		}
	}
	return a, nil
}
