package admin

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/signature"
)

// sseEvent is one parsed server-sent event.
type sseEvent struct {
	name, data string
}

// openStream connects and waits for the opening comment, so the subscription is live.
func openStream(t *testing.T, e *testEnv, query string) (<-chan sseEvent, <-chan struct{}, func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, e.http.URL+"/api/v1/captures/stream"+query, nil)
	resp, err := e.http.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	events := make(chan sseEvent, 1000)
	ended := make(chan struct{})
	connected := make(chan struct{})
	go func() {
		defer close(ended)
		defer resp.Body.Close()
		readEvents(bufio.NewScanner(resp.Body), connected, events)
	}()
	select {
	case <-connected:
	case <-time.After(5 * time.Second):
		t.Fatal("stream did not open")
	}
	return events, ended, cancel
}

func readEvents(sc *bufio.Scanner, connected chan struct{}, events chan<- sseEvent) {
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	var ev sseEvent
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == ": connected":
			close(connected)
		case line == ": heartbeat":
			events <- sseEvent{name: "heartbeat"}
		case strings.HasPrefix(line, "event: "):
			ev.name = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: "):
			ev.data = strings.TrimPrefix(line, "data: ")
		case line == "" && ev.name != "":
			events <- ev
			ev = sseEvent{}
		}
	}
}

func TestStreamPushesNewCapture(t *testing.T) {
	e := newTestEnv(t, nil)
	events, _, stop := openStream(t, e, "")
	defer stop()
	saved := e.save(t, &capture.Capture{Method: "POST", Path: "/webhooks/github-pr", Route: "github-pr",
		Body: []byte(`{"a":1}`), Headers: []capture.Header{{Name: "Authorization", Value: "Bearer very-secret-value-123"}},
		Verification: signature.Outcome{Result: signature.Verified}})
	select {
	case ev := <-events:
		var got capture.CaptureJSON
		if err := json.Unmarshal([]byte(ev.data), &got); err != nil {
			t.Fatalf("data is not JSON: %v: %s", err, ev.data)
		}
		if ev.name != "capture" || got.ID != saved.ID || got.BodyBase64 != nil {
			t.Errorf("event %q id %s (want %s), body present=%v", ev.name, got.ID, saved.ID, got.BodyBase64 != nil)
		}
		if strings.Contains(ev.data, "very-secret") {
			t.Error("stream leaks a credential header")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no event within 5s of Save")
	}
}

func TestStreamHeartbeat(t *testing.T) {
	e := newTestEnv(t, nil)
	e.srv.heartbeat = 20 * time.Millisecond
	events, _, stop := openStream(t, e, "")
	defer stop()
	select {
	case ev := <-events:
		if ev.name != "heartbeat" {
			t.Fatalf("got %q, want a heartbeat", ev.name)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no heartbeat")
	}
}

// A client that cannot keep up is dropped; saving never waits for it.
func TestStreamSlowClientDropped(t *testing.T) {
	e := newTestEnv(t, nil)
	e.srv.streamBuffer = 1
	_, ended, stop := openStream(t, e, "")
	defer stop()

	start := time.Now()
	var wg sync.WaitGroup
	for range 200 {
		wg.Go(func() {
			if err := e.store.Save(context.Background(), sample("github-pr", "push", signature.Verified, 200, strings.Repeat("x", 512))); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("200 saves took %s with a stream client connected", d)
	}
	select {
	case <-ended:
	case <-time.After(5 * time.Second):
		t.Fatal("a client that fell behind was not dropped")
	}
}

func TestStreamBadParam(t *testing.T) {
	e := newTestEnv(t, nil)
	var got errBody
	if code := e.get(t, "/api/v1/captures/stream?reveal=perhaps", &got); code != http.StatusBadRequest || got.Param != "reveal" {
		t.Fatalf("%d %+v", code, got)
	}
}
