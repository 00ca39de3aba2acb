package e2e

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// bodySet is a forward target that records the distinct bodies it received.
type bodySet struct {
	mu   sync.Mutex
	seen map[string]bool
}

func (b *bodySet) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	b.mu.Lock()
	b.seen[string(body)] = true
	b.mu.Unlock()
}

func (b *bodySet) count() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.seen)
}

// restartServe starts `hooktap serve` again over the data dir and config of an earlier run.
func restartServe(t *testing.T, dir string) *proc {
	t.Helper()
	cmd := exec.Command(binary, "serve", "--data-dir", dir, "--config", filepath.Join(dir, "config.yaml"),
		"--addr", "127.0.0.1:0", "--admin-addr", "127.0.0.1:0", "--tunnel", "off")
	cmd.Env = cleanEnv(dir)
	return launch(t, cmd, dir)
}

// An accepted forward survives kill -9: the target is down while requests are accepted, the
// gateway is killed without a chance to flush, and after a restart every one is delivered.
func TestAcceptedForwardSurvivesKill9(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	targetAddr := ln.Addr().String()
	ln.Close() // down for now: connections are refused
	p := serve(t, fmt.Sprintf(`
gateway:
  routes:
    fwd:
      secret: INSECURE_NO_AUTH
      deliver: forward
      deliver_extra: { url: "http://%s/hook" }
`, targetAddr))
	const n = 20
	for i := range n {
		if status, body := p.post(t, "/webhooks/fwd", fmt.Appendf(nil, `{"n":%d}`, i), nil); status != 202 {
			t.Fatalf("request %d: %d %s", i, status, body)
		}
	}
	if err := p.cmd.Process.Kill(); err != nil { // SIGKILL
		t.Fatal(err)
	}
	<-p.done
	out, _, code := run(t, p.dataDir, "deliveries", "list", "--json", "--data-dir", p.dataDir)
	var owed []struct{ State string }
	if code != 0 || json.Unmarshal([]byte(out), &owed) != nil || len(owed) != n {
		t.Fatalf("after kill -9, deliveries list (exit %d): %d entries, want %d:\n%s", code, len(owed), n, out)
	}

	target := &bodySet{seen: map[string]bool{}}
	tl, err := net.Listen("tcp", targetAddr)
	if err != nil {
		t.Skipf("the target's port was taken meanwhile: %v", err)
	}
	srv := &http.Server{Handler: target, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(tl) }()
	t.Cleanup(func() { _ = srv.Close() })

	restartServe(t, p.dataDir)
	deadline := time.Now().Add(30 * time.Second)
	for target.count() < n && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	if got := target.count(); got != n {
		t.Fatalf("after restart the target received %d of %d accepted requests", got, n)
	}
}
