package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
)

// isPostgres reports whether -store names a PostgreSQL server rather than a data directory.
func isPostgres(store string) bool {
	return strings.HasPrefix(store, "postgres://") || strings.HasPrefix(store, "postgresql://")
}

// instanceCounts are the numbers of `hooktap serve` processes measured on one PostgreSQL.
var instanceCounts = []int{1, 2}

// runPostgres measures `hooktap serve` on a PostgreSQL store: one instance, then two sharing the
// store with the load spread evenly over them (as behind a load balancer), at each -conns count
// in all. It works in a fresh schema of the server's database, dropped afterwards unless -keep.
func runPostgres(ctx context.Context, o options) error {
	root, err := repoRoot()
	if err != nil {
		return err
	}
	dir, cleanup, err := workDir(o.keep)
	if err != nil {
		return err
	}
	defer cleanup()
	storeURL, dropSchema, err := benchSchema(ctx, o.store, o.keep)
	if err != nil {
		return err
	}
	defer dropSchema()
	fmt.Fprintln(os.Stderr, "building hooktap…")
	bin := filepath.Join(dir, "hooktap")
	if err := buildOne(ctx, root, bin, "."); err != nil {
		return err
	}
	secret := newSecret()
	cfgPath := filepath.Join(dir, "config.yaml")
	// No retention during the run: the store is checked against every 2xx answer afterwards.
	if err := os.WriteFile(cfgPath, []byte(hooktapConfig(secret, 1_000_000_000)), 0o600); err != nil {
		return err
	}
	seq := new(atomic.Uint64)
	var rows []pgRow
	for _, n := range instanceCounts {
		measured, err := measureInstances(ctx, o, dir, bin, cfgPath, storeURL, secret, seq, n)
		rows = append(rows, measured...)
		if err != nil {
			return err
		}
	}
	printPostgres(o, rows)
	return reportPostgresStored(ctx, storeURL, rows)
}

// pgRow is one measurement: instances sharing the store, connections in all, the merged result
// and the instances' CPU per request (PostgreSQL's own is not counted).
type pgRow struct {
	instances, conns int
	res              result
	cpu              time.Duration
}

// serversCPU is the CPU the servers have used so far, in all.
func serversCPU(servers []*server) (time.Duration, error) {
	var total time.Duration
	for _, s := range servers {
		d, err := cpuTime(s.cmd.Process.Pid)
		if err != nil {
			return 0, err
		}
		total += d
	}
	return total, nil
}

// measureInstances starts n instances on the store, measures every -conns count, and stops them.
func measureInstances(ctx context.Context, o options, dir, bin, cfgPath, storeURL, secret string, seq *atomic.Uint64, n int) ([]pgRow, error) {
	var servers []*server
	defer func() {
		for _, s := range servers {
			_ = s.stop()
		}
	}()
	var targets []target
	for i := range n {
		data := filepath.Join(dir, fmt.Sprintf("instance-%d-of-%d", i+1, n)) // notify's local tables
		if err := os.MkdirAll(data, 0o700); err != nil {
			return nil, err
		}
		srv, err := startServer(fmt.Sprintf("hooktap %d/%d", i+1, n), []string{bin, "serve", "--config", cfgPath,
			"--addr", "127.0.0.1:0", "--admin-addr", "127.0.0.1:0", "--tunnel", "off", "--data-dir", data},
			append(childEnv(), "HOOKTAP_STORE="+storeURL), filepath.Join(data, "hooktap.log"), hooktapReady)
		if err != nil {
			return nil, err
		}
		servers = append(servers, srv)
		targets = append(targets, githubTarget("http://"+srv.addr+"/webhooks/"+o.routes[0].name, secret, seq))
	}
	var rows []pgRow
	for _, conns := range o.conns {
		fmt.Fprintf(os.Stderr, "%d instance(s), %d conns: warm-up %s, measure %s\n", n, conns, o.warmup, o.duration)
		if o.warmup > 0 {
			spreadLoad(ctx, targets, conns, o.warmup)
		}
		before, err := serversCPU(servers)
		if err != nil {
			return rows, err
		}
		r := pgRow{instances: n, conns: conns, res: spreadLoad(ctx, targets, conns, o.duration)}
		after, err := serversCPU(servers)
		if err != nil {
			return rows, err
		}
		r.cpu = (after - before) / time.Duration(max(r.res.requests, 1))
		rows = append(rows, r)
		if err := ctx.Err(); err != nil {
			return rows, err
		}
	}
	for _, s := range servers {
		if err := s.stop(); err != nil {
			return rows, fmt.Errorf("stop %s: %w", s.name, err)
		}
	}
	servers = nil
	return rows, nil
}

