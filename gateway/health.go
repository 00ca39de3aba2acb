package gateway

import "sync"

// A forward target is down when its success rate over the last healthWindow attempts falls below
// healthThreshold, and up again when it recovers; each change emits
// target_down / target_up.
const (
	healthWindow    = 20
	healthThreshold = 0.7
	healthMinimum   = 5
)

type healthChange int

const (
	healthSame healthChange = iota
	healthDown
	healthUp
)

type targetHealth struct {
	mu      sync.Mutex
	targets map[string]*window
}

type window struct {
	results [healthWindow]bool
	n, next int
	down    bool
}

func newTargetHealth() *targetHealth { return &targetHealth{targets: map[string]*window{}} }

// healthReport is a transition with the numbers behind it.
type healthReport struct {
	change   healthChange
	rate     float64
	attempts int
}

// record adds one attempt's result and reports a transition, if any.
func (h *targetHealth) record(target string, ok bool) healthReport {
	h.mu.Lock()
	defer h.mu.Unlock()
	w := h.targets[target]
	if w == nil {
		w = &window{}
		h.targets[target] = w
	}
	w.results[w.next] = ok
	w.next = (w.next + 1) % healthWindow
	w.n = min(w.n+1, healthWindow)
	if w.n < healthMinimum {
		return healthReport{change: healthSame}
	}
	good := 0
	for i := 0; i < w.n; i++ {
		if w.results[i] {
			good++
		}
	}
	rep := healthReport{rate: float64(good) / float64(w.n), attempts: w.n}
	switch {
	case !w.down && rep.rate < healthThreshold:
		w.down, rep.change = true, healthDown
	case w.down && rep.rate >= healthThreshold:
		w.down, rep.change = false, healthUp
	}
	return rep
}
