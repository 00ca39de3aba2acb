package gateway_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/config"
	"github.com/hooktap/hooktap/gateway"
)

// pushBody is a GitHub push payload of about 7.6 KB, the size the load targets use.
func pushBody() []byte {
	var b bytes.Buffer
	b.WriteString(`{"ref":"refs/heads/main","before":"6113728f27ae82c7b1a177c8d03f9e96e0adf246","commits":[`)
	for i := 0; b.Len() < 7400; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"id":"%040d","message":"Update README.md with section %d","timestamp":"2026-11-22T10:00:00Z",`+
			`"author":{"name":"Octo Cat","email":"octocat@github.com","username":"octocat"},"added":[],"modified":["README.md"]}`, i, i)
	}
	b.WriteString(`],"repository":{"id":1296269,"full_name":"octocat/Hello-World"},"pusher":{"name":"octocat"}}`)
	return b.Bytes()
}

// BenchmarkPipeline runs the whole gateway in-process: verification, event and delivery id,
// dedupe, durable capture through group commit, the 202 answer; once for a route that only
// verifies, once for the same route with a template (the body is then read for the prompt).
// Compare the two by cpu-ns/op and allocs/op; ns/op follows the machine's other work.
func BenchmarkPipeline(b *testing.B) {
	b.Run("verify", func(b *testing.B) { benchPipeline(b, "") })
	b.Run("template", func(b *testing.B) { benchPipeline(b, "      prompt: \"push to {ref}\"\n") })
}

func benchPipeline(b *testing.B, routeExtra string) {
	dir := b.TempDir()
	path := filepath.Join(dir, "config.yaml")
	yaml := "gateway:\n  rate_limit: 1000000000\n  routes:\n    gh:\n      secret: s3cret\n      verify: github\n" + routeExtra
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		b.Fatal(err)
	}
	cfg, err := config.Load(config.Overrides{ConfigFile: path, DataDir: dir}, nil)
	if err != nil {
		b.Fatal(err)
	}
	st, err := capture.Open(filepath.Join(dir, "hooktap.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	srv, err := gateway.New(cfg, st)
	if err != nil {
		b.Fatal(err)
	}
	h := srv.Handler()
	body := pushBody()
	sig := githubSig("s3cret", body)
	var n atomic.Int64
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	b.SetParallelism(8)
	b.ResetTimer()
	cpuBefore := cpuTime()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req := httptest.NewRequestWithContext(context.Background(), http.MethodPost, "/webhooks/gh", bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("X-GitHub-Event", "push")
			req.Header.Set("X-GitHub-Delivery", strconv.FormatInt(n.Add(1), 10))
			req.Header.Set("X-Hub-Signature-256", sig)
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			if w.Code != http.StatusAccepted {
				b.Fatalf("status %d: %s", w.Code, w.Body)
			}
		}
	})
	b.StopTimer()
	if cpu := cpuTime() - cpuBefore; cpu > 0 {
		// The process's CPU per request (handlers, the store's writer, GC): much steadier than
		// ns/op on a machine shared with other work.
		b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
	}
	stats := st.WriteStats()
	if stats.Commits > 0 {
		b.ReportMetric(float64(stats.Writes)/float64(stats.Commits), "rows/commit")
	}
}