// spreadLoad drives every target at once with conns connections in all, split evenly, and
// merges what they answered into one result.
func spreadLoad(ctx context.Context, targets []target, conns int, d time.Duration) result {
	parts := make([]result, len(targets))
	var wg sync.WaitGroup
	for i, t := range targets {
		share := conns / len(targets)
		if i < conns%len(targets) {
			share++
		}
		if share == 0 {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			parts[i] = runLoad(ctx, t, share, d)
		}()
	}
	wg.Wait()
	merged := result{conns: conns}
	for _, p := range parts {
		merged.requests += p.requests
		merged.errors += p.errors
		merged.elapsed = max(merged.elapsed, p.elapsed)
		merged.latencies = append(merged.latencies, p.latencies...)
		if merged.firstError == "" {
			merged.firstError = p.firstError
		}
	}
	slices.Sort(merged.latencies)
	return merged
}

// benchSchema creates a fresh schema on the server and returns the URL that uses it, and the
// function that drops it (or, with keep, says where it is).
func benchSchema(ctx context.Context, raw string, keep bool) (string, func(), error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", nil, fmt.Errorf("-store: %w", err)
	}
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	schema := "hooktap_bench_" + hex.EncodeToString(b)
	conn, err := pgx.Connect(ctx, raw)
	if err != nil {
		return "", nil, fmt.Errorf("-store: %w", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `CREATE SCHEMA `+pgx.Identifier{schema}.Sanitize()); err != nil {
		return "", nil, fmt.Errorf("-store: create schema %s: %w", schema, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	drop := func() {
		if keep {
			fmt.Fprintln(os.Stderr, "kept schema", schema)
			return
		}
		conn, err := pgx.Connect(context.Background(), raw)
		if err == nil {
			_, err = conn.Exec(context.Background(), `DROP SCHEMA `+pgx.Identifier{schema}.Sanitize()+` CASCADE`)
			conn.Close(context.Background())
		}
		if err != nil {
			fmt.Fprintf(os.Stderr, "drop schema %s: %v\n", schema, err)
		}
	}
	return u.String(), drop, nil
}

func printPostgres(o options, rows []pgRow) {
	fmt.Printf("\n%s\n%s\n\n", machine(), loadAverage())
	fmt.Printf("hooktap serve on PostgreSQL (not pinned: the server needs the cores too); %s measured after %s warm-up per row; %d-byte signed GitHub push to the %s route, load spread evenly over the instances.\n\n",
		o.duration, o.warmup, len(pushPayload), o.routes[0].label)
	fmt.Println("| instances | conns | req/s | vs 1 instance | p50 / p99 | errors | hooktap CPU per request |")
	fmt.Println("|---:|---:|---:|---:|---:|---:|---:|")
	one := map[int]float64{}
	for _, r := range rows {
		if r.instances == 1 {
			one[r.conns] = r.res.rps()
		}
		fmt.Printf("| %d | %d | %.0f | %.2f | %s / %s | %d | %.0f µs |\n", r.instances, r.conns, r.res.rps(),
			ratio(r.res.rps(), one[r.conns]), ms(r.res.percentile(50)), ms(r.res.percentile(99)), r.res.errors, us(r.cpu))
	}
	for _, r := range rows {
		if r.res.errors > 0 {
			fmt.Printf("\n%d instance(s) at %d conns: %d errors, first: %s", r.instances, r.conns, r.res.errors, r.res.firstError)
		}
	}
	fmt.Println()
}

// reportPostgresStored checks that the store holds what the instances accepted: a hooktap that
// ignored HOOKTAP_STORE would have measured its SQLite file instead.
func reportPostgresStored(ctx context.Context, storeURL string, rows []pgRow) error {
	conn, err := pgx.Connect(ctx, storeURL)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	var n int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM captures`).Scan(&n); err != nil {
		return fmt.Errorf("count the captures in PostgreSQL: %w", err)
	}
	measured := 0
	for _, r := range rows {
		measured += r.res.requests - r.res.errors
	}
	fmt.Printf("\nPostgreSQL holds %d captures (measured 2xx answers: %d; warm-ups add the rest).\n", n, measured)
	if n < measured {
		return errors.New("PostgreSQL holds fewer captures than were answered 2xx")
	}
	return nil
}
