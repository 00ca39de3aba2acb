package gateway

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/payload"
	"github.com/hooktap/hooktap/signature"
)

// exchange is one request on its way through the pipeline.
type exchange struct {
	w         http.ResponseWriter
	r         *http.Request
	start     time.Time
	c         *capture.Capture
	rt        *route
	table     *routeTable
	pathEvent string
	doc       payload.Doc // the body opened for lookups; valid once opened is true
	opened    bool
	// rejectCharged and overBudget record the source's rejection budget for this request.
	rejectCharged, overBudget bool
	// dedupeToken holds the delivery id's reservation until finish settles it.
	dedupeToken string
	// replay is set for a request Replay runs (never from anything the request carries).
	replay bool
}

// saveTimeout bounds how long an answer waits for its capture to be committed.
const saveTimeout = 15 * time.Second

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/health":
		s.serveHealth(w, r)
		return
	case "/ready":
		s.serveReady(w, r)
		return
	}
	x := s.newExchange(w, r)
	status, body := s.pipeline(x)
	s.finish(x, status, body)
}

// pipeline runs the steps of docs/pipeline.md in order and returns the answer.
func (s *Server) pipeline(x *exchange) (int, []byte) {
	name, pathEvent, ok := matchPath(x.r.URL.Path)
	x.pathEvent = pathEvent
	x.c.Route = name
	if !ok {
		_ = s.readBody(x, rejectedBodyKeep) // only the prefix a rejected capture keeps is read
		return http.StatusNotFound, bodyNotFound
	}
	x.table = s.table.Load()
	x.rt = x.table.lookup(name)
	if x.rt == nil {
		_ = s.readBody(x, rejectedBodyKeep)
		return http.StatusNotFound, s.unknownRouteBody()
	}
	x.c.Route = x.rt.cfg.Name
	if x.r.Method != http.MethodPost {
		x.w.Header().Set("Allow", http.MethodPost)
		return http.StatusMethodNotAllowed, bodyMethodNotAllowed
	}
	if status, body, stop := s.checkBody(x); stop {
		return status, body
	}
	return s.routed(x)
}

// routed runs the steps that need a known route: IP, signature, rate limit, filter, dedupe,
// deliver. The signature is checked before the route's rate limit is charged, so forgeries
// cannot spend the real sender's budget (they spend their source's, rejects.go).
func (s *Server) routed(x *exchange) (int, []byte) {
	// Headers name the event cheaply even for requests refused before verification.
	x.c.Event = payload.EventType(x.r.Header, x.pathEvent, nil)
	x.c.DeliveryID = payload.DeliveryID(x.r.Header, nil)
	if !x.replay && !allowed(x.rt.allow, s.clientAddr(x.r)) {
		return http.StatusForbidden, bodyForbidden
	}
	status, body, stop := s.verify(x)
	if x.overBudget {
		return status, body
	}
	if stop {
		// A failed capture shows its event too (the inspector lists it), but an attacker's body
		// is parsed only as far as a rejected capture keeps it: decoding costs more than the rest.
		if len(x.c.Body) <= rejectedBodyKeep {
			s.extractIDs(x)
		}
		return status, body
	}
	s.extractIDs(x)
	ok, wait, err := x.rt.limiter.Allow(x.r.Context(), s.now())
	if err != nil {
		return s.stateUnavailable(x, err)
	}
	s.shared.ok()
	if !ok {
		x.w.Header().Set("Retry-After", strconv.Itoa(retryAfterSeconds(wait)))
		s.stats.add(x.rt.cfg.Name, func(r *RouteStats) { r.RateLimited++ })
		return http.StatusTooManyRequests, bodyRateLimited
	}
	if x.rt.events != nil && !x.rt.events[x.c.Event] {
		return http.StatusOK, bodyIgnored
	}
	if status, body, stop := s.reserve(x); stop {
		return status, body
	}
	return s.deliver(x)
}

// extractIDs finds the event type and delivery id, from headers when they carry them, else from
// the body; the body is opened (validated once) only when something reads it.
func (s *Server) extractIDs(x *exchange) {
	if x.c.Event == "" {
		x.c.Event = payload.EventType(x.r.Header, x.pathEvent, x.body())
	}
	if x.c.DeliveryID == "" {
		x.c.DeliveryID = payload.DeliveryID(x.r.Header, x.body())
	}
}

