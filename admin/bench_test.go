package admin

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/hooktap/hooktap/signature"
)

// benchRows is the store size the list benchmarks run against.
const benchRows = 10_000

func seedBench(b *testing.B) *testEnv {
	b.Helper()
	e := newTestEnv(b, nil)
	var wg sync.WaitGroup
	sem := make(chan struct{}, 64)
	for i := range benchRows {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			route := []string{"github-pr", "internal"}[i%2]
			if err := e.store.Save(context.Background(), sample(route, "push", signature.Verified, 200, `{"n":1}`)); err != nil {
				b.Error(err)
			}
		})
	}
	wg.Wait()
	return e
}

// serve runs one request through the handler in-process (no socket) and decodes the page.
func serve(b *testing.B, h http.Handler, path string) listBody {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.Host = "127.0.0.1:8645"
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		b.Fatalf("%s: %d %s", path, rec.Code, rec.Body)
	}
	var page listBody
	if err := json.Unmarshal(rec.Body.Bytes(), &page); err != nil {
		b.Fatal(err)
	}
	return page
}

func BenchmarkListNewest100(b *testing.B) {
	e := seedBench(b)
	h := e.srv.Handler()
	b.ResetTimer()
	for b.Loop() {
		if page := serve(b, h, "/api/v1/captures?limit=100"); len(page.Captures) != 100 {
			b.Fatalf("got %d captures", len(page.Captures))
		}
	}
}

// BenchmarkListPageDeep pages with before from the middle of the store, filtered by route.
func BenchmarkListPageDeep(b *testing.B) {
	e := seedBench(b)
	h := e.srv.Handler()
	first := serve(b, h, "/api/v1/captures?limit=1000")
	mid := first.Captures[len(first.Captures)-1].ID
	for range 4 {
		mid = *serve(b, h, "/api/v1/captures?limit=1000&before="+mid).Next
	}
	b.ResetTimer()
	for b.Loop() {
		if page := serve(b, h, "/api/v1/captures?limit=100&route=internal&before="+mid); len(page.Captures) != 100 {
			b.Fatalf("got %d captures", len(page.Captures))
		}
	}
}
