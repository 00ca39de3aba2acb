package e2e

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// Issue 7: the tunnel is optional, says how to enable it, and never takes the local gateway down.

// serveWithEnv starts `hooktap serve` in zero-config with the tunnel in its default mode and
// extra environment variables (serve in harness_test.go always passes --tunnel off).
func serveWithEnv(t *testing.T, env ...string) *proc {
	t.Helper()
	dir := t.TempDir()
	cmd := exec.Command(binary, "serve", "--data-dir", dir, "--addr", "127.0.0.1:0", "--admin-addr", "127.0.0.1:0")
	cmd.Env = append(cleanEnv(dir), env...)
	return launch(t, cmd, dir)
}

// waitLog waits up to d for a log line containing want.
func (p *proc) waitLog(t *testing.T, want string, d time.Duration) string {
	t.Helper()
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		for _, line := range strings.Split(p.output(), "\n") {
			if strings.Contains(line, want) {
				return line
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("no log line with %q within %v:\n%s", want, d, p.output())
	return ""
}

// checkTunnelsAPI asserts GET /api/tunnels on the admin listener answers in ngrok's agent shape.
func checkTunnelsAPI(t *testing.T, p *proc, wantTunnels int) {
	t.Helper()
	resp, err := http.Get("http://" + p.admin + "/api/tunnels")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	var doc map[string]json.RawMessage
	if resp.StatusCode != 200 || json.Unmarshal(b, &doc) != nil || len(doc) != 2 {
		t.Fatalf("/api/tunnels: %d %s, want 200 {\"tunnels\",\"uri\"}", resp.StatusCode, b)
	}
	var uri string
	var tunnels []map[string]any
	if json.Unmarshal(doc["uri"], &uri) != nil || uri != "/api/tunnels" {
		t.Errorf("/api/tunnels uri: %s", doc["uri"])
	}
	if json.Unmarshal(doc["tunnels"], &tunnels) != nil || tunnels == nil || len(tunnels) != wantTunnels {
		t.Errorf("/api/tunnels tunnels: %s, want a list of %d", doc["tunnels"], wantTunnels)
	}
}

func TestTunnelLocalOnlyWithoutToken(t *testing.T) {
	p := serveWithEnv(t)
	p.waitLog(t, "local only — set NGROK_AUTHTOKEN to expose", time.Second)
	if status, answer := p.post(t, "/webhooks/inspect", []byte(`{"a":1}`), nil); status != 200 {
		t.Fatalf("local gateway: %d %s", status, answer)
	}
	checkTunnelsAPI(t, p, 0)
}

func TestTunnelBogusTokenKeepsWorkingLocally(t *testing.T) {
	// No network here: the agent fails on DNS (or ngrok rejects the token where there is one).
	p := serveWithEnv(t, "NGROK_AUTHTOKEN=bogus")
	line := p.waitLog(t, "tunnel error", 5*time.Second)
	if !contains(line, "hint=") {
		t.Errorf("tunnel error line gives no hint: %s", line)
	}
	if contains(p.output(), "bogus") {
		t.Errorf("the log shows the token in clear:\n%s", p.output())
	}
	select {
	case <-p.done:
		t.Fatalf("hooktap exited after the tunnel error:\n%s", p.output())
	default:
	}
	if status, answer := p.post(t, "/webhooks/inspect", []byte(`{"a":1}`), nil); status != 200 {
		t.Fatalf("local gateway after the tunnel error: %d %s", status, answer)
	}
	checkTunnelsAPI(t, p, 0)
}

func TestTunnelNgrokWithoutTokenExits2(t *testing.T) {
	dir := t.TempDir()
	_, stderr, code := run(t, dir, "serve", "--tunnel", "ngrok", "--data-dir", dir,
		"--addr", "127.0.0.1:0", "--admin-addr", "127.0.0.1:0")
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	if code != 2 || len(lines) != 1 || contains(stderr, "panic") {
		t.Fatalf("exit %d, stderr:\n%s\nwant exit 2 and one guidance line", code, stderr)
	}
	for _, want := range []string{"NGROK_AUTHTOKEN", "https://dashboard.ngrok.com/get-started/your-authtoken"} {
		if !contains(lines[0], want) {
			t.Errorf("guidance %q lacks %q", lines[0], want)
		}
	}
}

// The admin API is served only on its own loopback listener: never through the public one
// (which is what the tunnel exposes), and never to a page that rebinds a foreign name.
func TestAdminUnreachableFromOutside(t *testing.T) {
	p := serve(t, readPathConfig)
	for _, path := range []string{"/api/v1/captures", "/api/v1/captures/stream", "/api/v1/routes", "/api/tunnels"} {
		resp, err := http.Get("http://" + p.gateway + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 404 || contains(string(b), "captures") {
			t.Errorf("public listener %s: %d %s, want 404", path, resp.StatusCode, b)
		}
	}
	for _, host := range []string{"evil.example.com", "evil.example.com:" + portOf(p.admin), "127.0.0.1.nip.io"} {
		req, _ := http.NewRequest(http.MethodGet, "http://"+p.admin+"/api/v1/captures", nil)
		req.Host = host
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 403 {
			t.Errorf("admin with Host %q: %d, want 403", host, resp.StatusCode)
		}
	}
	req, _ := http.NewRequest(http.MethodGet, "http://"+p.admin+"/api/v1/captures", nil)
	req.Host = "localhost:" + portOf(p.admin)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 200 {
		t.Fatalf("admin with Host localhost: %v %v (the guard must let loopback names through)", resp, err)
	} else {
		resp.Body.Close()
	}
}

func portOf(addr string) string {
	_, port, _ := net.SplitHostPort(addr)
	return port
}
