package craft

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/replay"
	"github.com/hooktap/hooktap/tui/common"
)

// variant is a negative test, one key away.
type variant int

const (
	variantNone variant = iota
	variantTamper
	variantStale
	variantDuplicate
	variantOversize
	variantBurst
)

var variantNames = map[variant]string{
	variantNone: "signed", variantTamper: "tampered", variantStale: "stale",
	variantDuplicate: "duplicate", variantOversize: "oversize", variantBurst: "burst",
}

// unsignedSecret signs events for targets that have no secret (a URL, an open route): the
// receiver does not check it, and the request still looks like the provider's.
const unsignedSecret = "hooktap-craft"

// sendTimeout bounds one send (a burst gets it once per request).
const sendTimeout = 30 * time.Second

// ErrNoReplayer explains why nothing is sent.
var ErrNoReplayer = errors.New("sending is not available: no replayer is running (start hooktap with its gateway)")

type result struct {
	variant variant
	event   string
	target  string
	answers []answer
	err     error
}

type answer struct {
	status  int
	verdict string
	id      string
}

type resultMsg struct{ result result }

func (r result) summary() string {
	head := fmt.Sprintf("%s %s → %s", variantNames[r.variant], r.event, r.target)
	if r.err != nil {
		return head + ": " + r.err.Error()
	}
	counts := map[int]int{}
	for _, a := range r.answers {
		counts[a.status]++
	}
	parts := make([]string, 0, len(counts))
	for _, a := range r.answers {
		if n, ok := counts[a.status]; ok {
			parts = append(parts, fmt.Sprintf("%d×%d", n, a.status))
			delete(counts, a.status)
		}
	}
	return head + ": " + strings.Join(parts, ", ")
}

func (m *Model) variantFor(msg tea.KeyPressMsg) (variant, bool) {
	k := m.common.Keys
	for v, b := range map[variant]key.Binding{variantTamper: k.Tamper, variantStale: k.Stale,
		variantDuplicate: k.Duplicate, variantOversize: k.Oversize, variantBurst: k.Burst} {
		if key.Matches(msg, b) {
			return v, true
		}
	}
	return variantNone, false
}

// send crafts and sends in a Cmd; the answer comes back as resultMsg.
func (m *Model) send(v variant) tea.Cmd {
	if m.replayer == nil {
		return common.Error(ErrNoReplayer)
	}
	if m.running {
		return common.Status("A send is still running.")
	}
	p, event := m.selected()
	opts, n := m.options(v)
	m.running = true
	rp, to, target := m.replayer, m.targetURL(), m.targetName()
	return tea.Sequence(common.Busy(fmt.Sprintf("Sending %s %s %s to %s…", variantNames[v], p.Name, event, target)),
		func() tea.Msg {
			answers, err := deliver(rp, p.Name, event, to, opts, v, n)
			return resultMsg{result: result{variant: v, event: p.Name + " " + event, target: target, answers: answers, err: err}}
		})
}

// options turns the variant into craft options using the target route's limits.
func (m *Model) options(v variant) (replay.CraftOptions, int) {
	o := replay.CraftOptions{Secret: unsignedSecret, Body: m.body, Now: m.common.Now()}
	eff := m.cfg.Gateway
	n := 1
	if r, ok := m.targetRoute(); ok {
		s := r.Effective(eff)
		if len(s.Secrets) > 0 {
			o.Secret = s.Secrets[0].Value
		}
		switch v {
		case variantStale:
			o.Stale = s.Tolerance + 10*time.Minute
		case variantOversize:
			o.OversizeTo = int(s.MaxBodyBytes) + 1
		case variantBurst:
			n = s.RateLimit + 5
		}
	}
	switch {
	case v == variantTamper:
		o.Tamper = true
	case v == variantStale && o.Stale == 0:
		o.Stale = time.Hour
	case v == variantOversize && o.OversizeTo == 0:
		o.OversizeTo = 2 << 20
	case v == variantBurst && n == 1:
		n = 50
	case v == variantDuplicate:
		n = 2
	}
	return o, n
}

// deliver sends n requests: one, a duplicate pair sharing a delivery id, or a concurrent burst.
func deliver(rp *replay.Replayer, provider, event, to string, o replay.CraftOptions, v variant, n int) ([]answer, error) {
	first, err := replay.Craft(provider, event, o)
	if err != nil {
		return nil, err
	}
	if v == variantDuplicate {
		o.DeliveryID = first.DeliveryID
	}
	answers := make([]answer, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		c := first
		if i > 0 {
			if c, err = replay.Craft(provider, event, o); err != nil {
				return nil, err
			}
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			answers[i], errs[i] = sendOne(rp, c, to)
		}()
		if v == variantDuplicate {
			// The duplicate must arrive second to be the one refused.
			wg.Wait()
		}
	}
	wg.Wait()
	return answers, errors.Join(errs...)
}

func sendOne(rp *replay.Replayer, c *replay.Crafted, to string) (answer, error) {
	ctx, cancel := context.WithTimeout(context.Background(), sendTimeout)
	defer cancel()
	got, err := rp.Send(ctx, c, to, capture.SourceCraft)
	if got == nil {
		return answer{}, err
	}
	return answer{status: got.Status, verdict: common.VerdictSymbol(got.Verification.Result), id: got.ID}, err
}
