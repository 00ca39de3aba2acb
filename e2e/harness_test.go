// Package e2e starts the real hooktap binary and speaks HTTP to it, as a user would.
package e2e

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	// The binary under test is built in a subprocess, which Go's test cache cannot see; importing
	// its code makes any change to it invalidate cached e2e results.
	_ "github.com/hooktap/hooktap/cli"
)

var binary string

// TestMain builds the binary from this checkout, or uses HOOKTAP_BIN when set (a release build).
func TestMain(m *testing.M) {
	if bin := os.Getenv("HOOKTAP_BIN"); bin != "" {
		binary = bin
		os.Exit(m.Run())
	}
	dir, err := os.MkdirTemp("", "hooktap-e2e")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "hooktap")
	build := exec.Command("go", "build", "-o", binary, "..")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build hooktap:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// proc is a running `hooktap serve`.
type proc struct {
	cmd     *exec.Cmd
	dataDir string
	gateway string
	admin   string
	mu      sync.Mutex
	log     bytes.Buffer
	done    chan struct{}
}

var startedRE = regexp.MustCompile(`gateway=http://(\S+) admin=http://(\S+)`)

// serve starts `hooktap serve` with config yaml (when non-empty) on free loopback ports.
func serve(t *testing.T, yaml string, extraArgs ...string) *proc {
	t.Helper()
	dir := t.TempDir()
	args := []string{"serve", "--data-dir", dir, "--addr", "127.0.0.1:0", "--admin-addr", "127.0.0.1:0", "--tunnel", "off"}
	if yaml != "" {
		path := filepath.Join(dir, "config.yaml")
		writeFile(t, path, yaml)
		args = append(args, "--config", path)
	}
	cmd := exec.Command(binary, append(args, extraArgs...)...)
	cmd.Env = cleanEnv(dir)
	return launch(t, cmd, dir)
}

// launch starts cmd, a hooktap process using data dir dir, and waits until it announces where
// it listens; it is stopped when the test ends.
func launch(t *testing.T, cmd *exec.Cmd, dir string) *proc {
	t.Helper()
	p := &proc{cmd: cmd, dataDir: dir, done: make(chan struct{})}
	stderr, err := p.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ready := make(chan struct{})
	go p.readLog(stderr, ready)
	go func() { _ = p.cmd.Wait(); close(p.done) }()
	select {
	case <-ready:
	case <-p.done:
		t.Fatalf("hooktap exited early:\n%s", p.output())
	case <-time.After(20 * time.Second):
		t.Fatalf("hooktap did not start:\n%s", p.output())
	}
	t.Cleanup(p.stop)
	return p
}

func cleanEnv(dir string) []string {
	env := []string{"HOME=" + dir, "XDG_CONFIG_HOME=" + filepath.Join(dir, "xdg-config"),
		"XDG_DATA_HOME=" + filepath.Join(dir, "xdg-data"), "PATH=" + os.Getenv("PATH")}
	return env
}

func (p *proc) readLog(r io.Reader, ready chan struct{}) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	signalled := false
	for sc.Scan() {
		line := sc.Text()
		p.mu.Lock()
		p.log.WriteString(line + "\n")
		if m := startedRE.FindStringSubmatch(line); m != nil && !signalled {
			p.gateway, p.admin = m[1], m[2]
			signalled = true
			close(ready)
		}
		p.mu.Unlock()
	}
}

func (p *proc) output() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.log.String()
}

func (p *proc) stop() {
	select {
	case <-p.done:
		return
	default:
	}
	_ = p.cmd.Process.Signal(os.Interrupt)
	select {
	case <-p.done:
	case <-time.After(15 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.done
	}
}

// post sends a request to the gateway and returns status and body.
func (p *proc) post(t *testing.T, path string, body []byte, h http.Header) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, "http://"+p.gateway+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range h {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// run executes the binary with args and returns stdout, stderr and the exit code.
func run(t *testing.T, dir string, args ...string) (string, string, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Env = cleanEnv(dir)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return out.String(), errb.String(), code
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
