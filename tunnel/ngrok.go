package tunnel

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"time"

	"golang.ngrok.com/ngrok/v2"

	"github.com/hooktap/hooktap/config"
)

// Option adjusts the ngrok tunnel; tests use them to keep every connection on loopback.
type Option func(*ngrokOptions)

type ngrokOptions struct {
	connectURL string
	dialer     ngrok.Dialer
	retryMin   time.Duration
	retryMax   time.Duration
	now        func() time.Time
}

// WithConnectURL points the agent at another ngrok ingress address (host:port).
func WithConnectURL(addr string) Option { return func(o *ngrokOptions) { o.connectURL = addr } }

// WithDialer sets how the agent opens its connection to ngrok.
func WithDialer(d ngrok.Dialer) Option { return func(o *ngrokOptions) { o.dialer = d } }

// HintNotStarted is the hint of an ngrok tunnel before Start.
const HintNotStarted = "ngrok tunnel not started"

// ngrokTunnel serves one handler through an embedded ngrok agent.
type ngrokTunnel struct {
	cfg    config.Tunnel
	logger *slog.Logger
	opts   ngrokOptions
	box    *statusBox

	ln      *listener
	mu      sync.Mutex
	started bool
	closed  bool
	cancel  context.CancelFunc
	done    chan struct{}
}

