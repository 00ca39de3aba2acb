package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"runtime/pprof"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// target is what the generator sends: one URL, one body, headers per request.
type target struct {
	url    string
	body   []byte
	header http.Header // copied into every request
	// seq numbers requests across every run against this target, so delivery ids never repeat.
	seq       *atomic.Uint64
	seqHdr    string // header that carries prefix+seq (X-GitHub-Delivery); "" for none
	seqPrefix string
	// limit stops the run after this many requests in all (0: only the duration bounds it).
	limit uint64
}

// result is one closed-loop run: every completed request, its latency and whether it failed.
type result struct {
	conns      int
	requests   int
	errors     int
	elapsed    time.Duration
	latencies  []time.Duration // sorted
	firstError string
	// fixed holds percentiles reported by an outside client (wrk) that keeps no latencies here.
	fixed map[float64]time.Duration
}

// rps is completed requests per second of wall time.
func (r result) rps() float64 {
	if r.elapsed <= 0 {
		return 0
	}
	return float64(r.requests) / r.elapsed.Seconds()
}

// percentile returns the p-th percentile (0 < p <= 100) latency by nearest rank, 0 when empty.
func (r result) percentile(p float64) time.Duration {
	if d, ok := r.fixed[p]; ok {
		return d
	}
	n := len(r.latencies)
	if n == 0 {
		return 0
	}
	rank := int(float64(n)*p/100+0.999999) - 1
	return r.latencies[min(max(rank, 0), n-1)]
}

// worker is one connection's tally; merged after the run so the hot loop shares nothing.
type worker struct {
	latencies  []time.Duration
	errors     int
	firstError string
}

// runLoad drives t with conns concurrent closed-loop clients (each sends its next request as soon
// as the previous answer is read) for d, over keep-alive connections, and tallies the answers.
// Any answer outside 2xx and any transport error counts as an error.
func runLoad(ctx context.Context, t target, conns int, d time.Duration) result {
	tr := &http.Transport{MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns, DisableCompression: true,
		IdleConnTimeout: time.Minute}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 10 * time.Second}
	workers := make([]worker, conns)
	deadline := time.Now().Add(d)
	start := time.Now()
	var wg sync.WaitGroup
	for i := range workers {
		wg.Go(func() {
			// The label lets a CPU profile of an in-process run drop the generator's own samples.
			pprof.Do(ctx, pprof.Labels("side", "client"), func(ctx context.Context) {
				workers[i].loop(ctx, client, t, deadline)
			})
		})
	}
	wg.Wait()
	return merge(conns, workers, time.Since(start))
}

func (w *worker) loop(ctx context.Context, client *http.Client, t target, deadline time.Time) {
	w.latencies = make([]time.Duration, 0, 4096)
	for ctx.Err() == nil && time.Now().Before(deadline) {
		n := t.seq.Add(1)
		if t.limit > 0 && n > t.limit {
			return
		}
		began := time.Now()
		err := send(ctx, client, t, n)
		w.latencies = append(w.latencies, time.Since(began))
		if err != nil {
			w.errors++
			if w.firstError == "" {
				w.firstError = err.Error()
			}
			if isTransport(err) {
				time.Sleep(10 * time.Millisecond) // a dead server must not turn the loop into a spin
			}
		}
	}
}

// statusError is a completed exchange answered outside 2xx.
type statusError struct {
	status int
	body   string
}

func (e statusError) Error() string { return fmt.Sprintf("HTTP %d: %s", e.status, e.body) }

func isTransport(err error) bool {
	_, ok := err.(statusError)
	return !ok
}

// send posts t's body once; n is the request's number, sent in t.seqHdr when there is one.
func send(ctx context.Context, client *http.Client, t target, n uint64) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, t.url, bytes.NewReader(t.body))
	if err != nil {
		return err
	}
	for k, v := range t.header {
		req.Header[k] = v
	}
	if t.seqHdr != "" {
		req.Header.Set(t.seqHdr, t.seqPrefix+strconv.FormatUint(n, 10))
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 200))
		return statusError{status: resp.StatusCode, body: string(b)}
	}
	// Reading to EOF returns the connection to the pool for the next request.
	_, err = io.Copy(io.Discard, resp.Body)
	return err
}

func merge(conns int, workers []worker, elapsed time.Duration) result {
	r := result{conns: conns, elapsed: elapsed}
	for _, w := range workers {
		r.latencies = append(r.latencies, w.latencies...)
		r.errors += w.errors
		if r.firstError == "" {
			r.firstError = w.firstError
		}
	}
	r.requests = len(r.latencies)
	slices.Sort(r.latencies)
	return r
}
