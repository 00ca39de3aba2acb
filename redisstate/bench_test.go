package redisstate_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hooktap/hooktap/internal/redistest"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/config"
	"github.com/hooktap/hooktap/gateway"
)

// BenchmarkSharedState is what team mode adds to each accepted request: the route's rate limit
// (GCRA script), the reservation of its delivery id (SET NX PX script) and its commit (compare-
// and-set script) — three round trips to Redis, one after another as the gateway makes them.
func BenchmarkSharedState(b *testing.B) {
	rawURL, _ := redistest.URL(b)
	st := open(b, rawURL)
	lim := st.Limiter("bench", 1_000_000_000)
	ctx := context.Background()
	var n atomic.Int64
	step := func() {
		now := time.Now()
		if ok, _, err := lim.Allow(ctx, now); err != nil || !ok {
			b.Fatalf("limit: %v %v", ok, err)
		}
		key := "bench/" + strconv.FormatInt(n.Add(1), 10)
		tok, c, err := st.Reserve(ctx, key, time.Minute, now)
		if err != nil || c != gateway.Reserved {
			b.Fatalf("reserve: %v %v", c, err)
		}
		if err := st.Commit(ctx, key, tok, time.Minute, now); err != nil {
			b.Fatal(err)
		}
	}
	b.Run("serial", func(b *testing.B) {
		for b.Loop() {
			step()
		}
	})
	b.Run("parallel", func(b *testing.B) {
		b.SetParallelism(8)
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				step()
			}
		})
	})
}

// BenchmarkGateway runs whole requests through the gateway in process (route limit, delivery id,
// durable capture, 202) with the in-process state and with Redis, so the difference is team
// mode's cost per request.
func BenchmarkGateway(b *testing.B) {
	rawURL, _ := redistest.URL(b)
	b.Run("memory", func(b *testing.B) { benchGateway(b) })
	b.Run("redis", func(b *testing.B) { benchGateway(b, open(b, rawURL).Options()...) })
}

// deliveries numbers the benchmark's delivery ids across its runs, which share one Redis.
var deliveries atomic.Int64

func benchGateway(b *testing.B, opts ...gateway.Option) {
	dir := b.TempDir()
	path := filepath.Join(dir, "config.yaml")
	yaml := insecureRoute + "      rate_limit: 1000000000\n"
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		b.Fatal(err)
	}
	cfg, err := config.Load(config.Overrides{ConfigFile: path, DataDir: dir}, nil)
	if err != nil {
		b.Fatal(err)
	}
	store, err := capture.Open(filepath.Join(dir, "hooktap.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer store.Close()
	srv, err := gateway.New(cfg, store, opts...)
	if err != nil {
		b.Fatal(err)
	}
	h := srv.Handler()
	b.ReportAllocs()
	b.SetParallelism(8)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req := httptest.NewRequestWithContext(context.Background(), http.MethodPost, "/webhooks/gh",
				strings.NewReader(`{"zen":"hi"}`))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("X-GitHub-Event", "push")
			req.Header.Set("X-GitHub-Delivery", strconv.FormatInt(deliveries.Add(1), 10))
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			if w.Code != http.StatusAccepted {
				b.Fatalf("%d %s", w.Code, w.Body)
			}
		}
	})
}
