package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync/atomic"
	"time"
)

// printFill reports insert cost per 10 000-row slice at a few depths, its trend, RSS and size.
// The CPU column is the steadier one on a shared machine: wall time per row also counts the
// neighbours' work and the kernel writing the file back. CPU is split into the process's own
// (user: the store's work) and the kernel's on its behalf (writing gigabytes into the page
// cache, whose cost on this VM rises once several GB of file data are cached; BENCHMARKS.md).
func printFill(o options, sl []fillSlice, inserted int, rss int64, rssErr error, size int64) {
	fmt.Printf("\n%s\n\nfill: %d of %d captures inserted through capture.Store.Save (%d concurrent savers).\n\n",
		machine(), inserted, o.fill, fillWriters)
	fmt.Println("| rows in store | insert wall time per row | insert CPU per row | of which user / kernel | newest 50 | one capture by id | by short id |")
	fmt.Println("|---:|---:|---:|---:|---:|---:|---:|")
	for i, s := range sl {
		rows := min((i+1)*fillSliceRows, inserted)
		if !isMarker(rows) && i != len(sl)-1 {
			continue
		}
		newest, get, short := "", "", ""
		if q := s.queries; q != nil && q.err != nil {
			newest = q.err.Error()
		} else if q != nil {
			newest, get, short = ms(q.newest), ms(q.get), ms(q.short)
		}
		fmt.Printf("| %d | %.1f µs | %.1f µs | %.1f / %.1f µs | %s | %s | %s |\n", rows, us(s.wall), us(s.cpu),
			us(s.user), us(s.sys), newest, get, short)
	}
	if len(sl) >= 20 {
		for _, c := range []struct {
			name string
			of   func(fillSlice) time.Duration
		}{{"wall time", func(s fillSlice) time.Duration { return s.wall }}, {"CPU", func(s fillSlice) time.Duration { return s.cpu }},
			{"user CPU", func(s fillSlice) time.Duration { return s.user }}, {"kernel CPU", func(s fillSlice) time.Duration { return s.sys }}} {
			var first, last []time.Duration
			for _, s := range sl[:10] {
				first = append(first, c.of(s))
			}
			for _, s := range sl[len(sl)-10:] {
				last = append(last, c.of(s))
			}
			f, l := median(first), median(last)
			fmt.Printf("\ninsert %s: median of the first 10 slices %.1f µs/row, of the last 10 %.1f µs/row: ratio %.2f",
				c.name, us(f), us(l), ratio(float64(l), float64(f)))
		}
		fmt.Println()
	}
	if rssErr != nil {
		fmt.Println("peak RSS:", rssErr)
	} else {
		fmt.Printf("peak RSS of the filling process: %s\n", mb(rss))
	}
	if inserted > 0 {
		raw := len(pushPayload) + headerBytes(fillCapture(0).Headers)
		per := float64(size) / float64(inserted)
		fmt.Printf("store on disk %s: %.0f bytes per capture = body+headers %d + %.0f overhead\n",
			mb(size), per, raw, per-float64(raw))
	}
}

func isMarker(rows int) bool {
	for _, m := range []int{10_000, 20_000, 50_000, 100_000, 200_000, 500_000, 1_000_000, 2_000_000, 5_000_000} {
		if rows == m {
			return true
		}
	}
	return false
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

func us(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) }

// serveFilled starts hooktap serve on the filled store (retention above the row count so
// nothing is pruned), drives it at 16 connections, and reports its peak RSS.
func serveFilled(ctx context.Context, o options, dir string, rows int) error {
	root, err := repoRoot()
	if err != nil {
		return err
	}
	bin := filepath.Join(dir, "hooktap")
	if err := buildOne(ctx, root, bin, "."); err != nil {
		return err
	}
	secret := newSecret()
	cfgPath := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(cfgPath, []byte(hooktapConfig(secret, rows*2)), 0o600); err != nil {
		return err
	}
	pin := planPinning(o.cpus)
	srv, err := startHooktap(dir, bin, cfgPath, pin)
	if err != nil {
		return err
	}
	defer func() { _ = srv.stop() }()
	if err := pin.pinSelf(); err != nil {
		return err
	}
	idle, _ := peakRSS(srv.cmd.Process.Pid)
	var seq atomic.Uint64
	res := runLoad(ctx, githubTarget("http://"+srv.addr+"/webhooks/"+routeName, secret, &seq), 16, o.duration)
	peak, err := peakRSS(srv.cmd.Process.Pid)
	if err != nil {
		return err
	}
	fmt.Printf("hooktap serve on the %d-capture store: peak RSS %s after start, %s after %s at 16 conns "+
		"(%.0f req/s, p99 %s, %d errors)\n", rows, mb(idle), mb(peak), o.duration, res.rps(), ms(res.percentile(99)), res.errors)
	return nil
}
