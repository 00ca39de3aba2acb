package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

func TestParseFlagsPostgresStore(t *testing.T) {
	o, err := parseFlags([]string{"-store", "postgres://u@127.0.0.1:5432/db"})
	if err != nil || !isPostgres(o.store) {
		t.Fatalf("a PostgreSQL store alone: %+v, %v", o, err)
	}
	for _, args := range [][]string{
		{"-store", "postgres://u@127.0.0.1/db", "-profile", "cpu.out"},
		{"-store", "postgresql://u@127.0.0.1/db", "-fill", "10"},
		{"-store", "/some/dir"},
	} {
		if _, err := parseFlags(args); err == nil {
			t.Errorf("parseFlags(%q) accepted a combination it cannot run", args)
		}
	}
}

// The load is split over every instance and their answers merged into one result.
func TestSpreadLoadReachesEveryTarget(t *testing.T) {
	var hits [2]atomic.Int64
	var targets []target
	for i := range hits {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			hits[i].Add(1)
			w.WriteHeader(http.StatusAccepted)
		}))
		t.Cleanup(srv.Close)
		targets = append(targets, target{url: srv.URL, body: []byte("{}"), header: http.Header{}, seq: new(atomic.Uint64), limit: 40})
	}
	res := spreadLoad(context.Background(), targets, 3, time.Minute)
	if hits[0].Load() < 40 || hits[1].Load() < 40 || res.requests < 80 || res.errors != 0 || len(res.latencies) != res.requests {
		t.Fatalf("hits %d and %d, merged %d requests, %d errors, %d latencies", hits[0].Load(), hits[1].Load(),
			res.requests, res.errors, len(res.latencies))
	}
}