// body opens the request body for lookups once: JSON is validated and then read in place.
func (x *exchange) body() *payload.Doc {
	if !x.opened {
		x.opened = true
		x.doc = payload.Open(x.c.ContentType, x.c.Body)
	}
	return &x.doc
}

// dedupeKey is the route and the delivery id; a route name never holds "/" (a path could not
// reach it), and the key reads as route/id where a shared deduper shows it (redis-cli).
func dedupeKey(x *exchange) string { return x.rt.cfg.Name + "/" + x.c.DeliveryID }

// reserve is the idempotency step: the delivery id is held while this request is processed and
// counts as seen only when finish answers 2xx (settleDedupe).
func (s *Server) reserve(x *exchange) (int, []byte, bool) {
	if x.c.DeliveryID == "" || x.replay {
		return 0, nil, false
	}
	token, claim, err := s.dedupe.Reserve(x.r.Context(), dedupeKey(x), s.reserveLease(x.rt), s.now())
	if err != nil {
		status, body := s.stateUnavailable(x, err)
		return status, body, true
	}
	s.shared.ok()
	switch claim {
	case Seen:
		s.stats.add(x.rt.cfg.Name, func(r *RouteStats) { r.Duplicates++ })
		return http.StatusOK, bodyDuplicate, true
	case InFlight:
		x.w.Header().Set("Retry-After", "5")
		return http.StatusConflict, bodyInFlight, true
	}
	x.dedupeToken = token
	return 0, nil, false
}

// settleDedupe commits the reserved id when the answer is 2xx and the capture durable, and frees
// it otherwise, so the provider's retry after a 503 or 502 is processed, not called a duplicate.
// Neither changes the answer when the shared state fails: a 2xx is true (the capture is durable),
// and an id left reserved is freed by its lease, until when copies are answered 409.
func (s *Server) settleDedupe(x *exchange, status int) {
	if x.dedupeToken == "" {
		return
	}
	ctx := context.WithoutCancel(x.r.Context())
	var err error
	if status >= 200 && status < 300 {
		err = s.dedupe.Commit(ctx, dedupeKey(x), x.dedupeToken, x.rt.settings.IdempotencyTTL, s.now())
	} else {
		err = s.dedupe.Release(ctx, dedupeKey(x), x.dedupeToken)
	}
	if err != nil {
		s.shared.fail(err)
		s.log.Warn("delivery id not settled: the shared state failed; it is freed when its lease ends",
			"route", x.c.Route, "delivery_id", x.c.DeliveryID, "status", status, "err", err)
	}
}

// reserveLease outlasts the longest a request can take (delivering with deliver_only, then
// saving), so a reservation is freed by its holder, or by expiry only when the holder died.
func (s *Server) reserveLease(rt *route) time.Duration {
	return 2*s.deliveryTimeout(rt) + saveTimeout + 5*time.Second
}

// checkBody is step 1: a declared length over the limit is refused unread; a body that grows past
// it while streaming is refused with the prefix kept.
func (s *Server) checkBody(x *exchange) (int, []byte, bool) {
	limit := s.cfg.Gateway.MaxBodyBytes
	if x.rt != nil {
		limit = x.rt.settings.MaxBodyBytes
	}
	if limit > 0 && x.r.ContentLength > limit {
		x.c.Truncated = true
		return http.StatusRequestEntityTooLarge, bodyTooLarge, true
	}
	switch err := s.readBody(x, limit); {
	case errors.Is(err, errBodyTooLarge):
		return http.StatusRequestEntityTooLarge, bodyTooLarge, true
	case err != nil:
		return http.StatusBadRequest, bodyIncomplete, true
	}
	return 0, nil, false
}

var errBodyTooLarge = errors.New("body over max_body_bytes")

// readBody reads at most limit bytes into the capture; over that it keeps the prefix.
func (s *Server) readBody(x *exchange, limit int64) error {
	if x.r.Body == nil || x.r.Body == http.NoBody {
		return nil
	}
	if limit <= 0 {
		limit = 1 << 20
	}
	size := int64(512)
	if x.r.ContentLength > 0 {
		size = min(x.r.ContentLength, limit) + 1
	}
	buf := make([]byte, 0, size)
	body, err := readUpTo(x.r.Body, buf, limit+1)
	if int64(len(body)) > limit {
		x.c.Body, x.c.Truncated = body[:limit], true
		return errBodyTooLarge
	}
	x.c.Body = body
	return err
}

