//go:build unix

package signature

import (
	"bytes"
	"strings"
	"syscall"
	"testing"
	"time"
)

// hostileBodies are the 1 MiB shapes that cost the doctor most: a flat array whose pretty-printed
// variants are built just under their cap, wide objects whose variants pass it, nesting just under
// the depth cap, and nesting far past it.
func hostileBodies() map[string][]byte {
	wide := append([]byte("["), bytes.Repeat([]byte(`{"a":[1,{"b":"c"}],"d":{"e":[]}},`), 32_000)...)
	wide[len(wide)-1] = ']'
	unit := strings.Repeat(`{"k":[`, 31) + "1" + strings.Repeat("]}", 31)
	nested := "[" + strings.Repeat(unit+",", (1<<20)/(len(unit)+1))
	nested = nested[:len(nested)-1] + "]"
	flat := append([]byte("["), bytes.Repeat([]byte("1,"), (1<<20)/2-1)...)
	flat[len(flat)-1] = ']'
	return map[string][]byte{
		"flat":   flat,
		"wide":   wide[:min(len(wide), 1<<20)],
		"nested": []byte(nested),
		"deep":   append(bytes.Repeat([]byte("["), 1<<19), bytes.Repeat([]byte("]"), 1<<19)...),
	}
}

// BenchmarkDiagnoseHostile1MiB is the doctor's worst case on a 1 MiB body with a wrong but
// well-formed signature: every candidate the budget pays for is tried. B/op is the bound that
// matters (tens of MB); ns/op depends on the machine's SHA-256 speed and load, so cpu-ms/op
// (CPU time this process spent per diagnosis) is reported too: it holds on a busy machine.
func BenchmarkDiagnoseHostile1MiB(b *testing.B) {
	for name, body := range hostileBodies() {
		req := Request{URL: "https://example.com/h", Body: body,
			Header: hdr("X-Hub-Signature-256", "sha256="+strings.Repeat("0", 64), "Content-Type", "application/json")}
		p := Params{Scheme: SchemeGitHub, Secrets: secrets("s3cret"), Others: []Secret{{Label: "other", Value: "x"}}}
		o := Verify(req, p)
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(body)))
			before := cpuTime()
			for b.Loop() {
				Diagnose(req, p, o)
			}
			b.ReportMetric(float64(cpuTime()-before)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
		})
	}
}

// cpuTime is the user and system CPU time this process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
