package audit

import (
	"slices"
	"time"
)

// Status is a check's outcome.
type Status string

// The outcomes of a check.
const (
	Pass Status = "pass"
	Fail Status = "fail"
	// Warn is a finding that does not fail the audit (a slow answer, an unbounded body).
	Warn Status = "warn"
	// Skip is a check that does not apply to the provider's scheme, or could not run.
	Skip Status = "skip"
)

// Mark is the scorecard's symbol for a status.
func (s Status) Mark() string {
	switch s {
	case Pass:
		return "✓"
	case Fail:
		return "✗"
	case Warn:
		return "!"
	}
	return "–"
}

// Answer is what the endpoint answered to one delivery of a check.
type Answer struct {
	// Status is the HTTP status; 0 when no answer came.
	Status    int           `json:"status"`
	Latency   time.Duration `json:"-"`
	LatencyMS float64       `json:"latency_ms"`
	// Error says why no answer came (refused, timed out, connection dropped).
	Error string `json:"error,omitempty"`
	// CaptureID is the request's capture in the store, when the sender records.
	CaptureID  string `json:"capture_id,omitempty"`
	DeliveryID string `json:"delivery_id,omitempty"`

	body    []byte // the answer's body, for the handshake check
	refused bool   // the connection itself failed
}

func (a Answer) is2xx() bool { return a.Error == "" && a.Status >= 200 && a.Status < 300 }
func (a Answer) is4xx() bool { return a.Error == "" && a.Status >= 400 && a.Status < 500 }

// Latency sums up the answer times of a check that sends several deliveries.
type Latency struct {
	P50   time.Duration `json:"-"`
	P99   time.Duration `json:"-"`
	Max   time.Duration `json:"-"`
	P50MS float64       `json:"p50_ms"`
	P99MS float64       `json:"p99_ms"`
	MaxMS float64       `json:"max_ms"`
}

// Check is one line of the scorecard.
type Check struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	// Required checks decide the exit status; the others only warn.
	Required bool   `json:"required"`
	Status   Status `json:"status"`
	// Expect is the answer a correct endpoint gives; Got is what this one gave.
	Expect string `json:"expect"`
	Got    string `json:"got"`
	// Meaning explains a failure or warning; Fix says what to change.
	Meaning string   `json:"meaning,omitempty"`
	Fix     string   `json:"fix,omitempty"`
	Answers []Answer `json:"answers,omitempty"`
	Latency *Latency `json:"latency,omitempty"`

	unreachable bool
}

// Scorecard is an audit's result.
type Scorecard struct {
	URL       string        `json:"url"`
	Provider  string        `json:"provider"`
	Event     string        `json:"event"`
	Scheme    string        `json:"scheme"`
	Timeout   time.Duration `json:"-"`
	TimeoutMS float64       `json:"timeout_ms"`
	// Retry is what the provider does with a delivery that fails or times out.
	Retry      string    `json:"provider_retry"`
	StartedAt  time.Time `json:"started_at"`
	DurationMS float64   `json:"duration_ms"`
	Checks     []Check   `json:"checks"`
	// Passed is true when every required check passed: the audit's exit status is 0.
	Passed         bool `json:"passed"`
	RequiredPassed int  `json:"required_passed"`
	RequiredTotal  int  `json:"required_total"`
	Warnings       int  `json:"warnings"`
}

func (s *Scorecard) finish(end time.Time) {
	s.DurationMS = ms(end.Sub(s.StartedAt))
	s.Passed = true
	for _, c := range s.Checks {
		if c.Status == Warn {
			s.Warnings++
		}
		if !c.Required {
			continue
		}
		s.RequiredTotal++
		if c.Status == Pass {
			s.RequiredPassed++
		} else {
			s.Passed = false
		}
	}
}

// CaptureIDs lists the captures of every delivery the audit sent, in order.
func (s *Scorecard) CaptureIDs() []string {
	var ids []string
	for _, c := range s.Checks {
		for _, a := range c.Answers {
			if a.CaptureID != "" {
				ids = append(ids, a.CaptureID)
			}
		}
	}
	return ids
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// latencyOf computes percentiles over the answers that came.
func latencyOf(answers []Answer) *Latency {
	var ds []time.Duration
	for _, a := range answers {
		if a.Error == "" {
			ds = append(ds, a.Latency)
		}
	}
	if len(ds) == 0 {
		return nil
	}
	slices.Sort(ds)
	pick := func(q float64) time.Duration { return ds[min(len(ds)-1, int(q*float64(len(ds))))] }
	l := &Latency{P50: pick(0.50), P99: pick(0.99), Max: ds[len(ds)-1]}
	l.P50MS, l.P99MS, l.MaxMS = ms(l.P50), ms(l.P99), ms(l.Max)
	return l
}
