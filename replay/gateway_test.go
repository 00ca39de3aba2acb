package replay

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/gateway"
)

// startGatewayServer runs the real gateway over env's store on 127.0.0.1:0 and returns its URL
// and the server, for in-process replays.
func startGatewayServer(t *testing.T, env *testEnv) (string, *gateway.Server) {
	t.Helper()
	gw, err := gateway.New(env.cfg, env.store)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { _ = gw.Serve(ctx, ln); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	return "http://" + ln.Addr().String(), gw
}

func TestReplayThroughRunningGateway(t *testing.T) {
	env := newTestEnv(t)
	url, gw := startGatewayServer(t, env)
	rp := env.replayer(url, 5*time.Second).WithGateway(gw)
	ctx := context.Background()

	crafted := craftOrFail(t, "github", "push", "gh-secret", time.Now())
	first, err := rp.Send(ctx, crafted, url+"/webhooks/github-pr", capture.SourceCraft)
	if err != nil {
		t.Fatal(err)
	}
	if first.Source != capture.SourceCraft || first.Route != "github-pr" || first.Verification.Result != "verified" {
		t.Fatalf("gateway capture of the crafted event: %+v", first)
	}

	// Replaying as is: same delivery id, yet a replay is processed again, not a duplicate.
	dup, err := rp.Replay(ctx, first.ID, ReplayOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if dup.ReplayOf != first.ID || dup.Source != capture.SourceReplay || strings.Contains(string(dup.ResponseBody), "duplicate") ||
		dup.Verification.Result != "verified" || dup.Status/100 != 2 {
		t.Fatalf("plain replay: replay_of=%s source=%s %d answer=%s", dup.ReplayOf, dup.Source, dup.Status, dup.ResponseBody)
	}
	// Replaying the replay replays its original, unless asked for the replay itself.
	if again, err := rp.Replay(ctx, dup.ID, ReplayOptions{}); err != nil || again.ReplayOf != first.ID {
		t.Fatalf("replay of a replay: %+v, %v; want a replay of the original %s", again, err, first.ID)
	}
	if exact, err := rp.Replay(ctx, dup.ID, ReplayOptions{Exact: true}); err != nil || exact.ReplayOf != dup.ID {
		t.Fatalf("exact replay of a replay: %+v, %v", exact, err)
	}
	if string(dup.Body) != string(first.Body) {
		t.Fatalf("replayed body differs")
	}

	// Re-signed: fresh delivery id and signature, so the pipeline runs again and verifies.
	again, err := rp.Replay(ctx, first.ID, ReplayOptions{Resign: true})
	if err != nil {
		t.Fatal(err)
	}
	if again.ReplayOf != first.ID || again.Verification.Result != "verified" || again.Status/100 != 2 ||
		strings.Contains(string(again.ResponseBody), "duplicate") || again.ID == dup.ID {
		t.Fatalf("re-signed replay: %+v answer=%s", again.Verification, again.ResponseBody)
	}

	// An edited body kept with the old signature is rejected, and that rejection is captured.
	bad, err := rp.Replay(ctx, first.ID, ReplayOptions{Body: []byte(`{"edited":true}`), KeepSignature: true})
	if err != nil {
		t.Fatal(err)
	}
	if bad.Status != 401 || bad.Verification.Reason != "mismatch" || bad.ReplayOf != first.ID {
		t.Fatalf("tampered replay: status %d %+v", bad.Status, bad.Verification)
	}
}

// Concurrent replays of one capture each get their own capture, not a sibling's.
func TestConcurrentReplaysFindTheirOwnCaptures(t *testing.T) {
	env := newTestEnv(t)
	url, gw := startGatewayServer(t, env)
	rp := env.replayer(url, 5*time.Second).WithGateway(gw)
	first, err := rp.Send(context.Background(), craftOrFail(t, "github", "ping", "gh-secret", time.Now()), url+"/webhooks/github-pr", capture.SourceCraft)
	if err != nil {
		t.Fatal(err)
	}
	ids := []string{first.ID, first.ID, first.ID, first.ID, first.ID, first.ID}
	res := rp.ReplayMany(context.Background(), ids, ReplayOptions{}, len(ids), 0, nil)
	seen := map[string]bool{}
	for _, r := range res {
		if r.Err != nil || r.Capture.ReplayOf != first.ID {
			t.Fatalf("replay %d: %+v", r.Index, r)
		}
		if seen[r.Capture.ID] {
			t.Fatalf("two replays returned the same capture %s", r.Capture.ID)
		}
		seen[r.Capture.ID] = true
	}
}
