package e2e

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Issue 3: every capture is listed and retrievable byte-exact through the admin API and the CLI.

const readPathConfig = "gateway:\n  rate_limit: 10000\n  routes:\n    open:\n      secret: INSECURE_NO_AUTH\n" +
	"    gh:\n      verify: github\n      secret: \"gh-secret\"\n"

// rawRequest is one request written byte for byte on a TCP connection, headers in this order.
type rawRequest struct {
	name    string
	path    string
	headers [][2]string // without Host and Content-Length, which rawPost adds first and last
	body    []byte
	status  int
}

func allBytes() []byte {
	b := make([]byte, 256)
	for i := range b {
		b[i] = byte(i)
	}
	return b
}

func readPathRequests() []rawRequest {
	repeated := func(ct string) [][2]string {
		return [][2]string{{"User-Agent", "e2e/1"}, {"Accept", "*/*"}, {"X-Multi", "one"},
			{"Content-Type", ct}, {"X-Multi", "two"}, {"x-lower-case", "v"}, {"X-Multi", "three"}}
	}
	return []rawRequest{
		{"text", "/webhooks/open?x=1&y=2", repeated("text/plain"), []byte("hello, world\nsecond line\n"), 202},
		{"binary", "/webhooks/open", repeated("application/octet-stream"), allBytes(), 202},
		{"invalid-utf8", "/webhooks/open", repeated("application/json"), []byte("{\"a\":\"caf\xe9 \xff\xfe\xc3\x28\"}"), 202},
		{"rejected", "/webhooks/gh", [][2]string{{"User-Agent", "GitHub-Hookshot/e2e"}, {"Content-Type", "application/json"},
			{"X-GitHub-Event", "push"}, {"X-Hub-Signature-256", "sha256=" + strings.Repeat("0", 64)}},
			[]byte(`{"ref":"refs/heads/main"}`), 401},
	}
}

// wantHeaders is the header list rawPost sends and the gateway should record, in order.
func (rq rawRequest) wantHeaders(addr string) [][2]string {
	h := append([][2]string{{"Host", addr}}, rq.headers...)
	return append(h, [2]string{"Content-Length", strconv.Itoa(len(rq.body))}, [2]string{"Connection", "close"})
}

// rawPost writes rq on a fresh connection and returns the status and body of the answer.
func rawPost(t *testing.T, addr string, rq rawRequest) (int, []byte) {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 3*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
	var b bytes.Buffer
	fmt.Fprintf(&b, "POST %s HTTP/1.1\r\n", rq.path)
	for _, h := range rq.wantHeaders(addr) {
		fmt.Fprintf(&b, "%s: %s\r\n", h[0], h[1])
	}
	b.WriteString("\r\n")
	b.Write(rq.body)
	if _, err := conn.Write(b.Bytes()); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, answer
}

// captureJSON is the part of the capture JSON form these tests look at.
type captureJSON struct {
	ID           string      `json:"id"`
	Route        string      `json:"route"`
	Path         string      `json:"path"`
	Query        string      `json:"query"`
	Headers      [][2]string `json:"headers"`
	BodyBase64   *string     `json:"body_base64"`
	BodyText     *string     `json:"body_text"`
	Status       int         `json:"status"`
	ResponseBody string      `json:"response_body"`
	ReplayOf     string      `json:"replay_of"`
	Source       string      `json:"source"`
	Verification struct {
		Scheme string `json:"scheme"`
		Result string `json:"result"`
		Reason string `json:"reason"`
	} `json:"verification"`
}

func (c captureJSON) body(t *testing.T) []byte {
	t.Helper()
	if c.BodyBase64 == nil {
		t.Fatalf("capture %s has no body_base64", c.ID)
	}
	b, err := base64.StdEncoding.DecodeString(*c.BodyBase64)
	if err != nil {
		t.Fatalf("body_base64: %v", err)
	}
	return b
}

// adminGet fetches path from the admin API and decodes the JSON answer into v.
func adminGet(t *testing.T, p *proc, path string, v any) {
	t.Helper()
	resp, err := http.Get("http://" + p.admin + path)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %s", path, resp.StatusCode, b)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("GET %s: %v: %s", path, err, b)
	}
}

