package gateway_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/gateway"
)

// abuseConfig puts the gateway behind a trusted proxy on loopback, so each test request can come
// from an internet address of its choosing (X-Forwarded-For), as through a tunnel.
const abuseConfig = `
gateway:
  trusted_proxies: ["127.0.0.1"]
  routes:
    gh:
      secret: "s3cret"
      verify: github
      rate_limit: 5
`

// The route's rate limit was charged before the signature was checked: five forgeries locked a
// 5/min route and its real sender got 429. Forgeries now spend their own source's budget.
func TestForgedFloodLeavesRealSenderIntact(t *testing.T) {
	h := start(t, abuseConfig)
	body := []byte(`{"zen":"hi"}`)
	for i := range 20 {
		status, _, _ := h.post("/webhooks/gh", body, "X-Forwarded-For", "203.0.113.9",
			"X-GitHub-Event", "push", "X-Hub-Signature-256", githubSig("forged", body))
		if status != 401 {
			t.Fatalf("forgery %d: %d, want 401", i, status)
		}
	}
	status, answer, _ := h.post("/webhooks/gh", body, "X-Forwarded-For", "198.51.100.7",
		"X-GitHub-Event", "push", "X-Hub-Signature-256", githubSig("s3cret", body))
	if status != 202 {
		t.Fatalf("the real sender after a forged flood: %d %s, want 202", status, answer)
	}
}

// Unknown routes had no limit and their captures kept whole bodies: 200 × 1 MiB stored 199 MiB.
// Now a rejected capture keeps 64 KB, and past its source's budget a rejection is not recorded.
func TestRejectedFloodStoresBoundedBytes(t *testing.T) {
	h := start(t, abuseConfig)
	big := bytes.Repeat([]byte("A"), 1<<20)
	answered := map[int]int{}
	began := time.Now()
	for i := range 200 {
		status, _, err := h.tryPost(fmt.Sprintf("/webhooks/nope-%d", i), big, "X-Forwarded-For", "203.0.113.9")
		if err == nil {
			answered[status]++
		}
	}
	if answered[429] == 0 {
		t.Errorf("answers %v: the source's rejections were never limited", answered)
	}
	var stored int64
	page, err := h.store.List(context.Background(), capture.Filter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range page.Captures {
		stored += int64(c.BodySize)
		if c.BodySize > 64<<10 || (c.BodySize == 64<<10) != c.Truncated {
			t.Fatalf("capture %s keeps %d bytes, truncated=%v", c.ID, c.BodySize, c.Truncated)
		}
	}
	// The source's budget is a bucket of RejectPerMinute refilling one a second; a slow machine
	// sending the flood for longer earns the source that many more stored prefixes, no more.
	budget := int64(gateway.RejectPerMinute) + int64(time.Since(began).Seconds()) + 1
	if stored > budget*(64<<10) {
		t.Fatalf("a 200 MiB flood to unknown routes stored %d bytes in %d captures, bound %d prefixes of 64 KiB",
			stored, len(page.Captures), budget)
	}
}

// A failed verification keeps a bounded prefix of its body, marked truncated.
func TestRejectedCaptureKeepsPrefix(t *testing.T) {
	h := start(t, abuseConfig)
	body := bytes.Repeat([]byte("B"), 512<<10)
	status, _, _ := h.post("/webhooks/gh", body, "X-Forwarded-For", "203.0.113.9",
		"X-GitHub-Event", "push", "X-Hub-Signature-256", githubSig("forged", body))
	c := h.latest()
	if status != 401 || len(c.Body) != 64<<10 || !c.Truncated {
		t.Fatalf("status %d, capture body %d bytes, truncated=%v", status, len(c.Body), c.Truncated)
	}
}

// tryPost is post for requests the server may cut off: an error is returned, not fatal.
func (h *harness) tryPost(path string, body []byte, headers ...string) (int, string, error) {
	req, err := http.NewRequest(http.MethodPost, h.url+path, bytes.NewReader(body))
	if err != nil {
		return 0, "", err
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Add(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), nil
}
