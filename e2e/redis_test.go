package e2e

import (
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/hooktap/hooktap/internal/redistest"
)

// Two real `hooktap serve` processes given one Redis with --redis act as one gateway: a delivery
// id is processed once whichever receives it, a route's limit of 10 a minute holds across both,
// and both are ready.
func TestTwoServesShareRedis(t *testing.T) {
	redisURL, _ := redistest.URL(t)
	yaml := "gateway:\n  routes:\n    gh:\n      secret: INSECURE_NO_AUTH\n      rate_limit: 10\n    free:\n      secret: INSECURE_NO_AUTH\n"
	a := serve(t, yaml, "--redis", redisURL)
	c := serve(t, yaml, "--redis", redisURL)
	for _, p := range []*proc{a, c} {
		if !contains(p.output(), "idempotency keys and route limits shared through redis") {
			t.Fatalf("the start does not say the state is shared:\n%s", p.output())
		}
		resp, err := http.Get("http://" + p.gateway + "/ready")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || string(body) != `{"status":"ready"}` {
			t.Fatalf("ready: %d %s", resp.StatusCode, body)
		}
	}
	id := func(v string) http.Header { return http.Header{"X-Github-Delivery": {v}, "X-Github-Event": {"push"}} }
	if status, body := a.post(t, "/webhooks/free", []byte(`{}`), id("e2e-1")); status != 202 {
		t.Fatalf("first copy: %d %s", status, body)
	}
	if status, body := c.post(t, "/webhooks/free", []byte(`{}`), id("e2e-1")); status != 200 || body != `{"status":"duplicate"}` {
		t.Fatalf("copy on the other instance: %d %s, want 200 duplicate", status, body)
	}
	accepted, began := 0, time.Now()
	for i := range 20 {
		status, body := []*proc{a, c}[i%2].post(t, "/webhooks/gh", []byte(`{}`), id(fmt.Sprintf("e2e-lim-%d", i)))
		switch status {
		case 202:
			accepted++
		case 429:
		default:
			t.Fatalf("request %d: %d %s", i, status, body)
		}
	}
	// The budget earns one request back every 6 s; a slow machine may have earned some.
	if refilled := int(time.Since(began) / (6 * time.Second)); accepted < 10 || accepted > 10+refilled {
		t.Fatalf("%d of 20 accepted across two instances, want the route's 10", accepted)
	}
}
