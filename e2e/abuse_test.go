package e2e

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hooktap/hooktap/capture"
)

// abuseConfig has one open route and a 2 s read timeout, so cut-offs happen within the test.
const abuseConfig = "gateway:\n  rate_limit: 1000000\n  read_timeout: 2s\n  routes:\n    r:\n      secret: INSECURE_NO_AUTH\n"

// servedWhile counts requests answered 202 by other clients until stop is closed.
func servedWhile(p *proc, stop <-chan struct{}) *atomic.Int64 {
	var n atomic.Int64
	go func() {
		client := &http.Client{Timeout: 2 * time.Second}
		for {
			select {
			case <-stop:
				return
			default:
			}
			resp, err := client.Post("http://"+p.gateway+"/webhooks/r", "application/json", strings.NewReader(`{"ok":1}`))
			if err != nil {
				time.Sleep(50 * time.Millisecond)
				continue
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusAccepted {
				n.Add(1)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}()
	return &n
}

// TestSlowlorisIsCutOff dribbles request headers one byte per 500 ms: others must be served
// meanwhile, and the server must close the connection within the read timeout (plus slack).
func TestSlowlorisIsCutOff(t *testing.T) {
	p := serve(t, abuseConfig)
	conn, err := net.Dial("tcp", p.gateway)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	stop := make(chan struct{})
	served := servedWhile(p, stop)
	header := "POST /webhooks/r HTTP/1.1\r\nHost: x\r\nX-Slow: " + strings.Repeat("a", 100)
	start := time.Now()
	cutAfter := time.Duration(0)
	for i := 0; i < len(header) && time.Since(start) < 6*time.Second; i++ {
		if _, err := conn.Write([]byte{header[i]}); err != nil {
			cutAfter = time.Since(start)
			break
		}
		if closedByPeer(conn, 500*time.Millisecond) {
			cutAfter = time.Since(start)
			break
		}
	}
	close(stop)
	if served.Load() < 10 {
		t.Errorf("only %d other requests answered while the slow client dribbled", served.Load())
	}
	if cutAfter == 0 || cutAfter > 5*time.Second {
		t.Fatalf("slow header client still connected after %v; want it cut off by the 2s read timeout", time.Since(start).Round(time.Millisecond))
	}
	t.Logf("slowloris cut off after %v; %d other requests served meanwhile", cutAfter.Round(time.Millisecond), served.Load())
}

// closedByPeer waits up to d for the peer to close (or answer) the connection.
func closedByPeer(conn net.Conn, d time.Duration) bool {
	_ = conn.SetReadDeadline(time.Now().Add(d))
	var b [512]byte
	_, err := conn.Read(b[:])
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		return false
	}
	return true // an answer (408/400) or EOF/reset: the server has given up on the request
}

// TestEndlessBodyIsCutOff sends a chunked body that never ends: the read timeout cuts it off,
// others are served meanwhile, and the capture is recorded as a 400 with the partial body.
func TestEndlessBodyIsCutOff(t *testing.T) {
	p := serve(t, abuseConfig)
	conn, err := net.Dial("tcp", p.gateway)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	stop := make(chan struct{})
	served := servedWhile(p, stop)
	fmt.Fprint(conn, "POST /webhooks/r HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n")
	start := time.Now()
	var status int
	for time.Since(start) < 6*time.Second && status == 0 {
		if _, err := fmt.Fprint(conn, "5\r\nchunk\r\n"); err != nil {
			break
		}
		status = readStatus(conn, 200*time.Millisecond)
	}
	close(stop)
	elapsed := time.Since(start)
	if elapsed > 5*time.Second {
		t.Fatalf("endless body still being read after %v; want a cut-off by the 2s read timeout", elapsed)
	}
	if status != 0 && status != http.StatusBadRequest {
		t.Errorf("endless body answered %d; want 400 or a closed connection", status)
	}
	if served.Load() < 10 {
		t.Errorf("only %d other requests answered during the endless body", served.Load())
	}
	var list struct{ Captures []capture.CaptureJSON }
	resp, err := http.Get("http://" + p.admin + "/api/v1/captures?status=400")
	if err != nil {
		t.Fatal(err)
	}
	if err := decodeJSON(resp, &list); err != nil || len(list.Captures) != 1 {
		t.Fatalf("captures with status 400: %+v, %v; want the cut-off request", list.Captures, err)
	}
	got, err := http.Get("http://" + p.admin + "/api/v1/captures/" + list.Captures[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	var c capture.CaptureJSON
	if err := decodeJSON(got, &c); err != nil || c.BodyText == nil || !strings.HasPrefix(*c.BodyText, "chunkchunk") {
		t.Fatalf("cut-off capture has no partial body: %+v %v", c, err)
	}
}

// readStatus reads an answer's status code if one arrives within d; 0 when none, -1 on EOF.
func readStatus(conn net.Conn, d time.Duration) int {
	_ = conn.SetReadDeadline(time.Now().Add(d))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err == nil {
		resp.Body.Close()
		return resp.StatusCode
	}
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		return 0
	}
	return -1
}

// TestThousandConnections opens 1000 keep-alive connections at once, each sending one request:
// every one gets an answer (202, or a clean 429/503) or a clean refusal, and nothing hangs.
func TestThousandConnections(t *testing.T) {
	p := serve(t, abuseConfig)
	const n = 1000
	var answered, refused atomic.Int64
	errs := make(chan string, n)
	var wg sync.WaitGroup
	deadline := time.Now().Add(20 * time.Second)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			switch status, err := oneKeepAliveRequest(p.gateway, i, deadline); {
			case err != nil && strings.Contains(err.Error(), "refused"):
				refused.Add(1)
			case err != nil:
				errs <- err.Error()
			case status == 202 || status == 429 || status == 503:
				answered.Add(1)
			default:
				errs <- fmt.Sprintf("request %d answered %d", i, status)
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	resp, err := http.Get("http://" + p.gateway + "/health")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("server unhealthy after 1000 connections: %v %v", resp, err)
	}
	resp.Body.Close()
	t.Logf("%d answered, %d refused", answered.Load(), refused.Load())
}

func oneKeepAliveRequest(addr string, i int, deadline time.Time) (int, error) {
	conn, err := net.DialTimeout("tcp", addr, 10*time.Second)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	_ = conn.SetDeadline(deadline)
	body := fmt.Sprintf(`{"n":%d}`, i)
	if _, err := fmt.Fprintf(conn, "POST /webhooks/r HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", len(body), body); err != nil {
		return 0, err
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		return 0, fmt.Errorf("request %d: no answer: %w", i, err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, nil
}

// serveLimited starts `hooktap serve` with a file-size limit; SIGXFSZ is ignored, so a write
// past the limit fails with EFBIG as on a full disk.
func serveLimited(t *testing.T, yaml string, maxFileBytes int) *proc {
	t.Helper()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.yaml")
	writeFile(t, cfg, yaml)
	script := fmt.Sprintf(`trap '' XFSZ; exec prlimit --fsize=%d "$0" "$@"`, maxFileBytes)
	cmd := exec.Command("sh", "-c", script, binary, "serve", "--data-dir", dir, "--config", cfg,
		"--addr", "127.0.0.1:0", "--admin-addr", "127.0.0.1:0", "--tunnel", "off")
	cmd.Env = cleanEnv(dir)
	return launch(t, cmd, dir)
}

// TestFullDisk fills the store's file-size limit: answers turn into a clean 503, the log says why,
// and after a stop the store opens with every 202-answered capture in it.
func TestFullDisk(t *testing.T) {
	if _, err := exec.LookPath("prlimit"); err != nil {
		requireInCI(t, "prlimit (util-linux) is needed to simulate a full disk")
	}
	p := serveLimited(t, abuseConfig, 512<<10)
	client := &http.Client{Timeout: 20 * time.Second}
	body := strings.Repeat("x", 8<<10)
	var ids []string
	full := false
	for i := 0; i < 400 && !full; i++ {
		resp, err := client.Post("http://"+p.gateway+"/webhooks/r", "text/plain", strings.NewReader(body))
		if err != nil {
			t.Fatalf("request %d: %v (server crashed?)\n%s", i, err, p.output())
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		switch resp.StatusCode {
		case http.StatusAccepted:
			ids = append(ids, between202ID(string(b)))
		case http.StatusServiceUnavailable:
			if strings.TrimSpace(string(b)) != `{"error":"capture store unavailable"}` {
				t.Fatalf("503 body %q", b)
			}
			full = true
		default:
			t.Fatalf("request %d: %d %s", i, resp.StatusCode, b)
		}
	}
	if !full || len(ids) == 0 {
		t.Fatalf("full=%v after %d accepted requests; the limit was not reached or nothing fit", full, len(ids))
	}
	p.stop()
	checkLogSaysWhy(t, p.output())
	checkStoreHolds(t, filepath.Join(p.dataDir, "hooktap.db"), ids)
}

// checkLogSaysWhy: serve's log names the failed save and a cause a user can act on (the disk or
// a size limit is full), not just a generic I/O error.
func checkLogSaysWhy(t *testing.T, log string) {
	t.Helper()
	saved := false
	for _, line := range strings.Split(log, "\n") {
		if !strings.Contains(line, "capture not saved") {
			continue
		}
		saved = true
		lower := strings.ToLower(line)
		for _, why := range []string{"full", "no space", "too large", "size limit", "quota"} {
			if strings.Contains(lower, why) {
				return
			}
		}
		t.Errorf("serve's log says a capture was not saved but not why (disk full / size limit): %s", line)
		return
	}
	if !saved {
		t.Errorf("serve's log does not mention the failed saves:\n%s", log)
	}
}

func between202ID(body string) string {
	_, rest, _ := strings.Cut(body, `"id":"`)
	id, _, _ := strings.Cut(rest, `"`)
	return id
}

func checkStoreHolds(t *testing.T, path string, ids []string) {
	t.Helper()
	if _, err := os.Stat(path); err != nil {
		t.Fatal(err)
	}
	st, err := capture.OpenExisting(path)
	if err != nil {
		t.Fatalf("store does not open after the disk filled: %v", err)
	}
	defer st.Close()
	for _, id := range ids {
		if _, err := st.Get(context.Background(), id); err != nil {
			t.Fatalf("answered 202 but not in the store: %s: %v (of %d)", id, err, len(ids))
		}
	}
	t.Logf("%d accepted captures all in the store after the disk filled", len(ids))
}
