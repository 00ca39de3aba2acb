// Package remote reads a running hooktap through its admin API: Client implements
// capture.Reader (get, list, count, the live stream over server-sent events, route pins, a
// capture's outbox) and capture.OutboxAdmin, and runs replays and the signature doctor on the
// server. `hooktap attach` and the `--remote` flags use it; the admin API stays on the server's
// loopback, reached over an SSH tunnel (`ssh -L 8645:127.0.0.1:8645 server`).
package remote

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/hooktap/hooktap/capture"
)

// Bounds on what the client waits for and reads.
const (
	// DefaultTimeout bounds one ordinary request.
	DefaultTimeout = 30 * time.Second
	// replayTimeout bounds a replay, which waits for the gateway and its delivery target.
	replayTimeout = 2 * time.Minute
	// maxAnswer bounds one answer: a capture carries its body twice (base64 and text).
	maxAnswer = 64 << 20
	// maxErrorAnswer bounds the body read from an error answer.
	maxErrorAnswer = 64 << 10
)

// ErrUnauthorized means the admin API wants a bearer token, or another one.
var ErrUnauthorized = errors.New("the admin API refused the token: pass --token or set HOOKTAP_ADMIN_TOKEN to the server's admin.token")

// Options tune a Client.
type Options struct {
	// Token is the server's admin.token, sent as a bearer token ("" sends none).
	Token string
	// Timeout bounds each ordinary request (DefaultTimeout when zero).
	Timeout time.Duration
	// Reveal asks for credentials in clear; otherwise the server masks them.
	Reveal bool
	// Logger receives stream reconnects (discarded when nil).
	Logger *slog.Logger
	// Transport carries the requests (http.DefaultTransport's settings when nil).
	Transport http.RoundTripper
	// OnStream, when set, hears when the live stream breaks (Connected false, with why) and
	// when it is back after a break; it must not block.
	OnStream func(StreamState)
}

// StreamState is a change of the live stream's connection.
type StreamState struct {
	Connected bool
	Err       error
}

// Client talks to one hooktap's admin API.
type Client struct {
	base    string
	token   string
	reveal  bool
	timeout time.Duration
	http    *http.Client
	log     *slog.Logger
	notify  func(StreamState)

	broker     capture.Broker
	streamOnce sync.Once
	stop       context.CancelFunc
	done       chan struct{}
	// Stream timing, shortened by tests of the reconnect.
	idle                   time.Duration
	minBackoff, maxBackoff time.Duration
}

// New returns a client of the admin API at base ("http://127.0.0.1:8645").
func New(base string, o Options) (*Client, error) {
	u, err := url.Parse(strings.TrimSpace(base))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("remote %q: want the admin API's URL, e.g. http://127.0.0.1:8645 (through `ssh -L 8645:127.0.0.1:8645 server`)", base)
	}
	if u.User != nil {
		return nil, fmt.Errorf("remote %q: give the token with --token or HOOKTAP_ADMIN_TOKEN, not in the URL", u.Redacted())
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	log := o.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	tr := o.Transport
	if tr == nil {
		tr = http.DefaultTransport
	}
	return &Client{
		base: strings.TrimRight(u.Scheme+"://"+u.Host+u.Path, "/"), token: o.Token, reveal: o.Reveal,
		timeout: o.Timeout, http: &http.Client{Transport: tr}, log: log, notify: o.OnStream, done: make(chan struct{}),
		idle: 45 * time.Second, minBackoff: 500 * time.Millisecond, maxBackoff: 15 * time.Second,
	}, nil
}

// URL is the admin API's base URL, for titles and messages.
func (c *Client) URL() string { return c.base }

// Close stops the live stream and closes every subscription.
func (c *Client) Close() error {
	started := false
	c.streamOnce.Do(func() {}) // a Subscribe after Close starts nothing
	if c.stop != nil {
		c.stop()
		started = true
	}
	if started {
		<-c.done
	}
	c.broker.CloseAll()
	return nil
}

