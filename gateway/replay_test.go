package gateway_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
)

// A replay goes through the route again and reaches the forward target even though the
// delivery id was seen; a request that only claims to be a replay by header is a duplicate.
func TestReplayDeliversAgainPastIdempotency(t *testing.T) {
	rec := &recorder{status: 201}
	target := httptest.NewServer(rec)
	defer target.Close()
	h := start(t, fmt.Sprintf(`
gateway:
  routes:
    gh:
      verify: github
      secret: s3cret
      deliver: forward
      deliver_extra: { url: %q }
`, target.URL))
	body := []byte(`{"action":"opened"}`)
	headers := []string{"X-GitHub-Event", "pull_request", "X-GitHub-Delivery", "d-1", "X-Hub-Signature-256", githubSig("s3cret", body)}
	if status, answer, _ := h.post("/webhooks/gh", body, headers...); status != http.StatusAccepted {
		t.Fatalf("first delivery: %d %s", status, answer)
	}
	eventually(t, func() bool { b, _ := rec.received(); return len(b) == 1 })
	original := h.latest()

	forged := append(append([]string(nil), headers...), "X-Hooktap-Source", "replay", "X-Hooktap-Replay-Of", original.ID)
	if status, answer, _ := h.post("/webhooks/gh", body, forged...); status != http.StatusOK || !bytes.Contains([]byte(answer), []byte("duplicate")) {
		t.Fatalf("a header claiming a replay: %d %s, want the duplicate answer", status, answer)
	}

	for i := range 2 {
		req := httptest.NewRequest(http.MethodPost, "/webhooks/gh", bytes.NewReader(body))
		for j := 0; j+1 < len(headers); j += 2 {
			req.Header.Set(headers[j], headers[j+1])
		}
		c, err := h.srv.Replay(context.Background(), req, original.ID)
		if err != nil {
			t.Fatal(err)
		}
		if c.Source != "replay" || c.ReplayOf != original.ID || c.Verification.Result != "verified" {
			t.Fatalf("replay %d: source %q of %q, verification %+v", i, c.Source, c.ReplayOf, c.Verification)
		}
		if len(c.Deliveries) != 1 || c.Deliveries[0].Status != 201 || c.Status != http.StatusOK {
			t.Fatalf("replay %d: status %d, deliveries %+v; want the target's 201 on the capture", i, c.Status, c.Deliveries)
		}
		if got, _ := rec.received(); len(got) != 2+i {
			t.Fatalf("after replay %d the target got %d requests, want %d", i, len(got), 2+i)
		}
	}
}