// readUpTo appends from r into buf until EOF or max bytes.
func readUpTo(r io.Reader, buf []byte, max int64) ([]byte, error) {
	for int64(len(buf)) < max {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		room := min(int64(cap(buf)), max)
		n, err := r.Read(buf[len(buf):room])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
	return buf, nil
}

// verify is step 5: check the signature; on failure the doctor explains it (bounded).
func (s *Server) verify(x *exchange) (int, []byte, bool) {
	rs := x.rt.settings
	if rs.NoSecret {
		x.c.Verification = signature.Outcome{Scheme: "none", Result: signature.Skipped,
			Reason: signature.ReasonNoSecret, Detail: s.noSecretDetail}
		return 0, nil, false
	}
	p := x.rt.verifyParams(s.now)
	req := signature.Request{Method: x.r.Method, URL: s.signedURL(x), Header: x.r.Header, Body: x.c.Body}
	var out signature.Outcome
	if len(x.rt.cfg.Signatures) == 0 {
		out = s.verifyOneScheme(x, req, &p)
	} else if p, ok := x.rt.ruleParams(x.r.Header, s.now); ok {
		out = signature.Verify(req, p)
	} else {
		out = x.rt.noRuleOutcome()
	}
	if rs.Insecure || x.rt.cfg.Verify == "none" {
		out = signature.Outcome{Scheme: "none", Result: signature.Skipped, Reason: signature.ReasonSkipped,
			Detail: "route is INSECURE_NO_AUTH: verification is off"}
	}
	x.c.Verification = out
	if out.OK() {
		s.stats.add(x.rt.cfg.Name, func(r *RouteStats) { r.Verified++ })
		return 0, nil, false
	}
	s.stats.add(x.rt.cfg.Name, func(r *RouteStats) { r.Failed++ })
	if !s.chargeRejection(x) {
		return http.StatusTooManyRequests, bodyTooManyRejected, true
	}
	s.diagnose(x, req, p)
	s.notifier.Emit("signature_failed", map[string]any{
		"route": x.rt.cfg.Name, "scheme": out.Scheme, "reason": string(out.Reason), "peer": x.c.Peer,
	})
	return http.StatusUnauthorized, invalidSignatureBody(out.Reason), true
}

// diagnose runs the doctor when a slot is free; under a flood of bad requests it is skipped
// rather than letting failures cost more than successes.
func (s *Server) diagnose(x *exchange, req signature.Request, p signature.Params) {
	select {
	case s.doctor <- struct{}{}:
	default:
		x.c.Verification.Diagnosis = append(x.c.Verification.Diagnosis, signature.Finding{
			Code: "doctor_busy", Message: "the signature doctor was busy with other failures; run `hooktap verify --capture " + x.c.ID + "`"})
		return
	}
	defer func() { <-s.doctor }()
	p.Others = x.table.otherSecrets(s.cfg.Gateway, x.rt.cfg.Name)
	x.c.Verification = signature.Diagnose(req, p, x.c.Verification)
}

// finish records the exchange and then answers: a 2xx leaves only once the capture is durable.
// A rejected request is recorded with a bounded prefix of its body, and not at all once its
// source is over its budget of rejections.
func (s *Server) finish(x *exchange, status int, body []byte) {
	if rejection(status) && !s.chargeRejection(x) || x.overBudget {
		s.answerUnrecorded(x)
		return
	}
	if rejection(status) {
		keepRejectedPrefix(x.c)
	}
	x.c.Status, x.c.ResponseBody = status, body
	x.c.Latency = s.now().Sub(x.start)
	h := x.w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	x.c.ResponseHeaders = answerHeaders(h)
	ctx, cancel := context.WithTimeout(context.WithoutCancel(x.r.Context()), saveTimeout)
	err := s.store.Save(ctx, x.c)
	cancel()
	if err != nil {
		s.log.Error("capture not saved", "route", x.c.Route, "err", err)
		if status < 300 {
			status, body = http.StatusServiceUnavailable, bodyStoreDown
		}
	}
	s.settleDedupe(x, status)
	s.logRequest(x.c)
	h.Set("Content-Length", strconv.Itoa(len(body))) // the body may have changed above
	x.w.WriteHeader(status)
	_, _ = x.w.Write(body)
	if x.c.Status == http.StatusAccepted && err == nil {
		s.afterAnswer(x)
	}
}
