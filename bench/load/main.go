// Command load is hooktap's load harness (BENCHMARKS.md): it measures `hooktap serve` — GitHub
// route, signature verification and durable capture on — against a bare net/http + HMAC handler,
// in the same run, on loopback, and prints requests/s, p50, p99, peak RSS and the ratio hooktap / bare.
//
//	go run ./bench/load                      # both routes, 1, 16, 64 connections, 5 s each
//	go run ./bench/load -fill 1000000        # store growth: insert cost, RSS, bytes per capture
//	go run ./bench/load -profile cpu.out     # in-process gateway under load, CPU profile
//	  -memprofile heap.out                   # and the heap the app holds after it (in use, after a GC)
//	go run ./bench/load -store postgres://…  # hooktap serve on PostgreSQL, one instance then two
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// options are the harness's flags.
type options struct {
	duration time.Duration
	warmup   time.Duration
	conns    []int
	cpus     int
	keep     bool
	fill     int
	fillMax  time.Duration
	profile  string
	memprof  string // -memprofile: with -profile, a heap profile written after the load
	store    string
	routes   []benchRoute
	client   string   // -client as given: go, wrk or auto
	clients  []client // resolved by runCompare
}

func main() {
	o, err := parseFlags(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	switch {
	case o.fill > 0:
		err = runFill(ctx, o)
	case o.profile != "":
		err = runProfile(ctx, o)
	case isPostgres(o.store):
		err = runPostgres(ctx, o)
	default:
		err = runCompare(ctx, o)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(1)
	}
}

func parseFlags(args []string) (options, error) {
	var o options
	var conns, routes string
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	fs.DurationVar(&o.duration, "duration", 5*time.Second, "measured time per server and connection count")
	fs.DurationVar(&o.warmup, "warmup", time.Second, "unmeasured warm-up before each measurement")
	fs.StringVar(&conns, "conns", "1,16,64", "comma-separated connection counts")
	fs.StringVar(&routes, "routes", "template,verify", "routes to measure: template (verify + prompt \"push to {ref}\"), verify")
	fs.StringVar(&o.client, "client", "auto", "load generators: go, wrk, or auto (go, and wrk when installed)")
	fs.IntVar(&o.cpus, "cpu", 1, "pin each server to this many cores (CPU 0..n-1) with taskset; 0 = no pinning")
	fs.BoolVar(&o.keep, "keep", false, "keep the temporary directory (binaries, config, logs, store)")
	fs.IntVar(&o.fill, "fill", 0, "instead of comparing, fill a store with this many captures and report its growth")
	fs.DurationVar(&o.fillMax, "fill-timeout", 20*time.Minute, "stop -fill after this long and report what was inserted")
	fs.StringVar(&o.profile, "profile", "", "instead of comparing, run the gateway in-process under load and write a CPU profile here")
	fs.StringVar(&o.memprof, "memprofile", "", "with -profile: also write the heap the app holds after the load (after a GC) here")
	fs.StringVar(&o.store, "store", "", "with -profile: run on this existing data directory (a kept -fill store) instead of an empty one; "+
		"postgres://…: measure hooktap serve on that PostgreSQL, one instance then two (in a fresh schema)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	var err error
	if o.conns, err = parseConns(conns); err != nil {
		return o, err
	}
	if o.routes, err = parseRoutes(routes); err != nil {
		return o, err
	}
	if o.duration < 100*time.Millisecond || o.duration > 10*time.Minute {
		return o, fmt.Errorf("-duration %s: use a value between 100ms and 10m", o.duration)
	}
	if o.warmup < 0 || o.warmup > time.Minute {
		return o, fmt.Errorf("-warmup %s: use a value between 0 and 1m", o.warmup)
	}
	if isPostgres(o.store) && (o.profile != "" || o.fill > 0) {
		return o, fmt.Errorf("-store postgres://… measures hooktap serve on PostgreSQL; it does not combine with -profile or -fill")
	}
	if o.memprof != "" && o.profile == "" {
		return o, fmt.Errorf("-memprofile is for -profile: name the CPU profile file too")
	}
	if o.store != "" && o.profile == "" && !isPostgres(o.store) {
		return o, fmt.Errorf("-store is for -profile: name the profile file too")
	}
	if o.fill < 0 || o.cpus < 0 {
		return o, fmt.Errorf("-fill and -cpu may not be negative")
	}
	return o, nil
}

// parseConns reads "1,16,64" into connection counts between 1 and 1024.
func parseConns(s string) ([]int, error) {
	var out []int
	for part := range strings.SplitSeq(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(part))
		if err != nil || n < 1 || n > 1024 {
			return nil, fmt.Errorf("-conns %q: each count must be a whole number from 1 to 1024", s)
		}
		out = append(out, n)
	}
	return out, nil
}

// parseRoutes reads "template,verify" into the routes to measure, in the order given.
func parseRoutes(s string) ([]benchRoute, error) {
	var out []benchRoute
	for part := range strings.SplitSeq(s, ",") {
		i := slices.IndexFunc(benchRoutes, func(r benchRoute) bool { return r.label == strings.TrimSpace(part) })
		if i < 0 {
			return nil, fmt.Errorf("-routes %q: each route must be template or verify", s)
		}
		out = append(out, benchRoutes[i])
	}
	return out, nil
}

// workDir makes the run's temporary directory and the function that removes it unless -keep.
func workDir(keep bool) (string, func(), error) {
	dir, err := os.MkdirTemp("", "hooktap-bench-")
	if err != nil {
		return "", nil, err
	}
	return dir, func() {
		if keep {
			fmt.Fprintln(os.Stderr, "kept", dir)
			return
		}
		_ = os.RemoveAll(dir)
	}, nil
}
