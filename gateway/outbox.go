package gateway

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/config"
)

// Outbox delivery policy. A target that stays down is retried for about an hour before the
// entry is dead-lettered; `hooktap deliveries retry` brings it back.
const (
	outboxWorkers     = 8
	outboxMaxAttempts = 15
	outboxFirstWait   = time.Second
	outboxMaxWait     = 10 * time.Minute
	// outboxPoll bounds how long an idle deliverer waits before looking again: entries other
	// processes queued, retried from the CLI, or whose holder died and whose lease ran out.
	outboxPoll = time.Second
	// outboxLease is how long a claim lasts unless renewed. A live deliverer renews its claims
	// every outboxRenewEvery, however long an attempt takes, so an instance that dies (kill -9,
	// a lost host) holds its entries at most this long before another instance takes them.
	outboxLease      = 45 * time.Second
	outboxRenewEvery = 15 * time.Second
)

// deliverer drains the outbox with a fixed pool: however slow the targets, at most
// outboxWorkers captures are in memory and in flight at once; the rest wait on disk.
type deliverer struct {
	s     *Server
	box   capture.Outbox
	owner string
	wakeC chan struct{}
}

func newDeliverer(s *Server) *deliverer {
	host, _ := os.Hostname()
	return &deliverer{s: s, box: s.store, wakeC: make(chan struct{}, 1),
		owner: fmt.Sprintf("%s/%d/%s", host, os.Getpid(), newToken()[:8])}
}

// wake tells the deliverer new work was committed; it never blocks.
func (d *deliverer) wake() {
	select {
	case d.wakeC <- struct{}{}:
	default:
	}
}

// run delivers until ctx ends; then it stops claiming, interrupts in-flight attempts (their
// entries are handed back unleased, to be resumed at the next start) and returns.
func (d *deliverer) run(ctx context.Context) {
	d.reclaimDeadOwners(ctx)
	var wg sync.WaitGroup
	defer wg.Wait()
	wg.Add(1)
	go func() { defer wg.Done(); d.keepLeases(ctx) }()
	free := make(chan struct{}, outboxWorkers)
	for range outboxWorkers {
		free <- struct{}{}
	}
	for ctx.Err() == nil {
		entries := d.claim(ctx, len(free))
		for _, e := range entries {
			<-free
			wg.Add(1)
			go func() {
				defer func() { free <- struct{}{}; wg.Done(); d.wake() }()
				d.deliver(ctx, e)
			}()
		}
		if len(entries) == 0 || len(free) == 0 {
			d.sleep(ctx)
		}
	}
}

func (d *deliverer) claim(ctx context.Context, n int) []capture.OutboxEntry {
	if n == 0 {
		return nil
	}
	entries, err := d.box.ClaimOutbox(ctx, d.owner, n, outboxLease)
	if err != nil && ctx.Err() == nil && !errors.Is(err, capture.ErrClosed) {
		d.s.log.Error("outbox claim failed", "err", err)
	}
	return entries
}

// keepLeases renews this deliverer's claims while it runs, and takes back the claims of
// processes on this host that are gone, so a sibling instance's kill -9 costs no lease wait.
func (d *deliverer) keepLeases(ctx context.Context) {
	t := time.NewTicker(outboxRenewEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if _, err := d.box.ExtendOutboxLeases(ctx, d.owner, outboxLease); err != nil && ctx.Err() == nil &&
			!errors.Is(err, capture.ErrClosed) {
			d.s.log.Error("outbox leases not renewed", "err", err)
		}
		d.reclaimDeadOwners(ctx)
	}
}

// sleep waits for a wake, the next due entry, or the poll interval, whichever is first.
func (d *deliverer) sleep(ctx context.Context) {
	wait := outboxPoll
	if next, err := d.box.NextOutboxDue(ctx); err == nil && !next.IsZero() {
		wait = min(wait, max(time.Until(next), time.Millisecond))
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-d.wakeC:
	case <-t.C:
	}
}

// deliver makes one attempt on a claimed entry and settles it.
func (d *deliverer) deliver(ctx context.Context, e capture.OutboxEntry) {
	st := d.attempt(ctx, e)
	if ctx.Err() != nil && !st.Delivered {
		st = capture.Settlement{Interrupted: true}
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), saveTimeout)
	defer cancel()
	if err := d.box.SettleOutbox(sctx, e, d.owner, st); err != nil {
		d.s.log.Error("outbox entry not settled", "id", e.ID, "capture", e.CaptureID, "err", err)
	}
}

func (d *deliverer) attempt(ctx context.Context, e capture.OutboxEntry) capture.Settlement {
	c, err := d.s.store.Get(ctx, e.CaptureID)
	if err != nil {
		if errors.Is(err, capture.ErrNotFound) {
			return capture.Settlement{Dead: true, LastError: "capture no longer in the store"}
		}
		return d.retryLater(e, 0, "read capture: "+err.Error())
	}
	attempts := d.s.deliverNow(ctx, c, d.s.outboxRoute(e), e.Attempts+1)
	fail := deliveryFailed(attempts)
	if fail == "" {
		return capture.Settlement{Attempts: attempts, Delivered: true}
	}
	last := attempts[len(attempts)-1]
	st := d.retryLater(e, last.Status, fail)
	st.Attempts = attempts
	if !retryable(last) {
		st.Dead = true
	}
	return st
}

// retryLater schedules the next attempt with exponential backoff and jitter, or gives up.
func (d *deliverer) retryLater(e capture.OutboxEntry, status int, reason string) capture.Settlement {
	st := capture.Settlement{LastStatus: status, LastError: reason}
	if e.Attempts+1 >= outboxMaxAttempts {
		st.Dead = true
		return st
	}
	wait := min(outboxFirstWait<<min(e.Attempts, 20), outboxMaxWait)
	wait += time.Duration(rand.Int64N(int64(wait/5) + 1))
	st.NextAt = d.s.now().Add(wait)
	return st
}

// retryable: network errors, timeouts, 408, 425, 429 and 5xx may pass later; another 4xx is the
// target refusing this request, so retrying it would only repeat the answer.
func retryable(last capture.Delivery) bool {
	if last.Error != "" {
		return true
	}
	switch {
	case last.Status >= 500, last.Status == http.StatusRequestTimeout, last.Status == http.StatusTooEarly,
		last.Status == http.StatusTooManyRequests:
		return true
	}
	return last.Status < 400
}

// outboxRoute is the route an entry is delivered with: today's route of that name (for its
// headers and timeout), aimed at the targets recorded when the request was accepted; a route
// removed since still gets its delivery.
func (s *Server) outboxRoute(e capture.OutboxEntry) *route {
	rt := &route{cfg: config.Route{Name: e.Route}}
	if cur := s.table.Load().byName[e.Route]; cur != nil {
		cp := *cur
		rt = &cp
	}
	rt.cfg.Deliver = e.Kind
	rt.cfg.DeliverExtra.URL, rt.cfg.DeliverExtra.BackupURL = e.Target, e.Backup
	return rt
}
