package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/hooktap/hooktap/capture"
)

// The lines each server prints once it listens; the first group is host:port.
var (
	hooktapReady = regexp.MustCompile(`hooktap started"? gateway=http://(\S+)`)
	bareReady    = regexp.MustCompile(`bare listening addr=http://(\S+)`)
)

// row is one route, client and connection count measured on both servers.
type row struct {
	route            string
	client           string
	conns            int
	bare, hooktap    result
	bareRSS, hookRSS int64
	// bareCPU and hookCPU are server CPU time per request: steadier than req/s on a shared machine.
	bareCPU, hookCPU time.Duration
	// bareLoad and hookLoad are the client's own CPU per request: when it nears the time per
	// request at that rate, the client, not the server, sets the pace.
	bareLoad, hookLoad time.Duration
}

// contender is a running server and the URL its routes live under.
type contender struct {
	srv    *server
	base   string // http://host:port/webhooks/
	secret string
	seq    *atomic.Uint64
}

// target is the signed push to one of the contender's routes.
func (c contender) target(r benchRoute) target {
	return githubTarget(c.base+r.name, c.secret, c.seq)
}

// runCompare is the default mode: both servers, each connection count, one after the other.
func runCompare(ctx context.Context, o options) error {
	root, err := repoRoot()
	if err != nil {
		return err
	}
	dir, cleanup, err := workDir(o.keep)
	if err != nil {
		return err
	}
	defer cleanup()
	var clientNote string
	if o.clients, clientNote, err = pickClients(o.client, dir); err != nil {
		return err
	}
	fmt.Fprintln(os.Stderr, "building hooktap and the bare baseline…")
	hooktapBin, bareBin, err := buildBinaries(ctx, root, dir)
	if err != nil {
		return err
	}
	pin := planPinning(o.cpus)
	secret := newSecret()
	bare, hook, err := startBoth(dir, hooktapBin, bareBin, secret, pin)
	defer func() { _ = bare.srv.stop(); _ = hook.srv.stop() }()
	if err != nil {
		return err
	}
	if err := pin.pinSelf(); err != nil {
		return err
	}
	rows, err := measureAll(ctx, o, bare, hook)
	if err != nil {
		return err
	}
	if err := hook.srv.stop(); err != nil {
		return fmt.Errorf("stop hooktap: %w", err)
	}
	printReport(os.Stdout, o, pin, clientNote, rows)
	return reportStored(ctx, filepath.Join(dir, "hooktap.db"), rows)
}

// startBoth starts the bare baseline and hooktap serve, each pinned to the servers' cores.
func startBoth(dir, hooktapBin, bareBin, secret string, pin pinning) (bare, hook contender, err error) {
	bare.srv, err = startServer("bare", pin.wrap([]string{bareBin, "-addr", "127.0.0.1:0"}),
		append(childEnv(), "BARE_SECRET="+secret), filepath.Join(dir, "bare.log"), bareReady)
	if err != nil {
		return bare, hook, err
	}
	cfgPath := filepath.Join(dir, "config.yaml")
	if err = os.WriteFile(cfgPath, []byte(hooktapConfig(secret, 0)), 0o600); err != nil {
		return bare, hook, err
	}
	if hook.srv, err = startHooktap(dir, hooktapBin, cfgPath, pin); err != nil {
		return bare, hook, err
	}
	seq := new(atomic.Uint64)
	bare.base, bare.secret, bare.seq = "http://"+bare.srv.addr+"/webhooks/", secret, seq
	hook.base, hook.secret, hook.seq = "http://"+hook.srv.addr+"/webhooks/", secret, seq
	return bare, hook, nil
}

// startHooktap runs `hooktap serve` on loopback, tunnel off, with its data (store) in dir.
func startHooktap(dir, bin, cfgPath string, pin pinning) (*server, error) {
	return startServer("hooktap", pin.wrap([]string{bin, "serve", "--config", cfgPath,
		"--addr", "127.0.0.1:0", "--admin-addr", "127.0.0.1:0", "--tunnel", "off", "--data-dir", dir}),
		childEnv(), filepath.Join(dir, "hooktap.log"), hooktapReady)
}

