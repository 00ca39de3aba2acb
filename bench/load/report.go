package main

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"time"
)

// printReport writes the comparison as a Markdown table, then the machine and any errors seen.
func printReport(w io.Writer, o options, pin pinning, rows []row) {
	fmt.Fprintf(w, "\n%s\n\n", machine())
	fmt.Fprintf(w, "%s; %s measured per server and count after %s warm-up; %d-byte signed GitHub push.\n\n",
		pin.note, o.duration, o.warmup, len(pushPayload))
	fmt.Fprintln(w, "| conns | bare req/s | hooktap req/s | ratio | bare p50 / p99 | hooktap p50 / p99 | errors bare / hooktap | peak RSS bare / hooktap | server CPU per request bare / hooktap |")
	fmt.Fprintln(w, "|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, r := range rows {
		fmt.Fprintf(w, "| %d | %.0f | %.0f | %.2f | %s / %s | %s / %s | %d / %d | %s / %s | %.0f µs / %.0f µs |\n",
			r.conns, r.bare.rps(), r.hooktap.rps(), ratio(r.hooktap.rps(), r.bare.rps()),
			ms(r.bare.percentile(50)), ms(r.bare.percentile(99)),
			ms(r.hooktap.percentile(50)), ms(r.hooktap.percentile(99)),
			r.bare.errors, r.hooktap.errors, mb(r.bareRSS), mb(r.hookRSS), us(r.bareCPU), us(r.hookCPU))
	}
	for _, r := range rows {
		for _, res := range []struct {
			name string
			r    result
		}{{"bare", r.bare}, {"hooktap", r.hooktap}} {
			if res.r.errors > 0 {
				fmt.Fprintf(w, "\n%s at %d conns: %d errors, first: %s", res.name, r.conns, res.r.errors, res.r.firstError)
			}
		}
	}
	fmt.Fprintln(w)
}

func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond)) }

func mb(b int64) string { return fmt.Sprintf("%.1f MB", float64(b)/(1<<20)) }

// machine describes where the numbers come from: cores, CPU model, Go version.
func machine() string {
	model := "unknown CPU"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for line := range strings.SplitSeq(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				model = strings.TrimSpace(v)
				break
			}
		}
	}
	return fmt.Sprintf("machine: %d cores (%s), %s, %s/%s", numCPU(), model, runtime.Version(), runtime.GOOS, runtime.GOARCH)
}
