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

// row is one connection count measured on both servers.
type row struct {
	conns            int
	bare, hooktap    result
	bareRSS, hookRSS int64
	// bareCPU and hookCPU are server CPU time per request: steadier than req/s on a shared machine.
	bareCPU, hookCPU time.Duration
}

// contender is a running server and the target that drives it.
type contender struct {
	srv *server
	tgt target
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
	printReport(os.Stdout, o, pin, rows)
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
	var seq atomic.Uint64
	bare.tgt = githubTarget("http://"+bare.srv.addr+"/webhooks/"+routeName, secret, &seq)
	hook.tgt = githubTarget("http://"+hook.srv.addr+"/webhooks/"+routeName, secret, &seq)
	return bare, hook, nil
}

// startHooktap runs `hooktap serve` on loopback, tunnel off, with its data (store) in dir.
func startHooktap(dir, bin, cfgPath string, pin pinning) (*server, error) {
	return startServer("hooktap", pin.wrap([]string{bin, "serve", "--config", cfgPath,
		"--addr", "127.0.0.1:0", "--admin-addr", "127.0.0.1:0", "--tunnel", "off", "--data-dir", dir}),
		childEnv(), filepath.Join(dir, "hooktap.log"), hooktapReady)
}

// hooktapConfig is one GitHub route with verification on and a rate limit no run can reach;
// maxCount > 0 sets capture.max_count. The secret is base32 text, so quoting needs no escapes.
func hooktapConfig(secret string, maxCount int) string {
	cfg := "gateway:\n  rate_limit: 100000000\n  routes:\n    " + routeName + ":\n" +
		"      secret: \"" + secret + "\"\n      verify: github\n      rate_limit: 100000000\n"
	if maxCount > 0 {
		cfg += "capture:\n  max_count: " + strconv.Itoa(maxCount) + "\n"
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

// measureAll runs, per connection count, a warm-up and a measurement on bare and then on hooktap.
func measureAll(ctx context.Context, o options, bare, hook contender) ([]row, error) {
	var rows []row
	for _, n := range o.conns {
		r := row{conns: n}
		var err error
		if r.bare, r.bareRSS, r.bareCPU, err = measure(ctx, o, bare, n); err != nil {
			return nil, err
		}
		if r.hooktap, r.hookRSS, r.hookCPU, err = measure(ctx, o, hook, n); err != nil {
			return nil, err
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		rows = append(rows, r)
	}
	return rows, nil
}

// measure warms c up, drives it at n connections, and reads its peak RSS and CPU per request.
func measure(ctx context.Context, o options, c contender, n int) (result, int64, time.Duration, error) {
	fmt.Fprintf(os.Stderr, "%-7s %3d conns: warm-up %s, measure %s\n", c.srv.name, n, o.warmup, o.duration)
	if o.warmup > 0 {
		runLoad(ctx, c.tgt, n, o.warmup)
	}
	pid := c.srv.cmd.Process.Pid
	before, err := cpuTime(pid)
	if err != nil {
		return result{}, 0, 0, err
	}
	res := runLoad(ctx, c.tgt, n, o.duration)
	after, err := cpuTime(pid)
	if err != nil {
		return result{}, 0, 0, err
	}
	rss, err := peakRSS(pid)
	return res, rss, (after - before) / time.Duration(max(res.requests, 1)), err
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