// hooktapConfig is two GitHub routes with verification on and a rate limit no run can reach,
// the second with the prompt template; maxCount > 0 sets capture.max_count and lifts
// capture.max_bytes, so a store brought to be measured (8.5 GB at 1 M captures) is served, not
// pruned to the default 2 GiB while it is measured. The secret is base32 text, so quoting needs
// no escapes.
func hooktapConfig(secret string, maxCount int) string {
	route := func(name string) string {
		return "    " + name + ":\n      secret: \"" + secret + "\"\n      verify: github\n      rate_limit: 100000000\n"
	}
	cfg := "gateway:\n  rate_limit: 100000000\n  routes:\n" + route(routeName) + route(templateRoute) +
		"      prompt: \"" + routePrompt + "\"\n"
	if maxCount > 0 {
		cfg += "capture:\n  max_count: " + strconv.Itoa(maxCount) + "\n  max_bytes: 1TiB\n"
	}
	return cfg
}

// childEnv is the harness's environment without anything that would open a tunnel or move
// hooktap's files elsewhere.
func childEnv() []string {
	return slices.DeleteFunc(os.Environ(), func(kv string) bool {
		return strings.HasPrefix(kv, "NGROK_") || strings.HasPrefix(kv, "HOOKTAP_") ||
			strings.HasPrefix(kv, "WEBHOOK_SECRET=")
	})
}

// measureAll runs, per route, connection count and client, a warm-up and a measurement on bare
// and then on hooktap.
func measureAll(ctx context.Context, o options, bare, hook contender) ([]row, error) {
	var rows []row
	for _, rt := range o.routes {
		for _, n := range o.conns {
			for _, cl := range o.clients {
				r := row{route: rt.label, client: cl.name(), conns: n}
				var err error
				if r.bare, r.bareRSS, r.bareCPU, r.bareLoad, err = measure(ctx, o, cl, bare, rt, n); err != nil {
					return nil, err
				}
				if r.hooktap, r.hookRSS, r.hookCPU, r.hookLoad, err = measure(ctx, o, cl, hook, rt, n); err != nil {
					return nil, err
				}
				if err := ctx.Err(); err != nil {
					return nil, err
				}
				rows = append(rows, r)
			}
		}
	}
	return rows, nil
}

// measure warms c up, drives route rt at n connections with cl, and reads the server's peak RSS
// and CPU per request, and the client's CPU per request.
func measure(ctx context.Context, o options, cl client, c contender, rt benchRoute, n int) (res result, rss int64, srvCPU, cliCPU time.Duration, err error) {
	fmt.Fprintf(os.Stderr, "%-7s %-8s %-3s %3d conns: warm-up %s, measure %s\n", c.srv.name, rt.label, cl.name(), n, o.warmup, o.duration)
	tgt := c.target(rt)
	if o.warmup > 0 {
		if _, _, err := cl.drive(ctx, tgt, n, o.warmup); err != nil {
			return res, 0, 0, 0, err
		}
	}
	pid := c.srv.cmd.Process.Pid
	before, err := cpuTime(pid)
	if err != nil {
		return res, 0, 0, 0, err
	}
	res, cliCPU, err = cl.drive(ctx, tgt, n, o.duration)
	if err != nil {
		return res, 0, 0, 0, err
	}
	after, err := cpuTime(pid)
	if err != nil {
		return res, 0, 0, 0, err
	}
	rss, err = peakRSS(pid)
	perReq := func(d time.Duration) time.Duration { return d / time.Duration(max(res.requests, 1)) }
	return res, rss, perReq(after - before), perReq(cliCPU), err
}

// reportStored checks that durable capture kept what hooktap accepted (retention may trim it).
func reportStored(ctx context.Context, path string, rows []row) error {
	st, err := capture.OpenExisting(path)
	if err != nil {
		return fmt.Errorf("open hooktap's store after the run: %w", err)
	}
	defer st.Close()
	n, err := st.Count(ctx, capture.Filter{})
	if err != nil {
		return err
	}
	measured := 0
	for _, r := range rows {
		measured += r.hooktap.requests - r.hooktap.errors
	}
	fmt.Printf("\nhooktap's store holds %d captures (measured 2xx answers: %d; warm-ups add the rest).\n", n, measured)
	return nil
}
