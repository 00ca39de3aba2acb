package main

import (
	"context"
	"net/http/httptest"
	"os/exec"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestWrkClientSendsWhatTheGeneratorSends drives the recording receiver with wrk for one second:
// every request is signed, numbered with a fresh delivery id, and wrk's counts reach the result.
func TestWrkClientSendsWhatTheGeneratorSends(t *testing.T) {
	path, err := exec.LookPath("wrk")
	if err != nil {
		t.Skip("wrk is not installed (apt-get install wrk)")
	}
	rc := &recorder{secret: "s3cret", seen: map[string]int{}}
	srv := httptest.NewServer(rc)
	defer srv.Close()
	var seq atomic.Uint64
	res, cpu, err := wrkClient{path: path, dir: t.TempDir()}.drive(context.Background(),
		githubTarget(srv.URL+"/webhooks/github", rc.secret, &seq), 2, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if res.requests == 0 || res.requests > len(rc.seen)+2 || rc.bad != 0 {
		t.Fatalf("wrk counted %d requests; the receiver saw %d distinct ids, %d badly signed", res.requests, len(rc.seen), rc.bad)
	}
	for id, n := range rc.seen {
		if n != 1 || !strings.HasPrefix(id, "wrk-") {
			t.Fatalf("delivery id %q sent %d times", id, n)
		}
	}
	if res.errors == 0 || res.percentile(99) < res.percentile(50) || cpu <= 0 {
		t.Errorf("errors %d (every 50th is a 500), p50 %s, p99 %s, client CPU %s", res.errors, res.percentile(50), res.percentile(99), cpu)
	}
}

func TestParseWrk(t *testing.T) {
	r, err := parseWrk("Running 1s test\nHOOKTAP_WRK requests=1200 errors=3 p50=850 p99=4100 duration=1000500\n", 16)
	if err != nil || r.requests != 1200 || r.errors != 3 || r.percentile(50) != 850*time.Microsecond ||
		r.percentile(99) != 4100*time.Microsecond || r.rps() < 1199 || r.rps() > 1200 {
		t.Errorf("parseWrk = %+v, %v", r, err)
	}
	if _, err := parseWrk("unable to connect", 1); err == nil {
		t.Error("output without a summary accepted")
	}
}

func TestLuaStringNeedsNoEscapes(t *testing.T) {
	for s, want := range map[string]string{"a": "[[a]]", "x]]y": "[=[x]]y]=]", "]=]]]": "[==[]=]]]]==]"} {
		if got := luaString(s); got != want {
			t.Errorf("luaString(%q) = %s, want %s", s, got, want)
		}
	}
}

func TestPickClients(t *testing.T) {
	cs, _, err := pickClients("go", t.TempDir())
	if err != nil || len(cs) != 1 || cs[0].name() != "go" {
		t.Errorf("go: %v, %v", cs, err)
	}
	if _, _, err := pickClients("curl", t.TempDir()); err == nil {
		t.Error("unknown client accepted")
	}
	cs, note, err := pickClients("auto", t.TempDir())
	_, lookErr := exec.LookPath("wrk")
	if err != nil || len(cs) != 1+btoi(lookErr == nil) || note == "" {
		t.Errorf("auto: %d clients, note %q, %v", len(cs), note, err)
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
