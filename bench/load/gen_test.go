package main

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// recorder is a receiver that checks what the generator sends: every 10th delivery is slow,
// every 50th is answered 500, and a bad signature is answered 401.
type recorder struct {
	secret string
	mu     sync.Mutex
	seen   map[string]int
	bad    int
}

func (rc *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	mac := hmac.New(sha256.New, []byte(rc.secret))
	mac.Write(body)
	want := "sha256=" + hex.EncodeToString(mac.Sum(nil))
	id := r.Header.Get("X-GitHub-Delivery")
	rc.mu.Lock()
	rc.seen[id]++
	if r.Header.Get("X-Hub-Signature-256") != want || r.Header.Get("X-GitHub-Event") != "push" {
		rc.bad++
	}
	rc.mu.Unlock()
	n, _ := strconv.Atoi(id[strings.LastIndexByte(id, '-')+1:])
	if n%10 == 0 {
		time.Sleep(20 * time.Millisecond)
	}
	if n%50 == 0 {
		w.WriteHeader(http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusAccepted)
}

func TestRunLoadCountsAndPercentiles(t *testing.T) {
	rc := &recorder{secret: "s3cret", seen: map[string]int{}}
	srv := httptest.NewServer(rc)
	defer srv.Close()
	var seq atomic.Uint64
	tgt := githubTarget(srv.URL+"/webhooks/github", rc.secret, &seq)
	tgt.limit = 200
	res := runLoad(context.Background(), tgt, 4, 10*time.Second)

	if res.requests != 200 || len(rc.seen) != 200 {
		t.Fatalf("requests = %d, distinct deliveries received = %d, want 200 and 200", res.requests, len(rc.seen))
	}
	if rc.bad != 0 {
		t.Errorf("%d requests arrived with a wrong signature or event", rc.bad)
	}
	if res.errors != 4 || !strings.Contains(res.firstError, "HTTP 500") {
		t.Errorf("errors = %d (first %q), want the 4 answered 500", res.errors, res.firstError)
	}
	if p50 := res.percentile(50); p50 >= 20*time.Millisecond {
		t.Errorf("p50 = %s, want below the 20ms of the slow tenth", p50)
	}
	if p99 := res.percentile(99); p99 < 20*time.Millisecond {
		t.Errorf("p99 = %s, want at least the 20ms of the slow tenth", p99)
	}
	if res.rps() <= 0 || res.elapsed > 10*time.Second {
		t.Errorf("rps = %.0f over %s", res.rps(), res.elapsed)
	}
}

func TestRunLoadDeadServerIsErrorsNotSpin(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	var seq atomic.Uint64
	res := runLoad(context.Background(), githubTarget(url, "s", &seq), 2, 200*time.Millisecond)
	if res.requests == 0 || res.errors != res.requests {
		t.Fatalf("requests %d errors %d: every request to a closed port must be an error", res.requests, res.errors)
	}
	if res.requests > 200 {
		t.Errorf("%d attempts in 200ms: the loop spins on a dead server", res.requests)
	}
}

func TestPercentile(t *testing.T) {
	ms := func(ns ...int) []time.Duration {
		out := make([]time.Duration, len(ns))
		for i, n := range ns {
			out[i] = time.Duration(n) * time.Millisecond
		}
		return out
	}
	tests := []struct {
		name string
		lat  []time.Duration
		p    float64
		want time.Duration
	}{
		{"empty", nil, 50, 0},
		{"one", ms(7), 99, 7 * time.Millisecond},
		{"median of ten", ms(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 50, 5 * time.Millisecond},
		{"p99 of ten is the max", ms(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 99, 10 * time.Millisecond},
		{"p100", ms(1, 2, 3), 100, 3 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := (result{latencies: tt.lat}).percentile(tt.p); got != tt.want {
				t.Errorf("percentile(%v) = %s, want %s", tt.p, got, tt.want)
			}
		})
	}
}
