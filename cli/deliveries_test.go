package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/notify"
)

// runCLI executes `hooktap ARGS --data-dir DIR` through the real root command.
func runCLI(t *testing.T, dir string, args ...string) (string, string, int) {
	t.Helper()
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "config"))
	t.Setenv("HOOKTAP_CONFIG", "")
	var out, errb bytes.Buffer
	code := Main(context.Background(), append(args, "--data-dir", dir), strings.NewReader(""), &out, &errb)
	return out.String(), errb.String(), code
}

// storeWithDeadDelivery saves a capture whose forward was given up, in a real store in dir.
func storeWithDeadDelivery(t *testing.T, dir string) int64 {
	t.Helper()
	st, err := capture.Open(filepath.Join(dir, "hooktap.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	c := &capture.Capture{Method: "POST", Route: "fwd", Body: []byte(`{}`),
		Outbox: []capture.OutboxEntry{{Route: "fwd", Kind: "forward", Target: "http://127.0.0.1:1/hook"}}}
	if err := st.Save(ctx, c); err != nil {
		t.Fatal(err)
	}
	claimed, err := st.ClaimOutbox(ctx, "test", 1, time.Minute)
	if err != nil || len(claimed) != 1 {
		t.Fatalf("claim: %v %v", claimed, err)
	}
	if err := st.SettleOutbox(ctx, claimed[0], "test", capture.Settlement{Dead: true, LastStatus: 404}); err != nil {
		t.Fatal(err)
	}
	return claimed[0].ID
}

func TestDeliveriesListRetryPurge(t *testing.T) {
	dir := t.TempDir()
	storeWithDeadDelivery(t, dir)
	out, errOut, code := runCLI(t, dir, "deliveries", "list", "--state", "dead", "--json")
	var entries []capture.OutboxEntry
	if code != 0 || json.Unmarshal([]byte(out), &entries) != nil || len(entries) != 1 || entries[0].LastStatus != 404 {
		t.Fatalf("list --json: exit %d, %q %q", code, out, errOut)
	}
	if _, _, code := runCLI(t, dir, "deliveries", "retry"); code != 2 {
		t.Fatalf("retry without ids or --all: exit %d, want 2", code)
	}
	if out, _, code := runCLI(t, dir, "deliveries", "retry", "--all"); code != 0 || !strings.HasPrefix(out, "1 delivery due now") {
		t.Fatalf("retry --all: exit %d, %q", code, out)
	}
	out, _, _ = runCLI(t, dir, "deliveries", "list")
	if !strings.Contains(out, "pending") || !strings.Contains(out, "http://127.0.0.1:1/hook") {
		t.Fatalf("list after retry:\n%s", out)
	}
	if out, _, code := runCLI(t, dir, "deliveries", "purge", "--all"); code != 0 || out != "purged 0 deliveries\n" {
		t.Fatalf("purge --all purged a pending delivery: exit %d, %q", code, out)
	}
	id := entries[0].ID
	if out, _, code := runCLI(t, dir, "deliveries", "purge", strconvI(id)); code != 0 || out != "purged 1 delivery\n" {
		t.Fatalf("purge %d: exit %d, %q", id, code, out)
	}
}

func strconvI(n int64) string { b, _ := json.Marshal(n); return string(b) }

// `notify dlq retry --all` delivers every dead letter again.
func TestNotifyDLQRetryAll(t *testing.T) {
	dir := t.TempDir()
	var got atomic.Int32
	target := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { got.Add(1) }))
	defer target.Close()
	st, err := capture.Open(filepath.Join(dir, "hooktap.db"))
	if err != nil {
		t.Fatal(err)
	}
	d, err := notify.NewDispatcher(st, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	wh, _, err := d.CreateWebhook(ctx, notify.Webhook{Enabled: true, URL: target.URL, Format: "generic"})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"dl-1", "dl-2"} {
		if _, err := st.DB().Exec(`INSERT INTO notify_dead(id, webhook_id, event, message, attempts, last_status, last_error, created_at)
			VALUES(?, ?, 'budget_warning', '{"event":"budget_warning","text":"x","data":{}}', 3, 503, 'down', 0)`, id, wh.ID); err != nil {
			t.Fatal(err)
		}
	}
	d.Close()
	st.Close()
	out, errOut, code := runCLI(t, dir, "notify", "dlq", "retry", "--all")
	if code != 0 || got.Load() != 2 {
		t.Fatalf("retry --all: exit %d, target got %d, %q %q", code, got.Load(), out, errOut)
	}
	if out, _, _ := runCLI(t, dir, "notify", "dlq", "list"); !strings.Contains(out, "empty") {
		t.Fatalf("dead letters left after retry --all:\n%s", out)
	}
}
