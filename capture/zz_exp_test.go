package capture

import (
	"context"
	"os"
	"syscall"
	"testing"
	"time"
)

func cpuNow() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func BenchmarkZZSavePush(b *testing.B) {
	body, err := os.ReadFile("../bench/load/testdata/github_push.json")
	if err != nil {
		b.Fatal(err)
	}
	s := openTest(b)
	b.SetParallelism(16)
	b.ResetTimer()
	c0 := cpuNow()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			c := benchCapture()
			c.Body = body
			if err := s.Save(context.Background(), c); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.StopTimer()
	b.ReportMetric(float64(cpuNow()-c0)/float64(b.N)/1000, "cpu-µs/op")
	st := s.WriteStats()
	b.ReportMetric(float64(st.Writes)/float64(max(st.Commits, 1)), "rows/commit")
}
