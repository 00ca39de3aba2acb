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
func printReport(w io.Writer, o options, pin pinning, clientNote string, rows []row) {
	fmt.Fprintf(w, "\n%s\n%s\n\n", machine(), loadAverage())
	fmt.Fprintf(w, "%s; %s; %s measured per server, route, client and count after %s warm-up; %d-byte signed GitHub push.\n",
		pin.note, clientNote, o.duration, o.warmup, len(pushPayload))
	fmt.Fprintf(w, "Routes: verify = `verify: github`; template = the same plus `prompt: %q` (bare decodes the body with encoding/json to render the same text).\n\n", routePrompt)
	fmt.Fprintln(w, "| route | client | conns | bare req/s | hooktap req/s | ratio | bare p50 / p99 | hooktap p50 / p99 | errors bare / hooktap | peak RSS bare / hooktap | server CPU per request bare / hooktap | client CPU per request (bare / hooktap run) |")
	fmt.Fprintln(w, "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, r := range rows {
		fmt.Fprintf(w, "| %s | %s | %d | %.0f | %.0f | %.2f | %s / %s | %s / %s | %d / %d | %s / %s | %.0f µs / %.0f µs | %.0f µs / %.0f µs |\n",
			r.route, r.client, r.conns, r.bare.rps(), r.hooktap.rps(), ratio(r.hooktap.rps(), r.bare.rps()),
			ms(r.bare.percentile(50)), ms(r.bare.percentile(99)),
			ms(r.hooktap.percentile(50)), ms(r.hooktap.percentile(99)),
			r.bare.errors, r.hooktap.errors, mb(r.bareRSS), mb(r.hookRSS), us(r.bareCPU), us(r.hookCPU),
			us(r.bareLoad), us(r.hookLoad))
	}
	for _, r := range rows {
		for _, res := range []struct {
			name string
			r    result
		}{{"bare", r.bare}, {"hooktap", r.hooktap}} {
			if res.r.errors > 0 {
				fmt.Fprintf(w, "\n%s, %s route, %s client at %d conns: %d errors, first: %s", res.name, r.route, r.client, r.conns, res.r.errors, res.r.firstError)
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

// loadAverage is the machine's load when the report is printed: other work on a shared machine
// moves requests/s, far less the CPU per request.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "load average: unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "load average: unknown"
	}
	return "load average (1, 5, 15 min) at the end of the run: " + strings.Join(f[:3], ", ")
}

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
