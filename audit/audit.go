// Package audit grades a webhook endpoint the way its provider would exercise it: it sends a
// battery of crafted deliveries (correctly signed, tampered, unsigned, wrongly signed, signed
// over re-serialised JSON, stale, duplicated, oversized, a burst) and reports, per check, what
// the endpoint answered, what a failure means and how to fix it.
//
// The package knows nothing of the terminal: the CLI, the TUI and the MCP tool all call Run and
// render the Scorecard their own way.
package audit

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/replay"
)

// Sender delivers one crafted request and returns the endpoint's answer as a capture.
// replay.Replayer records every exchange in the capture store; replay.Direct records nothing.
type Sender interface {
	Send(ctx context.Context, c *replay.Crafted, to string, source capture.Source) (*capture.Capture, error)
}

// Options say which endpoint to grade and how.
type Options struct {
	// URL is the endpoint under test.
	URL string
	// Provider is the provider the endpoint receives from (see replay.Providers).
	Provider string
	// Event is the provider event to send; "" picks a common one.
	Event string
	// Secret is the endpoint's signing secret (discord: the hex Ed25519 private key seed whose
	// public key the endpoint holds).
	Secret string
	// SignedURL is the URL Twilio signs when it differs from URL (a tunnel's public URL).
	SignedURL string
	// Timeout is how long the provider waits for an answer; zero means its documented timeout.
	Timeout time.Duration
	// Burst is how many deliveries the burst check sends at once; zero means 20.
	Burst int
	// OversizeBytes is the body size of the oversized check; zero means 5 MiB.
	OversizeBytes int
	// Sender sends each delivery; nil means replay.Direct (nothing recorded).
	Sender Sender
	// Progress, when set, is called with each check as it finishes.
	Progress func(Check)
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Defaults of the options left zero.
const (
	DefaultBurst         = 20
	DefaultOversizeBytes = 5 << 20
	// staleBy is how old the stale check's signature is: past every provider's tolerance.
	staleBy = 10 * time.Minute
)

// ErrBadOptions is wrapped by the errors Run returns before sending anything.
var ErrBadOptions = errors.New("audit")

// Run sends the battery to o.URL and returns the scorecard. It returns an error only when the
// options are unusable; an endpoint that cannot be reached gives a scorecard whose checks fail.
func Run(ctx context.Context, o Options) (*Scorecard, error) {
	r, err := newRunner(o)
	if err != nil {
		return nil, err
	}
	return r.run(ctx), nil
}

// runner holds one audit's resolved options.
type runner struct {
	o       Options
	prof    profile
	scheme  string
	event   string
	timeout time.Duration
	now     func() time.Time
	// latencies are the accepted answers so far, for the speed check.
	latencies []Answer
}

func newRunner(o Options) (*runner, error) {
	if u, err := url.Parse(o.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("%w: %q is not an http(s) URL", ErrBadOptions, o.URL)
	}
	p, ok := providerByName(o.Provider)
	if !ok {
		return nil, fmt.Errorf("%w: unknown provider %q; valid providers: %s", ErrBadOptions, o.Provider, providerNames())
	}
	if o.Secret == "" {
		return nil, fmt.Errorf("%w: no secret: pass the endpoint's %s signing secret", ErrBadOptions, p.prof.title)
	}
	r := &runner{o: o, prof: p.prof, scheme: p.Scheme, event: o.Event, timeout: o.Timeout, now: o.Now}
	if r.event == "" {
		r.event = p.prof.defaultEvent
	}
	if _, err := replay.Fixture(p.Name, r.event); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadOptions, err)
	}
	if r.timeout <= 0 {
		r.timeout = p.prof.timeout
	}
	if r.o.Burst <= 0 {
		r.o.Burst = DefaultBurst
	}
	if r.o.OversizeBytes <= 0 {
		r.o.OversizeBytes = DefaultOversizeBytes
	}
	if r.o.Sender == nil {
		r.o.Sender = replay.Direct{Timeout: r.timeout}
	}
	if r.now == nil {
		r.now = time.Now
	}
	return r, nil
}

// run performs every check in order; once the endpoint proves unreachable the rest are skipped.
func (r *runner) run(ctx context.Context) *Scorecard {
	sc := &Scorecard{URL: r.o.URL, Provider: r.o.Provider, Event: r.event, Scheme: r.scheme,
		Timeout: r.timeout, TimeoutMS: ms(r.timeout), Retry: r.prof.retry, StartedAt: r.now()}
	unreachable := false
	for _, spec := range battery {
		var c Check
		switch {
		case unreachable:
			c = spec.notRun(r, "the endpoint could not be reached")
		case ctx.Err() != nil:
			c = spec.notRun(r, "the audit was cancelled")
		default:
			c = r.runCheck(ctx, spec)
		}
		if spec.id == checkSigned && c.Status == Fail && c.unreachable {
			unreachable = true
		}
		sc.Checks = append(sc.Checks, c)
		if r.o.Progress != nil {
			r.o.Progress(c)
		}
	}
	sc.finish(r.now())
	return sc
}

// runCheck runs one check, or skips it when it does not apply to the scheme.
func (r *runner) runCheck(ctx context.Context, spec checkSpec) Check {
	if why := spec.skip(r); why != "" {
		return spec.skipped(why)
	}
	c := spec.run(ctx, r)
	c.ID, c.Title, c.Required = spec.id, spec.title, spec.required(r)
	return c
}
