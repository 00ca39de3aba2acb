package tui

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/hooktap/hooktap/admin"
	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/remote"
	"github.com/hooktap/hooktap/replay"
	"github.com/hooktap/hooktap/signature"
	"github.com/hooktap/hooktap/tui/common"
	"github.com/hooktap/hooktap/tui/internal/tuitest"
)

// attached is the inspector attached to a real admin API over a real store, as `hooktap
// attach` opens it; delivered receives the bodies the server's replays send.
func attached(t *testing.T) (*loop, *capture.SQLite, chan string) {
	t.Helper()
	store := tuitest.OpenStore(t)
	tuitest.Save(t, store, tuitest.Fixtures()...)
	delivered := make(chan string, 4)
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		delivered <- string(b)
		w.WriteHeader(http.StatusAccepted)
	}))
	t.Cleanup(target.Close)
	cfg := testConfig()
	rp := replay.NewReplayer(store, cfg, target.URL, nil)
	srv := admin.New(admin.Deps{Config: cfg, Store: store, Replay: func(ctx context.Context, id string, o admin.ReplayOptions) (*capture.Capture, error) {
		return rp.Replay(ctx, id, replay.ReplayOptions{To: o.To, Resign: o.Resign, Body: o.Body, KeepSignature: o.KeepSignature})
	}})
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(func() { hs.CloseClientConnections(); hs.Close() })
	client, err := remote.New(hs.URL, remote.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { client.Close() })
	r := New(Deps{Store: client, Attached: client.URL(), ServerMasks: true, Replay: client.Replay}).(*root)
	r.common.Now = func() time.Time { return tuitest.Now }
	r.common.Location = time.UTC
	l := newLoop(r)
	t.Cleanup(l.stop)
	l.exec(r.Init())
	_, cmd := r.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	l.exec(cmd)
	l.settle(t)
	return l, store, delivered
}

func TestAttachedShowsTheServersCapturesLive(t *testing.T) {
	l, store, _ := attached(t)
	sc := screen(l.r)
	for _, want := range []string{"attached http://127.0.0.1:", "payment_intent.succeeded", "pull_request"} {
		if !strings.Contains(sc, want) {
			t.Fatalf("attached inspector lacks %q:\n%s", want, sc)
		}
	}
	late := &capture.Capture{Source: capture.SourceTunnel, Method: "POST", Path: "/webhooks/github-pr", Route: "github-pr",
		Event: "sent.after.attaching", Status: 202, Body: []byte(`{}`),
		Verification: signature.Outcome{Scheme: "github", Result: signature.Failed, Reason: signature.ReasonMismatch,
			Diagnosis: []signature.Finding{{Code: "body_reserialized", Message: "the provider signed the compact form"}}}}
	if err := store.Save(context.Background(), late); err != nil {
		t.Fatal(err)
	}
	l.feedUntil(t, 1)
	l.settle(t)
	if sc := screen(l.r); !strings.Contains(sc, "sent.after.attaching") || !strings.Contains(sc, "body_reserialized") {
		t.Fatalf("a capture sent after attaching (selected, with the doctor's finding) is not on screen:\n%s", sc)
	}
}

func TestAttachedReplaysThroughTheServer(t *testing.T) {
	l, store, delivered := attached(t)
	press(l.r, "j") // the second newest: the GitHub pull request
	tuitest.SendPatiently(update(l.r), tuitest.Key("r"))
	select {
	case body := <-delivered:
		if !strings.Contains(body, "flux capacitor") {
			t.Errorf("the server replayed %q", body)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the replay never reached the server's target")
	}
	page, err := store.List(context.Background(), capture.Filter{Source: capture.SourceReplay})
	if err != nil || len(page.Captures) != 1 || page.Captures[0].ReplayOf != tuitest.ID(3) {
		t.Fatalf("the server recorded no replay of %s: %+v %v", tuitest.ID(3), page.Captures, err)
	}
	// The replay's capture reaches the inspector through the stream like any other.
	l.feedUntil(t, 1)
	if got := l.r.inspector.List().Loaded(); got != 5 {
		t.Errorf("after the replay the list holds %d captures, want 5", got)
	}
}

func TestAttachedPagesThatNeedALocalHooktapSaySo(t *testing.T) {
	l, _, _ := attached(t)
	for key, want := range map[string]string{"2": "Craft — not available while attached", "3": "Notify — not available while attached",
		"4": "Routes — the server's"} {
		press(l.r, key)
		if sc := screen(l.r); !strings.Contains(sc, want) {
			t.Errorf("page %s:\n%s", key, sc)
		}
		press(l.r, "1")
	}
	press(l.r, "s")
	if sc := screen(l.r); !strings.Contains(sc, "masks credentials before sending them") || l.r.common.Reveal {
		t.Errorf("reveal while the server masks:\n%s", sc)
	}
}

// A notice from outside (the attached stream broke) is a program-wide status line.
func TestNoticesReachTheStatusLine(t *testing.T) {
	store := tuitest.OpenStore(t)
	notices := make(chan common.StatusMsg, 1)
	r := newRoot(Deps{Store: store, Attached: "http://127.0.0.1:8645", Notices: notices}, true)
	t.Cleanup(r.close)
	send(r, tea.WindowSizeMsg{Width: 120, Height: 30})
	notices <- common.StatusMsg{Text: "Live updates from http://127.0.0.1:8645 paused", Err: true, Busy: true}
	_, cmd := r.Update(r.nextNotice()())
	if cmd == nil {
		t.Fatal("the notice watch was not re-armed")
	}
	if sc := screen(r); !strings.Contains(sc, "Live updates from http://127.0.0.1:8645 paused") {
		t.Fatalf("notice not on the status line:\n%s", sc)
	}
	close(notices)
	if msg := r.nextNotice()(); msg != nil {
		t.Errorf("a closed notice channel gave %v", msg)
	}
}
