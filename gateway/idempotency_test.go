package gateway_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
)

// failInserts makes every capture insert fail inside SQLite, as a full disk would, until undone.
func failInserts(t *testing.T, h *harness) (undo func()) {
	t.Helper()
	ctx := context.Background()
	if _, err := h.store.DB().ExecContext(ctx, `CREATE TRIGGER test_fail_insert BEFORE INSERT ON captures
		BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END`); err != nil {
		t.Fatal(err)
	}
	return func() {
		if _, err := h.store.DB().ExecContext(ctx, `DROP TRIGGER test_fail_insert`); err != nil {
			t.Fatal(err)
		}
	}
}

// A delivery id counts as seen only once answered 2xx: the provider's retry after a 503 (the
// store failing) is processed, not answered "duplicate".
func TestRetryAfterStoreFailureIsAccepted(t *testing.T) {
	h := start(t, ghConfig)
	body := []byte(`{"zen":"hi"}`)
	hdr := []string{"X-GitHub-Event", "push", "X-Hub-Signature-256", githubSig("s3cret", body), "X-GitHub-Delivery", "d-503"}
	undo := failInserts(t, h)
	if status, answer, _ := h.post("/webhooks/gh", body, hdr...); status != 503 {
		t.Fatalf("with the store failing: %d %s, want 503", status, answer)
	}
	undo()
	if status, answer, _ := h.post("/webhooks/gh", body, hdr...); status != 202 {
		t.Fatalf("retry after the store recovered: %d %s, want 202", status, answer)
	}
	if status, answer, _ := h.post("/webhooks/gh", body, hdr...); status != 200 || answer != `{"status":"duplicate"}` {
		t.Fatalf("third copy: %d %s, want 200 duplicate", status, answer)
	}
}

// With deliver_only, a failed delivery answers 502 and leaves the id free for the retry.
func TestRetryAfterFailedDeliveryIsProcessed(t *testing.T) {
	target, calls := failsOnce(t, http.StatusInternalServerError)
	h := start(t, fmt.Sprintf(`
gateway:
  routes:
    fwd:
      secret: INSECURE_NO_AUTH
      deliver: forward
      deliver_only: true
      deliver_extra: { url: %q }
`, target.URL))
	hdr := []string{"X-GitHub-Delivery", "d-502"}
	if status, answer, _ := h.post("/webhooks/fwd", []byte(`{}`), hdr...); status != 502 {
		t.Fatalf("first: %d %s, want 502", status, answer)
	}
	if status, answer, _ := h.post("/webhooks/fwd", []byte(`{}`), hdr...); status != 200 {
		t.Fatalf("retry: %d %s, want 200 delivered", status, answer)
	}
	if n := calls.Load(); n != 2 {
		t.Fatalf("target called %d times, want 2", n)
	}
}
