package notify

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"
)

// maxResponseBody bounds how much of a target's answer is kept.
const maxResponseBody = 64 << 10

// maxRetryAfter caps a target's Retry-After so one answer cannot park a message for days.
const maxRetryAfter = 10 * time.Minute

// Attempt is one HTTP attempt to deliver a message.
type Attempt struct {
	N        int           `json:"attempt"`
	Status   int           `json:"status"`
	Error    string        `json:"error,omitempty"`
	Duration time.Duration `json:"duration_ns"`
	At       time.Time     `json:"at"`
}

// Result is the outcome of delivering one message to one webhook (all its attempts).
type Result struct {
	MessageID string    `json:"message_id"`
	WebhookID string    `json:"webhook_id"`
	Event     string    `json:"event"`
	Format    string    `json:"format"`
	Delivered bool      `json:"delivered"`
	Dead      bool      `json:"dead_lettered"`
	Status    int       `json:"status"`
	Error     string    `json:"error,omitempty"`
	Response  string    `json:"response,omitempty"`
	Attempts  []Attempt `json:"attempts"`
	Warnings  []Warning `json:"warnings,omitempty"`
}

// outcome is what one attempt learned: whether to stop, retry, and how long to wait at least.
type outcome struct {
	attempt    Attempt
	response   string
	ok         bool
	retryable  bool
	retryAfter time.Duration
}

// attempt posts the body once, signed afresh, within the per-attempt timeout, never following
// redirects (a 3xx could send the signed alert to another host).
func (d *Dispatcher) attempt(ctx context.Context, w Webhook, msgID string, body []byte, n int) outcome {
	ctx, cancel := context.WithTimeout(ctx, d.timeout)
	defer cancel()
	start := d.now()
	o := outcome{attempt: Attempt{N: n, At: start}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, bytes.NewReader(body))
	if err != nil {
		o.attempt.Error = err.Error()
		return o
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "hooktap-notify/1")
	for k, v := range w.Headers {
		req.Header.Set(k, v)
	}
	if w.Secret != "" {
		if err := signRequest(req.Header, w, msgID, body, d.now()); err != nil {
			o.attempt.Error = err.Error() // a bad secret will not get better on retry
			return o
		}
	}
	resp, err := d.client.Do(req)
	o.attempt.Duration = time.Since(start)
	if err != nil {
		o.attempt.Error = describeNetError(ctx, err, d.timeout)
		o.retryable = true
		return o
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, maxResponseBody))
	o.response = string(raw)
	o.attempt.Status = resp.StatusCode
	classify(&o, resp, d.now())
	return o
}

// classify decides from the answer: 2xx done; 408, 429 and 5xx retried (honouring Retry-After);
// 3xx and other 4xx are final.
func classify(o *outcome, resp *http.Response, now time.Time) {
	code := resp.StatusCode
	switch {
	case code >= 200 && code < 300:
		o.ok = true
	case code >= 300 && code < 400:
		o.attempt.Error = fmt.Sprintf("redirect to %q not followed", resp.Header.Get("Location"))
	case code == http.StatusRequestTimeout || code == http.StatusTooManyRequests || code >= 500:
		o.retryable = true
		o.retryAfter = parseRetryAfter(resp.Header.Get("Retry-After"), now)
		o.attempt.Error = http.StatusText(code)
	default:
		o.attempt.Error = http.StatusText(code) + " (not retried)"
	}
}

func describeNetError(ctx context.Context, err error, timeout time.Duration) string {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return fmt.Sprintf("no answer within %s", timeout)
	}
	return err.Error()
}

// parseRetryAfter reads seconds or an HTTP date; anything else means no hint.
func parseRetryAfter(v string, now time.Time) time.Duration {
	if v == "" {
		return 0
	}
	var d time.Duration
	if secs, err := strconv.Atoi(v); err == nil {
		d = time.Duration(secs) * time.Second
	} else if t, err := http.ParseTime(v); err == nil {
		d = t.Sub(now)
	}
	return min(max(d, 0), maxRetryAfter)
}

// backoff is the wait before attempt n+1: the policy's base with equal jitter (half fixed, half
// random, so a burst of failures does not retry in lockstep), never shorter than Retry-After.
func backoff(r Retry, n int, retryAfter time.Duration, jitter func(time.Duration) time.Duration) time.Duration {
	initial, err := time.ParseDuration(r.Initial)
	if err != nil || initial < 0 {
		initial = DefaultInitial
	}
	var base time.Duration
	switch r.Backoff {
	case "none":
		base = 0
	case "linear":
		base = initial * time.Duration(n)
	default:
		base = initial << min(n-1, 20)
	}
	wait := base/2 + jitter(base-base/2)
	return max(wait, retryAfter)
}

// randomJitter returns a random duration in [0, d].
func randomJitter(d time.Duration) time.Duration {
	if d <= 0 {
		return 0
	}
	return rand.N(d + 1)
}

// sleepContext waits d or until ctx ends.
func sleepContext(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