// NewNgrok returns the ngrok tunnel for cfg (cfg.Authtoken must hold the token).
func NewNgrok(cfg config.Tunnel, logger *slog.Logger, opts ...Option) Tunnel {
	o := ngrokOptions{retryMin: time.Second, retryMax: time.Minute, now: time.Now}
	for _, opt := range opts {
		opt(&o)
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &ngrokTunnel{
		cfg:    cfg,
		logger: logger.With("component", "tunnel"),
		opts:   o,
		ln:     newListener(),
		box:    newStatusBox(Status{State: StateOff, Hint: HintNotStarted}, o.now),
	}
}

func (t *ngrokTunnel) URL() string    { return t.box.get().URL }
func (t *ngrokTunnel) Status() Status { return t.box.get() }
func (t *ngrokTunnel) Subscribe(ctx context.Context) <-chan Status {
	return t.box.subscribe(ctx)
}

// Start checks the local settings, then connects in the background and returns at once with
// the listener the tunnel's connections arrive on.
func (t *ngrokTunnel) Start(ctx context.Context) (net.Listener, error) {
	policy, err := loadTrafficPolicy(t.cfg.TrafficPolicy)
	if err != nil {
		return nil, err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	switch {
	case t.closed:
		return nil, errors.New("tunnel: already closed")
	case t.started:
		return nil, errors.New("tunnel: already started")
	}
	t.started = true
	runCtx, cancel := context.WithCancel(ctx)
	t.cancel, t.done = cancel, make(chan struct{})
	t.box.set(Status{State: StateConnecting, Hint: "connecting to ngrok"})
	go t.run(runCtx, policy)
	return t.ln, nil
}

// Close stops serving, stops retries and waits for the background work to end.
func (t *ngrokTunnel) Close() error {
	t.mu.Lock()
	if t.closed {
		t.mu.Unlock()
		return nil
	}
	t.closed = true
	cancel, done := t.cancel, t.done
	t.mu.Unlock()
	_ = t.ln.Close()
	if cancel != nil {
		cancel()
		<-done
	}
	t.box.set(Status{State: StateOff, Hint: "tunnel closed"})
	return nil
}

// run brings the endpoint up and keeps it up, backing off between failed attempts, until ctx ends.
func (t *ngrokTunnel) run(ctx context.Context, policy string) {
	defer close(t.done)
	wait := t.opts.retryMin
	for {
		wasOnline, err := t.serveOnce(ctx, policy)
		if ctx.Err() != nil {
			return
		}
		if err == nil {
			// The gateway closed the listener (it is shutting down): nothing is served any more,
			// so there is nothing to reconnect for until Close.
			<-ctx.Done()
			return
		}
		if wasOnline {
			wait = t.opts.retryMin
		}
		t.fail(err, wait)
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		wait = min(2*wait, t.opts.retryMax)
	}
}

// fail records err as the tunnel's status and logs it.
func (t *ngrokTunnel) fail(err error, retryIn time.Duration) {
	reason, hint := explain(err)
	t.logger.Warn("ngrok tunnel down", "err", reason, "retry_in", retryIn)
	t.box.set(Status{State: StateError, Err: reason, Hint: hint})
}

// serveOnce connects, opens the endpoint and hands its connections to the tunnel's listener
// until the endpoint or ctx ends.
func (t *ngrokTunnel) serveOnce(ctx context.Context, policy string) (bool, error) {
	agent, err := ngrok.NewAgent(t.agentOptions(ctx)...)
	if err != nil {
		return false, fmt.Errorf("create ngrok agent: %w", err)
	}
	defer func() { _ = agent.Disconnect() }()
	ln, err := agent.Listen(ctx, t.endpointOptions(policy)...)
	if err != nil {
		return false, err
	}
	url := ln.URL().String()
	t.logger.Info("ngrok tunnel online", "url", url)
	t.box.set(Status{State: StateOnline, URL: url})

	stop := context.AfterFunc(ctx, func() { _ = ln.Close() })
	defer stop()
	err = t.ln.pump(ln)
	if ctx.Err() != nil || err == nil {
		return true, nil
	}
	return true, fmt.Errorf("ngrok endpoint closed: %w", err)
}

func (t *ngrokTunnel) agentOptions(ctx context.Context) []ngrok.AgentOption {
	opts := []ngrok.AgentOption{
		ngrok.WithAuthtoken(t.cfg.Authtoken),
		ngrok.WithClientInfo("hooktap", "1"),
		ngrok.WithLogger(libraryLogger(t.logger)),
		ngrok.WithEventHandler(t.onEvent(ctx)),
	}
	if t.opts.connectURL != "" {
		opts = append(opts, ngrok.WithAgentConnectURL(t.opts.connectURL))
	}
	if t.opts.dialer != nil {
		opts = append(opts, ngrok.WithDialer(t.opts.dialer))
	}
	return opts
}

func (t *ngrokTunnel) endpointOptions(policy string) []ngrok.EndpointOption {
	opts := []ngrok.EndpointOption{ngrok.WithDescription("hooktap gateway")}
	if t.cfg.URL != "" {
		opts = append(opts, ngrok.WithURL(t.cfg.URL))
	}
	if policy != "" {
		opts = append(opts, ngrok.WithTrafficPolicy(policy))
	}
	return opts
}

// onEvent turns the agent's session events into status: a failure before the endpoint is up is an
// error, a drop after it is a reconnect, and a new session after a drop is online again.
// The library calls it inline, so it must not block.
func (t *ngrokTunnel) onEvent(ctx context.Context) ngrok.EventHandler {
	return func(e ngrok.Event) {
		if ctx.Err() != nil {
			return
		}
		switch ev := e.(type) {
		case *ngrok.EventAgentDisconnected:
			if ev.Error != nil {
				t.sessionLost(ev.Error)
			}
		case *ngrok.EventAgentConnectSucceeded:
			t.box.update(func(s *Status) {
				if s.URL != "" {
					*s = Status{State: StateOnline, URL: s.URL}
				}
			})
		}
	}
}

func (t *ngrokTunnel) sessionLost(err error) {
	reason, hint := explain(err)
	t.box.update(func(s *Status) {
		if s.URL != "" {
			*s = Status{State: StateReconnecting, URL: s.URL, Err: reason, Hint: "session to ngrok lost; reconnecting"}
			return
		}
		*s = Status{State: StateError, Err: reason, Hint: hint}
	})
	t.logger.Debug("ngrok session lost", "err", reason)
}