// apiError is the admin API's error answer.
type apiError struct {
	Message    string   `json:"error"`
	Param      string   `json:"param"`
	Candidates []string `json:"candidates"`
}

// StatusError is an answer other than 2xx, with the server's message.
type StatusError struct {
	Status  int
	Message string
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("hooktap's admin API answered %d: %s", e.Status, e.Message)
}

// call sends one request with the client's timeout (or ctx's, when shorter) and decodes a 2xx
// JSON answer into out. A 404 is capture.ErrNotFound, a 409 a capture.AmbiguousError for idHint.
func (c *Client) call(ctx context.Context, method, path string, q url.Values, in, out any, idHint string) error {
	ctx, cancel := context.WithTimeout(ctx, c.timeoutFor(method, path))
	defer cancel()
	resp, err := c.do(ctx, method, path, q, in)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return c.failure(resp, idHint)
	}
	if out == nil {
		return nil
	}
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer+1))
	if err != nil {
		return fmt.Errorf("read %s %s from %s: %w", method, path, c.base, err)
	}
	if len(raw) > maxAnswer {
		return fmt.Errorf("%s %s: the answer is larger than %d MiB", method, path, maxAnswer>>20)
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return fmt.Errorf("%s %s: the answer is not what a hooktap admin API sends (%v); is %s a hooktap admin address?", method, path, err, c.base)
	}
	return nil
}

// shown adds reveal=1 to q when the client asks for credentials in clear (only the endpoints
// that mask take it).
func (c *Client) shown(q url.Values) url.Values {
	if q == nil {
		q = url.Values{}
	}
	if c.reveal {
		q.Set("reveal", "1")
	}
	return q
}

func (c *Client) timeoutFor(method, path string) time.Duration {
	if method == http.MethodPost && strings.HasSuffix(path, "/replay") && c.timeout < replayTimeout {
		return replayTimeout
	}
	return c.timeout
}

// do builds and sends a request; a transport failure names the address and the usual cause.
func (c *Client) do(ctx context.Context, method, path string, q url.Values, in any) (*http.Response, error) {
	target := c.base + path
	if len(q) > 0 {
		target += "?" + q.Encode()
	}
	var body io.Reader
	if in != nil {
		raw, err := json.Marshal(in)
		if err != nil {
			return nil, err
		}
		body = bytes.NewReader(raw)
	}
	req, err := http.NewRequestWithContext(ctx, method, target, body)
	if err != nil {
		return nil, fmt.Errorf("remote request: %w", err)
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		if ctx.Err() != nil && errors.Is(err, context.DeadlineExceeded) {
			return nil, fmt.Errorf("hooktap's admin API at %s did not answer %s %s in time: %w", c.base, method, path, err)
		}
		return nil, fmt.Errorf("cannot reach hooktap's admin API at %s (is `hooktap serve` running there, and the ssh -L tunnel up?): %w", c.base, err)
	}
	return resp, nil
}

// failure turns an error answer into an error a caller can test (ErrNotFound, AmbiguousError,
// ErrUnauthorized) or read.
func (c *Client) failure(resp *http.Response, idHint string) error {
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorAnswer))
	var e apiError
	if json.Unmarshal(raw, &e) != nil || e.Message == "" {
		e.Message = strings.TrimSpace(string(raw))
		if e.Message == "" {
			e.Message = http.StatusText(resp.StatusCode)
		}
	}
	switch resp.StatusCode {
	case http.StatusUnauthorized:
		return ErrUnauthorized
	case http.StatusNotFound:
		if idHint != "" {
			return capture.ErrNotFound
		}
	case http.StatusConflict:
		if len(e.Candidates) > 0 {
			return &capture.AmbiguousError{Prefix: idHint, Candidates: e.Candidates}
		}
	}
	return &StatusError{Status: resp.StatusCode, Message: e.Message}
}