// sendAll sends every request and returns the capture ids in the same order, found by listing.
func sendAll(t *testing.T, p *proc, reqs []rawRequest) []string {
	t.Helper()
	for _, rq := range reqs {
		if status, answer := rawPost(t, p.gateway, rq); status != rq.status {
			t.Fatalf("%s: status %d %s, want %d", rq.name, status, answer, rq.status)
		}
	}
	var list struct {
		Captures []captureJSON `json:"captures"`
	}
	adminGet(t, p, "/api/v1/captures?limit=1000", &list)
	if len(list.Captures) != len(reqs) {
		t.Fatalf("listed %d captures, want %d", len(list.Captures), len(reqs))
	}
	ids := make([]string, len(reqs))
	for i := range reqs { // newest first
		c := list.Captures[len(reqs)-1-i]
		if c.Status != reqs[i].status || !strings.HasPrefix(reqs[i].path, c.Path) {
			t.Fatalf("list entry %d: %+v, want %s answered %d", i, c, reqs[i].path, reqs[i].status)
		}
		ids[i] = c.ID
	}
	return ids
}

func TestReadPathByteExact(t *testing.T) {
	p := serve(t, readPathConfig)
	reqs := readPathRequests()
	ids := sendAll(t, p, reqs)
	for i, rq := range reqs {
		t.Run(rq.name, func(t *testing.T) {
			var api captureJSON
			adminGet(t, p, "/api/v1/captures/"+ids[i]+"?reveal=true", &api)
			checkCapture(t, "api", api, rq, p.gateway)

			raw, stderr, code := run(t, p.dataDir, "captures", "show", ids[i], "--raw", "--data-dir", p.dataDir)
			if code != 0 || !bytes.Equal([]byte(raw), rq.body) {
				t.Fatalf("show --raw: exit %d %s\ngot  %q\nwant %q", code, stderr, raw, rq.body)
			}
			out, stderr, code := run(t, p.dataDir, "captures", "show", ids[i], "--json", "--reveal", "--data-dir", p.dataDir)
			var cli captureJSON
			if code != 0 || json.Unmarshal([]byte(out), &cli) != nil {
				t.Fatalf("show --json: exit %d %s\n%s", code, stderr, out)
			}
			checkCapture(t, "cli", cli, rq, p.gateway)
		})
	}
}

// checkCapture asserts exact body, header order and repeats, text form and verdict.
func checkCapture(t *testing.T, via string, c captureJSON, rq rawRequest, addr string) {
	t.Helper()
	if got := c.body(t); !bytes.Equal(got, rq.body) {
		t.Errorf("%s: body\ngot  %q\nwant %q", via, got, rq.body)
	}
	if want := rq.wantHeaders(addr); fmt.Sprint(c.Headers) != fmt.Sprint(want) {
		t.Errorf("%s: headers\ngot  %q\nwant %q", via, c.Headers, want)
	}
	isText := rq.name == "text" || rq.name == "rejected"
	if (c.BodyText != nil) != isText || (isText && *c.BodyText != string(rq.body)) {
		t.Errorf("%s: body_text %v for %s", via, c.BodyText, rq.name)
	}
	if c.Status != rq.status {
		t.Errorf("%s: status %d, want %d", via, c.Status, rq.status)
	}
	if rq.status == 401 {
		v := c.Verification
		if v.Scheme != "github" || v.Result != "failed" || v.Reason != "mismatch" ||
			!contains(c.ResponseBody, `"reason":"mismatch"`) {
			t.Errorf("%s: rejected verdict %+v, response %q", via, v, c.ResponseBody)
		}
	}
}

