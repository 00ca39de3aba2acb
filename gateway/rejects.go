package gateway

import (
	"net/http"
	"net/netip"
	"strconv"
	"sync"
	"time"

	"github.com/hooktap/hooktap/capture"
)

// Rejected requests (failed verification, unknown route, forbidden, too large, …) cost the
// gateway work and disk without bringing anything. Each source gets its own budget for them,
// separate from the routes' rate limits, so a flood of forgeries neither fills the disk nor
// spends the budget of the route's real sender.
const (
	// rejectPerMinute is each source's budget of rejected requests (a burst of as many).
	rejectPerMinute = 60
	// rejectSources bounds the sources tracked; past it, idle ones are forgotten first.
	rejectSources = 10_000
	// rejectedBodyKeep is the most of a rejected request's body a capture keeps.
	rejectedBodyKeep = 64 << 10
)

// rejectBudget tracks one token bucket per source. Sources are addresses, IPv6 ones by /64: one
// machine usually owns a whole /64, so a flood cannot mint itself fresh budgets. The budgets stay
// in process even in team mode: a shared one would cost a round trip to Redis for every request
// of the flood it exists to make cheap, and each instance bounds its own disk anyway.
type rejectBudget struct {
	mu     sync.Mutex
	bySrc  map[netip.Prefix]*sourceBudget
	perMin int
}

type sourceBudget struct {
	lim    *tokenBucket
	seen   time.Time
	warned time.Time
}

func newRejectBudget(perMinute int) *rejectBudget {
	return &rejectBudget{bySrc: map[netip.Prefix]*sourceBudget{}, perMin: perMinute}
}

// sourceKey is the budget's key for an address.
func sourceKey(a netip.Addr) netip.Prefix {
	a = a.Unmap()
	if a.Is6() {
		p, _ := a.Prefix(64)
		return p
	}
	return netip.PrefixFrom(a, a.BitLen())
}

// charge takes one rejection from src's budget; false when it is spent, with the wait until
// the next one and, at most once a minute per source, warn set so the log says so once.
func (b *rejectBudget) charge(src netip.Addr, now time.Time) (ok bool, wait time.Duration, warn bool) {
	key := sourceKey(src)
	b.mu.Lock()
	sb := b.bySrc[key]
	if sb == nil {
		if len(b.bySrc) >= rejectSources {
			b.evictIdle(now)
		}
		sb = &sourceBudget{lim: newBucket(b.perMin)}
		b.bySrc[key] = sb
	}
	sb.seen = now
	ok, wait = sb.lim.take(now)
	if !ok && now.Sub(sb.warned) >= time.Minute {
		sb.warned, warn = now, true
	}
	b.mu.Unlock()
	return ok, wait, warn
}

// evictIdle forgets the sources quiet for a minute (their budget is full again anyway); if every
// source is active, it forgets arbitrary ones down to half the bound, to stay bounded.
func (b *rejectBudget) evictIdle(now time.Time) {
	for k, sb := range b.bySrc {
		if now.Sub(sb.seen) > time.Minute {
			delete(b.bySrc, k)
		}
	}
	for k := range b.bySrc {
		if len(b.bySrc) < rejectSources/2 {
			return
		}
		delete(b.bySrc, k)
	}
}

// rejection reports whether an answer refuses the request for something the sender did:
// those are what the per-source budget counts.
func rejection(status int) bool {
	switch status {
	case http.StatusBadRequest, http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound,
		http.StatusMethodNotAllowed, http.StatusRequestEntityTooLarge, http.StatusTooManyRequests:
		return true
	}
	return false
}

// chargeRejection takes one rejection from the request's source. Over budget, the request is
// answered 429 and not recorded at all (overBudget), so a flood costs neither disk nor doctor.
func (s *Server) chargeRejection(x *exchange) bool {
	if x.rejectCharged {
		return !x.overBudget
	}
	x.rejectCharged = true
	src := s.clientAddr(x.r)
	if localUser(src, x.r) {
		return true
	}
	ok, wait, warn := s.rejects.charge(src, s.now())
	if ok {
		return true
	}
	x.overBudget = true
	x.w.Header().Set("Retry-After", strconv.Itoa(retryAfterSeconds(wait)))
	if warn {
		s.log.Warn("source over its budget of rejected requests: further ones are answered 429 and not recorded",
			"source", src.String(), "per_minute", s.rejects.perMin, "route", x.c.Route)
	}
	return false
}

// keepRejectedPrefix cuts a rejected request's recorded body to rejectedBodyKeep bytes.
func keepRejectedPrefix(c *capture.Capture) {
	if len(c.Body) > rejectedBodyKeep {
		c.Body, c.Truncated = c.Body[:rejectedBodyKeep:rejectedBodyKeep], true
	}
}

// answerUnrecorded answers an over-budget request 429 without recording it; the log line is at
// debug level, since a flood would otherwise fill the log instead of the store.
func (s *Server) answerUnrecorded(x *exchange) {
	x.c.Status = http.StatusTooManyRequests
	s.log.Debug("rejected request not recorded: source over budget", "path", x.c.Path, "peer", x.c.Peer)
	writeJSON(x.w, http.StatusTooManyRequests, bodyTooManyRejected)
}

// localUser reports a request made on this machine directly (loopback, not relayed by a proxy
// or the tunnel): the developer at the keyboard, who may send failing requests at will.
func localUser(src netip.Addr, r *http.Request) bool {
	return isLoopback(src) && r.Header.Get("X-Forwarded-For") == "" && r.Header.Get("Forwarded") == "" &&
		r.Header.Get("X-Real-Ip") == ""
}
