package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// client drives a target for a while and reports what it saw and the CPU it used itself.
type client interface {
	name() string
	drive(ctx context.Context, t target, conns int, d time.Duration) (result, time.Duration, error)
}

// goClient is the harness's own closed-loop generator (gen.go), in this process.
type goClient struct{}

func (goClient) name() string { return "go" }

func (goClient) drive(ctx context.Context, t target, conns int, d time.Duration) (result, time.Duration, error) {
	before, err := cpuTime(os.Getpid())
	if err != nil {
		return result{}, 0, err
	}
	res := runLoad(ctx, t, conns, d)
	after, err := cpuTime(os.Getpid())
	return res, after - before, err
}

// wrkClient drives with wrk (one thread, a Lua script that numbers X-GitHub-Delivery), an
// independent client written in C: what it measures does not depend on Go's HTTP client.
type wrkClient struct {
	path string // the wrk executable
	dir  string // where its scripts and the body file go
}

func (wrkClient) name() string { return "wrk" }

// wrkResult is the line the script's done() prints; the harness parses it.
var wrkResult = regexp.MustCompile(`HOOKTAP_WRK requests=(\d+) errors=(\d+) p50=(\d+) p99=(\d+) duration=(\d+)`)

func (w wrkClient) drive(ctx context.Context, t target, conns int, d time.Duration) (result, time.Duration, error) {
	script, err := w.script(t)
	if err != nil {
		return result{}, 0, err
	}
	secs := max(int((d+time.Second-1)/time.Second), 1) // wrk takes whole seconds
	cmd := exec.CommandContext(ctx, w.path, "-t1", "-c"+strconv.Itoa(conns), "-d"+strconv.Itoa(secs)+"s",
		"--timeout", "10s", "-s", script, t.url)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return result{}, 0, fmt.Errorf("wrk: %v: %s", err, out.String())
	}
	cpu := cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	res, err := parseWrk(out.String(), conns)
	return res, cpu, err
}

// parseWrk reads the script's summary line into a result with wrk's own percentiles.
func parseWrk(out string, conns int) (result, error) {
	m := wrkResult.FindStringSubmatch(out)
	if m == nil {
		return result{}, fmt.Errorf("wrk printed no summary: %s", strings.TrimSpace(out))
	}
	n := make([]int64, 5)
	for i := range n {
		n[i], _ = strconv.ParseInt(m[i+1], 10, 64)
	}
	r := result{conns: conns, requests: int(n[0]), errors: int(n[1]), elapsed: time.Duration(n[4]) * time.Microsecond,
		fixed: map[float64]time.Duration{50: time.Duration(n[2]) * time.Microsecond, 99: time.Duration(n[3]) * time.Microsecond}}
	if r.errors > 0 {
		r.firstError = "wrk counted non-2xx answers or socket errors (see its output with -keep)"
	}
	return r, nil
}

// script writes the Lua script that sends t's body and headers with a fresh delivery id each.
func (w wrkClient) script(t target) (string, error) {
	bodyPath := filepath.Join(w.dir, "wrk-body.json")
	if err := os.WriteFile(bodyPath, t.body, 0o600); err != nil {
		return "", err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "local f = assert(io.open(%s, \"rb\"))\nwrk.method = \"POST\"\nwrk.body = f:read(\"*a\")\nf:close()\n", luaString(bodyPath))
	names := make([]string, 0, len(t.header))
	for k := range t.header {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		fmt.Fprintf(&b, "wrk.headers[ %s ] = %s\n", luaString(k), luaString(t.header.Get(k)))
	}
	fmt.Fprintf(&b, "local prefix, n = %s, 0\n", luaString("wrk-"+rand.Text()[:10]+"-"))
	if t.seqHdr != "" {
		fmt.Fprintf(&b, "request = function()\n  n = n + 1\n  wrk.headers[ %s ] = prefix .. n\n  return wrk.format()\nend\n", luaString(t.seqHdr))
	}
	b.WriteString(`done = function(s, latency, requests)
  local e = s.errors
  io.write(string.format("HOOKTAP_WRK requests=%d errors=%d p50=%d p99=%d duration=%d\n", s.requests,
    e.connect + e.read + e.write + e.status + e.timeout, latency:percentile(50), latency:percentile(99), s.duration))
end
`)
	path := filepath.Join(w.dir, "wrk-"+filepath.Base(t.url)+".lua")
	return path, os.WriteFile(path, []byte(b.String()), 0o600)
}

// luaString quotes s as a Lua long string, which has no escapes to get wrong.
func luaString(s string) string {
	eq := ""
	for strings.Contains(s, "]"+eq+"]") {
		eq += "="
	}
	return "[" + eq + "[" + s + "]" + eq + "]"
}

// pickClients resolves -client: "go", "wrk", or "auto" (the Go generator, and wrk when it is
// installed). The note says which ran and why.
func pickClients(spec, dir string) ([]client, string, error) {
	wrkPath, lookErr := exec.LookPath("wrk")
	var out []client
	note := ""
	for name := range strings.SplitSeq(spec, ",") {
		name = strings.TrimSpace(name)
		switch name {
		case "go":
			out = append(out, goClient{})
		case "wrk", "auto":
			if name == "auto" {
				out = append(out, goClient{})
			}
			if lookErr != nil {
				if name == "wrk" {
					return nil, "", fmt.Errorf("-client wrk: wrk is not installed (apt-get install wrk)")
				}
				note = "wrk is not installed (apt-get install wrk): the Go generator only"
				continue
			}
			out = append(out, wrkClient{path: wrkPath, dir: dir})
			note = "clients: the Go generator and wrk (" + wrkPath + ", one thread)"
		default:
			return nil, "", fmt.Errorf("-client %q: use go, wrk or auto", spec)
		}
	}
	return out, note, nil
}