func TestReadPathStreamPushesWithinASecond(t *testing.T) {
	p := serve(t, readPathConfig)
	resp, err := http.Get("http://" + p.admin + "/api/v1/captures/stream")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 || !contains(resp.Header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("stream: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	events := make(chan captureJSON, 16)
	go func() {
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(make([]byte, 64<<10), 4<<20)
		for sc.Scan() {
			var c captureJSON
			if data, ok := strings.CutPrefix(sc.Text(), "data:"); ok && json.Unmarshal([]byte(strings.TrimSpace(data)), &c) == nil {
				events <- c
			}
		}
		close(events)
	}()
	rq := readPathRequests()[1]
	sent := time.Now()
	status, answer := rawPost(t, p.gateway, rq)
	var accepted struct{ ID string }
	if status != 202 || json.Unmarshal(answer, &accepted) != nil || accepted.ID == "" {
		t.Fatalf("send: %d %s", status, answer)
	}
	deadline := time.After(time.Until(sent.Add(time.Second)))
	for {
		select {
		case c, ok := <-events:
			if !ok {
				t.Fatal("stream closed before the capture arrived")
			}
			if c.ID == accepted.ID {
				if c.BodyBase64 != nil && !bytes.Equal(c.body(t), rq.body) {
					t.Fatalf("streamed body differs: %q", c.body(t))
				}
				t.Logf("streamed %s after %v", c.ID, time.Since(sent))
				return
			}
		case <-deadline:
			t.Fatalf("capture %s not streamed within 1s of sending", accepted.ID)
		}
	}
}

// rawRecorder accepts one HTTP/1.1 request and keeps its exact header lines and body.
type rawRecorder struct {
	ln  net.Listener
	got chan recorded
}

type recorded struct {
	headers [][2]string
	body    []byte
	err     error
}

func newRawRecorder(t *testing.T) *rawRecorder {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	r := &rawRecorder{ln: ln, got: make(chan recorded, 1)}
	t.Cleanup(func() { ln.Close() })
	go func() { r.got <- r.serveOne() }()
	return r
}

func (r *rawRecorder) serveOne() (rec recorded) {
	conn, err := r.ln.Accept()
	if err != nil {
		return recorded{err: err}
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	br := bufio.NewReader(conn)
	length := 0
	for i := 0; ; i++ {
		line, err := br.ReadString('\n')
		if err != nil {
			return recorded{err: err}
		}
		if line = strings.TrimRight(line, "\r\n"); line == "" {
			break
		}
		if name, value, ok := strings.Cut(line, ":"); ok && i > 0 { // line 0 is the request line
			rec.headers = append(rec.headers, [2]string{name, strings.TrimSpace(value)})
			if strings.EqualFold(name, "Content-Length") {
				length, _ = strconv.Atoi(strings.TrimSpace(value))
			}
		}
	}
	rec.body = make([]byte, length)
	if _, rec.err = io.ReadFull(br, rec.body); rec.err == nil {
		_, _ = io.WriteString(conn, "HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n")
	}
	return rec
}

func TestReadPathCurlExportReplaysExactBytes(t *testing.T) {
	if _, err := exec.LookPath("curl"); err != nil {
		requireInCI(t, "curl is needed to replay an exported curl command")
	}
	p := serve(t, readPathConfig)
	reqs := readPathRequests()[:3]
	ids := sendAll(t, p, reqs)
	for i, rq := range reqs {
		t.Run(rq.name, func(t *testing.T) {
			rec := newRawRecorder(t)
			script, stderr, code := run(t, p.dataDir, "captures", "export", ids[i], "--format", "curl",
				"--base-url", "http://"+rec.ln.Addr().String(), "--data-dir", p.dataDir)
			if code != 0 {
				t.Fatalf("export: exit %d %s", code, stderr)
			}
			sh := exec.Command("sh", "-c", script)
			if out, err := sh.CombinedOutput(); err != nil {
				t.Fatalf("sh: %v\n%s\nscript: %s", err, out, script)
			}
			select {
			case got := <-rec.got:
				if got.err != nil {
					t.Fatal(got.err)
				}
				if !bytes.Equal(got.body, rq.body) {
					t.Fatalf("curl sent body\n%q\nwant\n%q\nscript: %s", got.body, rq.body, script)
				}
				if sent := withoutHopHeaders(got.headers); fmt.Sprint(sent) != fmt.Sprint(rq.headers) {
					t.Fatalf("curl sent headers\n%q\nwant\n%q", sent, rq.headers)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("nothing arrived at the recorder")
			}
		})
	}
}

// withoutHopHeaders drops the headers curl computes itself (Host, Content-Length, Connection).
func withoutHopHeaders(h [][2]string) [][2]string {
	var out [][2]string
	for _, kv := range h {
		switch strings.ToLower(kv[0]) {
		case "host", "content-length", "connection":
			continue
		}
		out = append(out, kv)
	}
	return out
}
