package remote

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"reflect"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hooktap/hooktap/admin"
	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/config"
	"github.com/hooktap/hooktap/replay"
	"github.com/hooktap/hooktap/signature"
)

// env is a real SQLite store behind a real admin server on 127.0.0.1:0.
type env struct {
	store *capture.SQLite
	url   string
	// down makes the server refuse the stream and drop open connections (a network cut).
	down atomic.Bool
	hs   *httptest.Server
}

func newEnv(t *testing.T, mutate func(*admin.Deps)) *env {
	t.Helper()
	st, err := capture.Open(filepath.Join(t.TempDir(), "hooktap.db"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := config.Default()
	cfg.Gateway.Routes = config.Routes{{Name: "github-pr", Secret: config.Secrets{"gh-secret"}, Verify: "github"}}
	d := admin.Deps{Config: &cfg, Store: st, GatewayAddr: "127.0.0.1:8644"}
	if mutate != nil {
		mutate(&d)
	}
	e := &env{store: st}
	h := admin.New(d).Handler()
	e.hs = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if e.down.Load() {
			http.Error(w, "down", http.StatusServiceUnavailable)
			return
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(func() {
		e.hs.CloseClientConnections()
		e.hs.Close()
		st.Close()
	})
	e.url = e.hs.URL
	return e
}

func (e *env) client(t *testing.T, o Options) *Client {
	t.Helper()
	c, err := New(e.url, o)
	if err != nil {
		t.Fatal(err)
	}
	c.minBackoff, c.maxBackoff = 10*time.Millisecond, 50*time.Millisecond
	t.Cleanup(func() { c.Close() })
	return c
}

func (e *env) save(t *testing.T, c *capture.Capture) *capture.Capture {
	t.Helper()
	if err := e.store.Save(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	return c
}

func sample(route, event string, result signature.Result, status int, body string) *capture.Capture {
	return &capture.Capture{
		Source: capture.SourceLocal, Peer: "127.0.0.1:5555", Method: "POST", Path: "/webhooks/" + route,
		Query: "token=abcdef123456", Route: route, Event: event, ContentType: "application/json", Body: []byte(body),
		Status: status, Headers: []capture.Header{
			{Name: "Content-Type", Value: "application/json"},
			{Name: "Authorization", Value: "Bearer sk_live_abcdefgh12345678"},
			{Name: "X-Trace", Value: "one"}, {Name: "X-Trace", Value: "two"},
		},
		ResponseHeaders: []capture.Header{{Name: "Content-Type", Value: "application/json"}},
		Rendered:        "rendered " + event,
		Verification:    signature.Outcome{Scheme: "github", Result: result, Diagnosis: []signature.Finding{}},
		Latency:         3 * time.Millisecond,
	}
}

// fill saves a mix of captures across routes, events, verdicts and statuses.
func fill(t *testing.T, e *env, n int) []*capture.Capture {
	t.Helper()
	routes := []string{"github-pr", "stripe", "internal"}
	results := []signature.Result{signature.Verified, signature.Failed, signature.Skipped}
	statuses := []int{200, 401, 202, 500}
	var out []*capture.Capture
	for i := 0; i < n; i++ {
		c := sample(routes[i%3], fmt.Sprintf("ev%d", i%4), results[i%3], statuses[i%4], fmt.Sprintf(`{"n":%d,"word":"w%d"}`, i, i%5))
		if i%7 == 0 {
			c.Source = capture.SourceTunnel
			c.Method = "PUT"
		}
		out = append(out, e.save(t, c))
	}
	return out
}

// shown is a capture's JSON form, masked when it comes from the local store (the remote one
// arrives masked by the server), for comparing local and remote.
func shown(t *testing.T, c *capture.Capture, withBody, local bool) string {
	t.Helper()
	j := c.JSON(capture.JSONOptions{WithBody: withBody, Reveal: !local})
	j.Outbox = nil
	raw, err := json.Marshal(struct {
		capture.CaptureJSON
		Size     int
		Response []capture.Header
		Rendered string
	}{j, c.BodySize, c.ResponseHeaders, c.Rendered})
	if err != nil {
		t.Fatal(err)
	}
	return string(raw)
}

func boolp(b bool) *bool { return &b }

func TestReaderAgreesWithLocalStore(t *testing.T) {
	e := newEnv(t, nil)
	fill(t, e, 60)
	r := e.client(t, Options{})
	ctx := context.Background()
	filters := []capture.Filter{
		{},
		{Route: "stripe"},
		{Event: "ev1", Verified: boolp(true)},
		{Verified: boolp(false)},
		{StatusClass: 4},
		{Status: 202, Route: "internal"},
		{Source: capture.SourceTunnel},
		{Method: "PUT"},
		{Q: "w3"},
		{Since: time.Now().Add(-time.Hour)},
		{Since: time.Now().Add(time.Hour)},
	}
	for _, f := range filters {
		want, err := e.store.Count(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		got, err := r.Count(ctx, f)
		if err != nil || got != want {
			t.Errorf("Count(%+v) = %d, %v; local store says %d", f, got, err, want)
		}
		f.Limit = 7
		local, remote := walk(t, e.store, f, true), walk(t, r, f, false)
		if !reflect.DeepEqual(local, remote) {
			t.Errorf("List(%+v) pages differ:\nlocal  %v\nremote %v", f, local, remote)
		}
	}
}

// walk follows Next from the first page to the last and returns each capture as shown.
func walk(t *testing.T, r capture.Reader, f capture.Filter, local bool) []string {
	t.Helper()
	var out []string
	for pages := 0; pages < 100; pages++ {
		page, err := r.List(context.Background(), f)
		if err != nil {
			t.Fatalf("List(%+v): %v", f, err)
		}
		for _, c := range page.Captures {
			c.Verification.Diagnosis = nil
			out = append(out, shown(t, c, false, local))
		}
		if page.Next == "" {
			return out
		}
		f.Before = page.Next
	}
	t.Fatal("List never ended")
	return nil
}

func TestListOldestAfterAndBodies(t *testing.T) {
	e := newEnv(t, nil)
	saved := fill(t, e, 12)
	r := e.client(t, Options{})
	ctx := context.Background()
	for _, f := range []capture.Filter{
		{Oldest: true, Limit: 5},
		{Oldest: true, After: saved[3].ID, Limit: 4},
		{Before: saved[8].ID, Limit: 3, WithBody: true},
	} {
		want, err := e.store.List(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		got, err := r.List(ctx, f)
		if err != nil || len(got.Captures) != len(want.Captures) {
			t.Fatalf("List(%+v): %d captures, %v; local store lists %d", f, len(got.Captures), err, len(want.Captures))
		}
		for i := range want.Captures {
			if a, b := shown(t, want.Captures[i], f.WithBody, true), shown(t, got.Captures[i], f.WithBody, false); a != b {
				t.Errorf("List(%+v)[%d]:\nlocal  %s\nremote %s", f, i, a, b)
			}
		}
	}
}

func TestGetByIDAndShortForms(t *testing.T) {
	e := newEnv(t, nil)
	saved := fill(t, e, 5)
	r := e.client(t, Options{})
	ctx := context.Background()
	c := saved[2]
	for _, id := range []string{c.ID, c.ID[18:], c.ID[:3] + c.ID[3:]} {
		got, err := r.Get(ctx, id)
		if err != nil {
			t.Fatalf("Get(%s): %v", id, err)
		}
		local, _ := e.store.Get(ctx, c.ID)
		if a, b := shown(t, local, true, true), shown(t, got, true, false); a != b {
			t.Errorf("Get(%s):\nlocal  %s\nremote %s", id, a, b)
		}
	}
	if _, err := r.Get(ctx, c.ID[:4]); err == nil {
		t.Fatal("a four-character prefix shared by every capture found one")
	} else {
		var amb *capture.AmbiguousError
		var localAmb *capture.AmbiguousError
		_, lerr := e.store.Get(ctx, c.ID[:4])
		if !errors.As(err, &amb) || !errors.As(lerr, &localAmb) || !reflect.DeepEqual(amb.Candidates, localAmb.Candidates) {
			t.Errorf("ambiguous prefix: remote %v, local %v", err, lerr)
		}
	}
	for _, id := range []string{"7zzzzzzzzzzzzzzzzzzzzzzzzz", "not-an-id", "", "../../routes"} {
		if _, err := r.Get(ctx, id); !errors.Is(err, capture.ErrNotFound) {
			t.Errorf("Get(%q): %v, want ErrNotFound", id, err)
		}
	}
	if _, err := capture.Find(ctx, r, "7zzz"); err == nil {
		t.Error("Find over the remote reader found an unknown id")
	}
}

func TestMaskedUnlessRevealed(t *testing.T) {
	e := newEnv(t, nil)
	c := e.save(t, sample("github-pr", "push", signature.Verified, 200, "{}"))
	ctx := context.Background()
	masked, err := e.client(t, Options{}).Get(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if v := masked.HeaderValue("Authorization"); v == "Bearer sk_live_abcdefgh12345678" || masked.Query == c.Query {
		t.Errorf("credentials in clear without reveal: %q %q", v, masked.Query)
	}
	clear, err := e.client(t, Options{Reveal: true}).Get(ctx, c.ID)
	if err != nil || clear.HeaderValue("Authorization") != "Bearer sk_live_abcdefgh12345678" || clear.Query != c.Query {
		t.Errorf("reveal: %v %+v", err, clear)
	}
}

func TestSubscribeFollowsAndCatchesUpAfterACut(t *testing.T) {
	e := newEnv(t, nil)
	fill(t, e, 2)
	states := make(chan StreamState, 16)
	r := e.client(t, Options{OnStream: func(s StreamState) { states <- s }})
	sub := r.Subscribe(64)
	defer sub.Close()
	// The stream is live once a capture saved now arrives; save until one does, since the
	// subscription connects in the background.
	first := waitFor(t, sub, func() string { return e.save(t, sample("github-pr", "live", signature.Verified, 200, "{}")).ID })

	e.down.Store(true)
	e.hs.CloseClientConnections()
	missed := e.save(t, sample("stripe", "while-down", signature.Verified, 200, "{}"))
	e.down.Store(false)
	got := collect(t, sub, missed.ID)
	if got.Route != "stripe" || got.Event != "while-down" || got.ID <= first {
		t.Errorf("after the cut: %+v", got)
	}
	// The break and the recovery were each told once, in order.
	if s := <-states; s.Connected || s.Err == nil {
		t.Errorf("first state change %+v, want the break with its cause", s)
	}
	if s := <-states; !s.Connected {
		t.Errorf("second state change %+v, want connected again", s)
	}

	// An update (a delivery added) arrives as such.
	if err := e.store.AddDelivery(context.Background(), missed.ID, capture.Delivery{Target: "http://127.0.0.1:1/x", Status: 200, Attempt: 1}); err != nil {
		t.Fatal(err)
	}
	for {
		ev := next(t, sub)
		if ev.Kind == capture.Updated && ev.Capture.ID == missed.ID {
			if len(ev.Capture.Deliveries) != 1 {
				t.Errorf("update without its delivery: %+v", ev.Capture)
			}
			break
		}
	}
	r.Close()
	for range sub.C() {
	}
}

// waitFor saves captures with save until the subscription delivers one of them.
func waitFor(t *testing.T, sub *capture.Subscription, save func() string) string {
	t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		id := save()
		select {
		case ev, ok := <-sub.C():
			if !ok {
				t.Fatal("subscription closed")
			}
			if ev.Kind == capture.Created {
				return ev.Capture.ID
			}
			_ = id
		case <-time.After(200 * time.Millisecond):
		case <-deadline:
			t.Fatal("no capture arrived through the stream")
		}
	}
}

func collect(t *testing.T, sub *capture.Subscription, id string) *capture.Capture {
	t.Helper()
	for {
		ev := next(t, sub)
		if ev.Capture.ID == id {
			return ev.Capture
		}
	}
}

func next(t *testing.T, sub *capture.Subscription) capture.Event {
	t.Helper()
	select {
	case ev, ok := <-sub.C():
		if !ok {
			t.Fatal("subscription closed")
		}
		return ev
	case <-time.After(30 * time.Second):
		t.Fatal("nothing arrived through the stream")
	}
	return capture.Event{}
}

func TestOutboxPinsAndDeliveries(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	c := sample("github-pr", "push", signature.Verified, 202, "{}")
	c.Outbox = []capture.OutboxEntry{{Route: "github-pr", Kind: "forward", Target: "http://127.0.0.1:1/hook"}}
	e.save(t, c)
	plain := e.save(t, sample("github-pr", "ping", signature.Verified, 200, "{}"))
	if _, err := e.store.PinRouteScheme(ctx, capture.RoutePin{Route: "stripe", Scheme: "stripe", CaptureID: c.ID, PinnedAt: time.Unix(1700000000, 0)}); err != nil {
		t.Fatal(err)
	}
	r := e.client(t, Options{})
	for _, id := range []string{c.ID, plain.ID, "7zzzzzzzzzzzzzzzzzzzzzzzzz"} {
		want, _ := e.store.OutboxFor(ctx, id)
		got, err := r.OutboxFor(ctx, id)
		if err != nil || !sameEntries(want, got) {
			t.Errorf("OutboxFor(%s): %+v %v; local %+v", id, got, err, want)
		}
	}
	wantPins, _ := e.store.RoutePins(ctx)
	gotPins, err := r.RoutePins(ctx)
	if err != nil || len(gotPins) != 1 || !gotPins["stripe"].PinnedAt.Equal(wantPins["stripe"].PinnedAt) || gotPins["stripe"].CaptureID != c.ID {
		t.Errorf("RoutePins: %+v %v; local %+v", gotPins, err, wantPins)
	}
	list, err := r.ListOutbox(ctx, capture.OutboxFilter{State: capture.OutboxPending})
	if err != nil || len(list) != 1 || list[0].CaptureID != c.ID {
		t.Fatalf("ListOutbox: %+v %v", list, err)
	}
	if n, err := r.RetryOutbox(ctx, list[0].ID); err != nil || n != 1 {
		t.Errorf("RetryOutbox: %d %v", n, err)
	}
	if n, err := r.PurgeOutbox(ctx, list[0].ID); err != nil || n != 1 {
		t.Errorf("PurgeOutbox: %d %v", n, err)
	}
	if left, _ := e.store.ListOutbox(ctx, capture.OutboxFilter{}); len(left) != 0 {
		t.Errorf("purged delivery still listed: %+v", left)
	}
	if n, err := r.PurgeOutbox(ctx); err != nil || n != 0 {
		t.Errorf("purge of every dead delivery when none is dead: %d %v", n, err)
	}
}

func sameEntries(a, b []capture.OutboxEntry) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].ID != b[i].ID || a[i].CaptureID != b[i].CaptureID || a[i].State != b[i].State || !a[i].NextAt.Equal(b[i].NextAt) {
			return false
		}
	}
	return true
}

func TestTokenAndUnreachable(t *testing.T) {
	e := newEnv(t, func(d *admin.Deps) { d.Config.Admin.Token = "team-token" })
	ctx := context.Background()
	if _, err := e.client(t, Options{}).Count(ctx, capture.Filter{}); !errors.Is(err, ErrUnauthorized) {
		t.Errorf("no token: %v", err)
	}
	if _, err := e.client(t, Options{Token: "wrong"}).Count(ctx, capture.Filter{}); !errors.Is(err, ErrUnauthorized) {
		t.Errorf("wrong token: %v", err)
	}
	if n, err := e.client(t, Options{Token: "team-token"}).Count(ctx, capture.Filter{}); err != nil || n != 0 {
		t.Errorf("token: %d %v", n, err)
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	c, err := New("http://"+addr, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Count(ctx, capture.Filter{}); err == nil {
		t.Error("a closed port answered")
	}
	for _, bad := range []string{"", "127.0.0.1:8645", "ftp://x", "http://user:pw@127.0.0.1:8645"} {
		if _, err := New(bad, Options{}); err == nil {
			t.Errorf("New(%q) accepted", bad)
		}
	}
}

func TestNotAnAdminAPI(t *testing.T) {
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "<html>hello</html>")
	}))
	defer hs.Close()
	c, err := New(hs.URL, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Count(context.Background(), capture.Filter{}); err == nil {
		t.Error("an HTML page was taken for a count")
	}
}

func TestReplayAndDoctorRunOnTheServer(t *testing.T) {
	got := make(chan string, 4)
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- string(b)
		w.WriteHeader(http.StatusAccepted)
	}))
	defer target.Close()
	var rp *replay.Replayer
	e := newEnv(t, func(d *admin.Deps) {
		d.Replay = func(ctx context.Context, id string, o admin.ReplayOptions) (*capture.Capture, error) {
			return rp.Replay(ctx, id, replay.ReplayOptions{To: o.To, Resign: o.Resign, Body: o.Body, KeepSignature: o.KeepSignature})
		}
	})
	cfg := config.Default()
	rp = replay.NewReplayer(e.store, &cfg, "", nil)
	c := e.save(t, sample("github-pr", "push", signature.Failed, 401, `{"a":1}`))
	r := e.client(t, Options{})
	ctx := context.Background()

	out, err := r.Replay(ctx, c.ID[18:], replay.ReplayOptions{To: target.URL, Body: []byte(`{"a":2}`), KeepSignature: true})
	if err != nil {
		t.Fatalf("replay: %v", err)
	}
	if body := <-got; body != `{"a":2}` || out.ReplayOf != c.ID || out.Source != capture.SourceReplay {
		t.Errorf("replay sent %q, capture %+v", body, out)
	}
	if _, err := r.Replay(ctx, c.ID, replay.ReplayOptions{Exact: true}); !errors.Is(err, ErrExactReplay) {
		t.Errorf("exact replay: %v", err)
	}
	if _, err := r.Replay(ctx, "7zzzzzzzzzzzzzzzzzzzzzzzzz", replay.ReplayOptions{To: target.URL}); !errors.Is(err, capture.ErrNotFound) {
		t.Errorf("replay of an unknown capture: %v", err)
	}
	d, err := r.Doctor(ctx, c.ID)
	if err != nil || d.CaptureID != c.ID || d.Recorded.Result != signature.Failed || d.Now.Result != signature.Failed {
		t.Errorf("doctor: %+v %v", d, err)
	}
}
