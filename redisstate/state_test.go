package redisstate_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hooktap/hooktap/internal/redistest"

	"github.com/redis/go-redis/v9"

	"github.com/hooktap/hooktap/gateway"
	"github.com/hooktap/hooktap/redisstate"
)

// The Redis deduper keeps the contract of the in-memory one (gateway's
// TestDeduperReserveCommitRelease), with Redis keeping the time: the seen marker lives for the
// TTL, a reservation for its lease.
func TestDeduperReserveCommitRelease(t *testing.T) {
	rawURL, prefix := redistest.URL(t)
	d := open(t, rawURL)
	ctx := context.Background()
	now := time.Now()
	reserve := func(key string, lease time.Duration) (string, gateway.Claim) {
		t.Helper()
		tok, c, err := d.Reserve(ctx, key, lease, now)
		if err != nil {
			t.Fatal(err)
		}
		return tok, c
	}
	tok, c := reserve("gh/k", time.Minute)
	if c != gateway.Reserved || tok == "" {
		t.Fatalf("first reserve: %v %q", c, tok)
	}
	if _, c := reserve("gh/k", time.Minute); c != gateway.InFlight {
		t.Fatalf("while held: %v, want InFlight", c)
	}
	if err := d.Release(ctx, "gh/k", "someone-else"); err != nil {
		t.Fatal(err)
	}
	if _, c := reserve("gh/k", time.Minute); c != gateway.InFlight {
		t.Fatalf("a stranger's token released the key: %v", c)
	}
	if err := d.Commit(ctx, "gh/k", "someone-else", time.Hour, now); err != nil {
		t.Fatal(err)
	}
	if _, c := reserve("gh/k", time.Minute); c != gateway.InFlight {
		t.Fatalf("a stranger's token committed the key: %v", c)
	}
	if err := d.Release(ctx, "gh/k", tok); err != nil {
		t.Fatal(err)
	}
	tok, c = reserve("gh/k", time.Minute)
	if c != gateway.Reserved {
		t.Fatalf("after release: %v, want Reserved", c)
	}
	if err := d.Commit(ctx, "gh/k", tok, time.Hour, now); err != nil {
		t.Fatal(err)
	}
	if _, c := reserve("gh/k", time.Minute); c != gateway.Seen {
		t.Fatalf("after commit: %v, want Seen", c)
	}
	rdb := client(t, rawURL)
	if ttl := rdb.PTTL(ctx, prefix+"idem:gh/k").Val(); ttl <= 59*time.Minute || ttl > time.Hour {
		t.Fatalf("seen marker lives %v, want the TTL of 1h", ttl)
	}
	// A holder that died: its lease expires and the id is free again.
	reserve("gh/dead", time.Millisecond)
	deadline := time.Now().Add(3 * time.Second)
	for {
		if _, c := reserve("gh/dead", time.Minute); c == gateway.Reserved {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("an expired lease still holds the id")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if ttl := rdb.PTTL(ctx, prefix+"idem:gh/dead").Val(); ttl <= 0 || ttl > time.Minute {
		t.Fatalf("reservation lives %v, want its lease of 1m", ttl)
	}
}

func client(t testing.TB, rawURL string) *redis.Client {
	t.Helper()
	u := rawURL
	if i := strings.Index(u, "?"); i >= 0 {
		u = u[:i]
	}
	opt, err := redis.ParseURL(u)
	if err != nil {
		t.Fatal(err)
	}
	rdb := redis.NewClient(opt)
	t.Cleanup(func() { _ = rdb.Close() })
	return rdb
}

const insecureRoute = `
gateway:
  routes:
    gh:
      secret: INSECURE_NO_AUTH
`

// One delivery id sent to two instances sharing one Redis is processed once: the first answers
// 202, the other instance 200 duplicate, as one gateway does.
func TestOneDeliveryTwoInstances(t *testing.T) {
	rawURL, _ := redistest.URL(t)
	a := startInstance(t, insecureRoute, open(t, rawURL))
	b := startInstance(t, insecureRoute, open(t, rawURL))
	if status, body, _ := a.post("/webhooks/gh", "d-1"); status != 202 {
		t.Fatalf("first copy on A: %d %s, want 202", status, body)
	}
	if status, body, _ := b.post("/webhooks/gh", "d-1"); status != 200 || body != `{"status":"duplicate"}` {
		t.Fatalf("second copy on B: %d %s, want 200 duplicate", status, body)
	}
	if status, body, _ := a.post("/webhooks/gh", "d-1"); status != 200 || body != `{"status":"duplicate"}` {
		t.Fatalf("third copy on A: %d %s, want 200 duplicate", status, body)
	}
	if status, body, _ := b.post("/webhooks/gh", "d-2"); status != 202 {
		t.Fatalf("another id on B: %d %s, want 202", status, body)
	}
}

// Copies of one id racing on both instances: exactly one is accepted; the others are answered
// duplicate, or 409 while the first is still in progress.
func TestConcurrentCopiesAcceptedOnce(t *testing.T) {
	rawURL, _ := redistest.URL(t)
	ins := []*instance{startInstance(t, insecureRoute, open(t, rawURL)), startInstance(t, insecureRoute, open(t, rawURL))}
	const copies = 20
	statuses := make([]int, copies)
	var wg sync.WaitGroup
	for i := range copies {
		wg.Go(func() { statuses[i], _, _ = ins[i%2].post("/webhooks/gh", "race-1") })
	}
	wg.Wait()
	accepted := 0
	for _, s := range statuses {
		switch s {
		case 202:
			accepted++
		case 200, 409:
		default:
			t.Fatalf("unexpected answer %d among %v", s, statuses)
		}
	}
	if accepted != 1 {
		t.Fatalf("%d copies accepted, want 1: %v", accepted, statuses)
	}
}

// A route limit of 10 a minute holds across two instances: 20 requests alternating between them
// get 10 acceptances (plus one per 6 s the test took, as the budget refills), the rest 429.
func TestRouteLimitHoldsAcrossInstances(t *testing.T) {
	rawURL, _ := redistest.URL(t)
	yaml := insecureRoute + "      rate_limit: 10\n"
	a := startInstance(t, yaml, open(t, rawURL))
	b := startInstance(t, yaml, open(t, rawURL))
	began := time.Now()
	accepted, limited := 0, 0
	for i := range 20 {
		in := []*instance{a, b}[i%2]
		status, body, hdr := in.post("/webhooks/gh", fmt.Sprintf("lim-%d", i))
		switch status {
		case 202:
			accepted++
		case 429:
			limited++
			if hdr.Get("Retry-After") == "" {
				t.Fatalf("429 without Retry-After: %s", body)
			}
		default:
			t.Fatalf("request %d: %d %s", i, status, body)
		}
	}
	refilled := int(time.Since(began) / (6 * time.Second))
	if accepted < 10 || accepted > 10+refilled {
		t.Fatalf("%d accepted, %d limited across two instances; want 10 accepted", accepted, limited)
	}
	if a.count()+b.count() != 20 {
		t.Fatalf("%d captures, want every request recorded", a.count()+b.count())
	}
}

// Redis unreachable mid-test: requests are answered 503 with Retry-After (recorded, never
// accepted), /ready is 503 naming redis, the outage is logged once; Redis back, both recover by
// themselves and the recovery is logged once.
func TestRedisOutageAnswers503AndRecovers(t *testing.T) {
	rawURL, _ := redistest.URL(t)
	p, viaProxy := startProxy(t, rawURL)
	in := startInstance(t, insecureRoute+"      rate_limit: 1000\n", open(t, viaProxy))
	if status, body, _ := in.post("/webhooks/gh", "out-0"); status != 202 {
		t.Fatalf("before the outage: %d %s", status, body)
	}
	if status, body := in.ready(); status != 200 || body != `{"status":"ready"}` {
		t.Fatalf("ready before the outage: %d %s", status, body)
	}
	p.setDown(true)
	for i := 1; i <= 3; i++ {
		status, body, hdr := in.post("/webhooks/gh", fmt.Sprintf("out-%d", i))
		if status != 503 || hdr.Get("Retry-After") != "5" ||
			body != `{"error":"shared gateway state unavailable","hint":"retry later"}` {
			t.Fatalf("during the outage: %d %s Retry-After=%q", status, body, hdr.Get("Retry-After"))
		}
	}
	status, body := in.ready()
	if status != 503 || body != `{"status":"unavailable","down":["redis"]}` {
		t.Fatalf("ready during the outage: %d %s", status, body)
	}
	if strings.Contains(body, "127.0.0.1") || strings.Contains(body, "redis://") {
		t.Fatalf("/ready shows an address: %s", body)
	}
	p.setDown(false)
	if status, body, _ := in.post("/webhooks/gh", "out-1"); status != 202 {
		t.Fatalf("the retry after the outage: %d %s, want 202", status, body)
	}
	if status, body := in.ready(); status != 200 {
		t.Fatalf("ready after the outage: %d %s", status, body)
	}
	logs := in.logs.String()
	if n := strings.Count(logs, "redis unreachable"); n != 1 {
		t.Fatalf("outage logged %d times, want once:\n%s", n, logs)
	}
	if n := strings.Count(logs, "redis reachable again"); n != 1 {
		t.Fatalf("recovery logged %d times, want once:\n%s", n, logs)
	}
	if in.count() != 5 {
		t.Fatalf("%d captures, want 5 (the 503s are recorded too)", in.count())
	}
}

// A bad URL is refused with the reason, its password masked.
func TestOpenRefusesBadURL(t *testing.T) {
	for _, u := range []string{"http://127.0.0.1:6379", "redis://:hunter2hunter2hunter2@127.0.0.1:6379/x", "redis://127.0.0.1:6379/0?bogus=1"} {
		_, err := redisstate.Open(u)
		if err == nil {
			t.Fatalf("%s: opened", u)
		}
		if strings.Contains(err.Error(), "hunter2") {
			t.Fatalf("%s: the error shows the password: %v", u, err)
		}
	}
}

// Logs show the URL with its password masked and its prefix as given.
func TestLocationMasksThePassword(t *testing.T) {
	st, err := redisstate.Open("redis://:hunter2hunter2hunter2@127.0.0.1:6379/0?prefix=team:")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if loc := st.Location(); strings.Contains(loc, "hunter2") || !strings.Contains(loc, "prefix=team:") {
		t.Fatalf("Location %q", loc)
	}
	if st.Prefix() != "team:" {
		t.Fatalf("Prefix %q", st.Prefix())
	}
}
