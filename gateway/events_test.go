package gateway

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
)

// recordingNotifier keeps every event the gateway emits; route deliveries are not used here.
type recordingNotifier struct {
	mu     sync.Mutex
	events []emitted
}

type emitted struct {
	event string
	data  map[string]any
}

func (n *recordingNotifier) Deliver(context.Context, string, string, Message) (int, error) {
	return http.StatusOK, nil
}

func (n *recordingNotifier) Emit(event string, data map[string]any) {
	n.mu.Lock()
	n.events = append(n.events, emitted{event, data})
	n.mu.Unlock()
}

// named returns the emitted events of one type, oldest first.
func (n *recordingNotifier) named(event string) []emitted {
	n.mu.Lock()
	defer n.mu.Unlock()
	var out []emitted
	for _, e := range n.events {
		if e.event == event {
			out = append(out, e)
		}
	}
	return out
}

// newEventServer builds a gateway over a real store in a temp dir with a recording notifier.
func newEventServer(t *testing.T, yaml string, opts ...Option) (*Server, *recordingNotifier) {
	t.Helper()
	cfg, st := OpenTestEnv(t, yaml)
	rec := &recordingNotifier{}
	s, err := New(cfg, st, append([]Option{WithNotifier(rec)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Wait) // before the store closes: cleanups run last-registered first
	return s, rec
}

// serve sends one signed (or, with a non-empty sig, mis-signed) GitHub push through Handler().
func serve(t *testing.T, s *Server, route, body, deliveryID, sig string) int {
	t.Helper()
	if sig == "" {
		m := hmac.New(sha256.New, []byte("s3cret"))
		m.Write([]byte(body))
		sig = "sha256=" + hex.EncodeToString(m.Sum(nil))
	}
	req := httptest.NewRequest(http.MethodPost, "/webhooks/"+route, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-GitHub-Event", "push")
	req.Header.Set("X-Hub-Signature-256", sig)
	if deliveryID != "" {
		req.Header.Set("X-GitHub-Delivery", deliveryID)
	}
	w := httptest.NewRecorder()
	s.Handler().ServeHTTP(w, req)
	return w.Code
}

func TestDailySummaryCountsAndResets(t *testing.T) {
	target := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	t.Cleanup(target.Close)
	s, rec := newEventServer(t, `gateway:
  secret: "s3cret"
  routes:
    gh:
      verify: github
    fwd:
      verify: github
      deliver: forward
      deliver_only: true
      deliver_extra: {url: "`+target.URL+`"}
`)
	steps := []struct {
		route, id, sig string
		want           int
	}{
		{"gh", "d1", "", http.StatusAccepted},
		{"gh", "d2", "", http.StatusAccepted},
		{"gh", "d2", "", http.StatusOK}, // duplicate
		{"gh", "d3", "sha256=" + strings.Repeat("0", 64), http.StatusUnauthorized},
		{"fwd", "f1", "", http.StatusOK},
	}
	for i, st := range steps {
		if got := serve(t, s, st.route, `{"ref":"main"}`, st.id, st.sig); got != st.want {
			t.Fatalf("step %d (%s %s) answered %d, want %d", i, st.route, st.id, got, st.want)
		}
	}
	s.emitSummary("2026-03-04")
	sums := rec.named("daily_summary")
	if len(sums) != 1 {
		t.Fatalf("%d daily_summary events, want 1", len(sums))
	}
	want := map[string]any{"date": "2026-03-04", "requests": 5, "routes": map[string]any{
		"gh":  RouteStats{Requests: 4, Verified: 3, Failed: 1, Duplicates: 1}.fields(),
		"fwd": RouteStats{Requests: 1, Verified: 1, Deliveries: 1}.fields(),
	}}
	if !reflect.DeepEqual(sums[0].data, want) {
		t.Errorf("daily_summary data\n got %#v\nwant %#v", sums[0].data, want)
	}
	if got := s.Stats(); len(got) != 0 {
		t.Errorf("counters not reset after the summary: %v", got)
	}
	s.emitSummary("2026-03-05")
	empty := map[string]any{"date": "2026-03-05", "requests": 0, "routes": map[string]any{}}
	if sums = rec.named("daily_summary"); len(sums) != 2 || !reflect.DeepEqual(sums[1].data, empty) {
		t.Errorf("the next day's summary = %v, want %v", sums[len(sums)-1].data, empty)
	}
}

func TestSignatureFailedEventData(t *testing.T) {
	s, rec := newEventServer(t, "gateway:\n  secret: \"s3cret\"\n  routes:\n    gh:\n      verify: github\n")
	serve(t, s, "gh", `{"ref":"main"}`, "", "sha256="+strings.Repeat("0", 64))
	serve(t, s, "gh", `{"ref":"main"}`, "", "")
	got := rec.named("signature_failed")
	if len(got) != 1 {
		t.Fatalf("%d signature_failed events for one bad request, want 1", len(got))
	}
	for k, v := range map[string]any{"route": "gh", "scheme": "github", "reason": "mismatch"} {
		if got[0].data[k] != v {
			t.Errorf("signature_failed %s = %v, want %v", k, got[0].data[k], v)
		}
	}
	if peer, _ := got[0].data["peer"].(string); peer == "" {
		t.Errorf("signature_failed has no peer: %v", got[0].data)
	}
}

// TestRunDailySummaryAtMidnight uses a clock frozen just before UTC midnight, so the real timer
// fires within milliseconds and the summary is dated the day that ended.
func TestRunDailySummaryAtMidnight(t *testing.T) {
	eve := time.Date(2026, 3, 4, 23, 59, 59, 980_000_000, time.UTC)
	s, rec := newEventServer(t, "gateway:\n  secret: \"s3cret\"\n  routes:\n    gh:\n      verify: github\n",
		WithClock(func() time.Time { return eve }))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { s.RunDailySummary(ctx); close(done) }()
	deadline := time.Now().Add(3 * time.Second)
	for len(rec.named("daily_summary")) == 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	select {
	case <-done:
	case <-time.After(3 * time.Second):
		t.Fatal("RunDailySummary did not return after cancel")
	}
	sums := rec.named("daily_summary")
	if len(sums) == 0 {
		t.Fatal("no daily_summary within 3s of a midnight 20ms away")
	}
	if sums[0].data["date"] != "2026-03-04" {
		t.Errorf("summary dated %v, want the day that ended, 2026-03-04", sums[0].data["date"])
	}
}

// TestTargetHealthTransitions feeds attempt results (O ok, F failed) and expects one mark per
// attempt: "." no change, "D" down (below 70% after at least 5), "U" up (back at 70% or more).
func TestTargetHealthTransitions(t *testing.T) {
	tests := []struct{ name, results, want string }{
		{"four failures are too few to judge", "FFFF", "...."},
		{"down at the fifth failure, never repeated", "FFFFFFF", "....D.."},
		{"one success in five is down", "OFFFF", "....D"},
		{"three in five (60%) is down", "OOOFF", "....D"},
		{"four in five (80%) stays up", "OOOOF", "....."},
		{"exactly 70% is up again", "FFFOOOOOOO", "....D....U"},
		{"up once, never repeated", "FFFFF" + strings.Repeat("O", 14), "....D" + strings.Repeat(".", 11) + "U.."},
		{"a full window slides: 14 of 20 holds, 13 of 20 is down",
			strings.Repeat("O", 20) + "FFFFFFF", strings.Repeat(".", 26) + "D"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newTargetHealth()
			var got strings.Builder
			for _, r := range tt.results {
				got.WriteByte(map[healthChange]byte{healthSame: '.', healthDown: 'D', healthUp: 'U'}[h.record("t", r == 'O').change])
			}
			if got.String() != tt.want {
				t.Errorf("results %s\n got %s\nwant %s", tt.results, got.String(), tt.want)
			}
		})
	}
}

func TestTargetHealthIsPerTarget(t *testing.T) {
	h := newTargetHealth()
	for range 4 {
		h.record("a", false)
		h.record("b", true)
	}
	if got := h.record("b", false).change; got != healthSame {
		t.Errorf("b at 4 of 5 = %v, want no change", got)
	}
	if got := h.record("a", false).change; got != healthDown {
		t.Errorf("a at 0 of 5 = %v, want down: b's successes must not count for a", got)
	}
}

func TestTargetHealthReportsTheNumbers(t *testing.T) {
	h := newTargetHealth()
	for range 4 {
		h.record("t", false)
	}
	rep := h.record("t", true)
	if rep.change != healthDown || rep.attempts != 5 || rep.rate != 0.2 {
		t.Fatalf("report %+v, want down at 1 of 5 (0.2)", rep)
	}
}
