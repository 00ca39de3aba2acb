package replay

import (
	"context"
	"errors"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/signature"
)

// capturedFrom turns a crafted delivery into the capture the gateway would have stored, with
// the connection headers a real request carries.
func capturedFrom(c *Crafted, route string) *capture.Capture {
	hs := []capture.Header{{Name: "Host", Value: "a1b2.ngrok.app"}, {Name: "Connection", Value: "keep-alive"}}
	hs = append(hs, c.WireHeaders()...)
	hs = append(hs,
		capture.Header{Name: "Content-Length", Value: strconv.Itoa(len(c.Body))},
		capture.Header{Name: "Keep-Alive", Value: "timeout=5"},
		capture.Header{Name: "X-Forwarded-For", Value: "140.82.115.1"},
		capture.Header{Name: "Proxy-Authorization", Value: "Basic eDp5"},
		capture.Header{Name: "X-Hooktap-Replay-Of", Value: "01older"},
		capture.Header{Name: "TE", Value: "trailers"},
		capture.Header{Name: "Upgrade", Value: "h2c"},
	)
	return &capture.Capture{Source: capture.SourceTunnel, Peer: "140.82.115.1:40000", Method: "POST",
		Path: "/webhooks/" + route, Query: "tenant=acme", Route: route, Event: c.Event, DeliveryID: c.DeliveryID,
		Headers: hs, ContentType: c.Header.Get("Content-Type"), Body: c.Body, Status: 202,
		Verification: signature.Outcome{Scheme: c.Scheme, Result: signature.Verified, Reason: signature.ReasonOK}}
}

func craftOrFail(t *testing.T, provider, event, secret string, at time.Time) *Crafted {
	t.Helper()
	c, err := Craft(provider, event, CraftOptions{Secret: secret, Now: at})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestReplayToURLIsByteIdenticalInOrder(t *testing.T) {
	env := newTestEnv(t)
	orig := env.save(t, capturedFrom(craftOrFail(t, "github", "push", "gh-secret", time.Now()), "github-pr"))
	rcv := newRawReceiver(t, 200)
	got, err := env.replayer("", 5*time.Second).Replay(context.Background(), orig.ID, ReplayOptions{To: rcv.URL() + "/hook?x=1"})
	if err != nil {
		t.Fatal(err)
	}
	reqs := rcv.requests()
	if len(reqs) != 1 {
		t.Fatalf("receiver got %d requests", len(reqs))
	}
	r := reqs[0]
	if string(r.Body) != string(orig.Body) || r.Method != "POST" || r.Target != "/hook?x=1" {
		t.Fatalf("not byte-identical: %s %s %d bytes", r.Method, r.Target, len(r.Body))
	}
	want := []capture.Header{{Name: "Host", Value: strings.TrimPrefix(rcv.URL(), "http://")}}
	want = append(want, capture.Forwardable(orig.Headers)...)
	want = append(want, capture.Header{Name: "Content-Length", Value: strconv.Itoa(len(orig.Body))},
		capture.Header{Name: "Connection", Value: "close"})
	if len(r.Headers) != len(want) {
		t.Fatalf("headers:\n got %v\nwant %v", r.Headers, want)
	}
	for i := range want {
		if r.Headers[i] != want[i] {
			t.Fatalf("header %d: got %v, want %v", i, r.Headers[i], want[i])
		}
	}
	for _, h := range r.Headers {
		if strings.EqualFold(h.Name, "Keep-Alive") || strings.EqualFold(h.Name, "Upgrade") || strings.HasPrefix(h.Name, "X-Hooktap") ||
			strings.EqualFold(h.Name, "Proxy-Authorization") || strings.EqualFold(h.Name, "TE") {
			t.Fatalf("hop-by-hop or marker header forwarded: %v", h)
		}
	}
	if o := signature.Verify(signature.Request{Method: "POST", Header: r.header(), Body: r.Body},
		signature.Params{Scheme: "github", Secrets: []signature.Secret{{Value: "gh-secret"}}}); o.Result != signature.Verified {
		t.Fatalf("original signature did not survive: %+v", o)
	}
	stored, err := env.store.Get(context.Background(), got.ID)
	if err != nil {
		t.Fatal(err)
	}
	if stored.ReplayOf != orig.ID || stored.Source != capture.SourceReplay || stored.Status != 200 ||
		string(stored.ResponseBody) != `{"ok":true}` || string(stored.Body) != string(orig.Body) || stored.Route != "github-pr" {
		t.Fatalf("replay capture wrong: %+v", stored)
	}
}

func TestResignGivesFreshVerifyingSignature(t *testing.T) {
	env := newTestEnv(t)
	old := time.Now().Add(-2 * time.Hour)
	// The originals were signed with an older secret: only a recomputed signature verifies
	// with the route's current one.
	for _, tc := range []struct{ route, provider, event, oldSecret, secret, header string }{
		{"stripe", "stripe", "payment_intent.succeeded", "whsec_old", "whsec_stripe_test", "Stripe-Signature"},
		{"standard", "standard", "generic", "whsec_aG9va3RhcC10ZXN0LXNlY3JldC0wMTIzNDU2Nzg5", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "webhook-signature"},
		{"github-pr", "github", "pull_request", "gh-old", "gh-secret", "X-Hub-Signature-256"},
	} {
		t.Run(tc.provider, func(t *testing.T) {
			crafted := craftOrFail(t, tc.provider, tc.event, tc.oldSecret, old)
			orig := env.save(t, capturedFrom(crafted, tc.route))
			rcv := newRawReceiver(t, 200)
			if _, err := env.replayer("", 5*time.Second).Replay(context.Background(), orig.ID, ReplayOptions{To: rcv.URL(), Resign: true}); err != nil {
				t.Fatal(err)
			}
			r := rcv.requests()[0]
			o := signature.Verify(signature.Request{Method: "POST", Header: r.header(), Body: r.Body},
				signature.Params{Scheme: crafted.Scheme, Secrets: []signature.Secret{{Value: tc.secret}}})
			if o.Result != signature.Verified {
				t.Fatalf("re-signed replay does not verify now: %+v", o)
			}
			if r.header().Get(tc.header) == crafted.Header.Get(tc.header) {
				t.Fatalf("%s not recomputed", tc.header)
			}
			if idx(r.Headers, tc.header) != idx(capture.Forwardable(orig.Headers), tc.header)+1 {
				t.Fatalf("%s moved: %v", tc.header, r.Headers)
			}
			if tc.provider == "github" && r.header().Get("X-GitHub-Delivery") == crafted.DeliveryID {
				t.Fatalf("delivery id not refreshed")
			}
		})
	}
}

func idx(hs []capture.Header, name string) int {
	for i, h := range hs {
		if strings.EqualFold(h.Name, name) {
			return i
		}
	}
	return -1
}

func TestKeepSignatureAndEdit(t *testing.T) {
	env := newTestEnv(t)
	crafted := craftOrFail(t, "stripe", "payment_intent.succeeded", "whsec_stripe_test", time.Now())
	orig := env.save(t, capturedFrom(crafted, "stripe"))
	edited := []byte(strings.Replace(string(orig.Body), `"amount": 2000`, `"amount": 9999`, 1))
	params := signature.Params{Scheme: "stripe", Secrets: []signature.Secret{{Value: "whsec_stripe_test"}}}
	for _, tc := range []struct {
		name   string
		o      ReplayOptions
		result signature.Result
		same   bool
	}{
		{"keep", ReplayOptions{KeepSignature: true}, signature.Verified, true},
		{"edit-keep", ReplayOptions{KeepSignature: true, Body: edited}, signature.Failed, true},
		{"edit-resigns", ReplayOptions{Body: edited}, signature.Verified, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rcv := newRawReceiver(t, 200)
			tc.o.To = rcv.URL()
			if _, err := env.replayer("", 5*time.Second).Replay(context.Background(), orig.ID, tc.o); err != nil {
				t.Fatal(err)
			}
			r := rcv.requests()[0]
			if (r.header().Get("Stripe-Signature") == crafted.Header.Get("Stripe-Signature")) != tc.same {
				t.Fatalf("signature kept = %v, want %v", !tc.same, tc.same)
			}
			if o := signature.Verify(signature.Request{Method: "POST", Header: r.header(), Body: r.Body}, params); o.Result != tc.result {
				t.Fatalf("verification %s, want %s (%s)", o.Result, tc.result, o.Detail)
			}
		})
	}
}

func TestReplayFailuresAreCapturedAndClear(t *testing.T) {
	env := newTestEnv(t)
	orig := env.save(t, capturedFrom(craftOrFail(t, "github", "ping", "gh-secret", time.Now()), "github-pr"))
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	refused := "http://" + ln.Addr().String()
	ln.Close()
	silent, _ := net.Listen("tcp", "127.0.0.1:0")
	defer silent.Close()
	go func() {
		for {
			c, err := silent.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()
	for _, tc := range []struct{ name, to, want string }{
		{"refused", refused, "refused"},
		{"timeout", "http://" + silent.Addr().String(), "timed out"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := env.replayer("", 300*time.Millisecond).Replay(context.Background(), orig.ID, ReplayOptions{To: tc.to})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want %q", err, tc.want)
			}
			if c == nil || c.ID == "" {
				t.Fatalf("failed attempt not captured")
			}
			stored, gerr := env.store.Get(context.Background(), c.ID)
			if gerr != nil || stored.ReplayOf != orig.ID || len(stored.Deliveries) != 1 || stored.Deliveries[0].Error == "" {
				t.Fatalf("stored attempt wrong: %+v %v", stored, gerr)
			}
		})
	}
}

func TestReplayBadInput(t *testing.T) {
	env := newTestEnv(t)
	orig := env.save(t, capturedFrom(craftOrFail(t, "github", "ping", "gh-secret", time.Now()), "github-pr"))
	cut := capturedFrom(craftOrFail(t, "github", "ping", "gh-secret", time.Now()), "github-pr")
	cut.Truncated = true
	env.save(t, cut)
	insp := capturedFrom(craftOrFail(t, "github", "ping", "gh-secret", time.Now()), "inspect")
	env.save(t, insp)
	rp := env.replayer("", time.Second)
	ctx := context.Background()
	if _, err := rp.Replay(ctx, "01zzzzzzzzzzzzzzzzzzzzzzzz", ReplayOptions{To: "http://127.0.0.1:1"}); !errors.Is(err, capture.ErrNotFound) {
		t.Errorf("unknown id: %v", err)
	}
	if _, err := rp.Replay(ctx, cut.ID, ReplayOptions{To: "http://127.0.0.1:1"}); err == nil || !strings.Contains(err.Error(), "cut at") {
		t.Errorf("truncated capture: %v", err)
	}
	if _, err := rp.Replay(ctx, orig.ID, ReplayOptions{To: "http://127.0.0.1:1", Resign: true, KeepSignature: true}); err == nil {
		t.Errorf("--resign with --keep-signature accepted")
	}
	if _, err := rp.Replay(ctx, insp.ID, ReplayOptions{To: "http://127.0.0.1:1", Resign: true}); err == nil || !strings.Contains(err.Error(), "no secret") {
		t.Errorf("resign on a route without secret: %v", err)
	}
	if _, err := rp.Replay(ctx, orig.ID, ReplayOptions{}); err == nil || !strings.Contains(err.Error(), "--to") {
		t.Errorf("no gateway and no --to: %v", err)
	}
	if _, err := rp.Replay(ctx, orig.ID, ReplayOptions{To: "ftp://x"}); err == nil || !strings.Contains(err.Error(), "not an http") {
		t.Errorf("ftp target: %v", err)
	}
}

func TestReplayManyInOrder(t *testing.T) {
	env := newTestEnv(t)
	var ids []string
	for range 5 {
		ids = append(ids, env.save(t, capturedFrom(craftOrFail(t, "github", "push", "gh-secret", time.Now()), "github-pr")).ID)
	}
	ids = append(ids, "01zzzzzzzzzzzzzzzzzzzzzzzz")
	rcv := newRawReceiver(t, 200)
	calls := 0
	res := env.replayer("", 5*time.Second).ReplayMany(context.Background(), ids, ReplayOptions{To: rcv.URL()}, 2, 200,
		func(Result) { calls++ })
	if len(res) != len(ids) || calls != len(ids) {
		t.Fatalf("%d results, %d progress calls for %d ids", len(res), calls, len(ids))
	}
	for i, r := range res {
		if r.ID != ids[i] || r.Index != i {
			t.Fatalf("result %d is %s/%d", i, r.ID, r.Index)
		}
		last := i == len(ids)-1
		if (r.Err != nil) != last || (!last && r.Capture.ReplayOf != ids[i]) {
			t.Fatalf("result %d: %+v", i, r)
		}
	}
	if n := len(rcv.requests()); n != 5 {
		t.Fatalf("receiver got %d requests", n)
	}
}

func TestSendCraftedCapturesExchange(t *testing.T) {
	env := newTestEnv(t)
	rcv := newRawReceiver(t, 401)
	c := craftOrFail(t, "github", "issues", "gh-secret", time.Now())
	got, err := env.replayer("", 5*time.Second).Send(context.Background(), c, rcv.URL()+"/webhooks/github-pr", capture.SourceCraft)
	if err != nil {
		t.Fatal(err)
	}
	r := rcv.requests()[0]
	if idx(r.Headers, "X-GitHub-Event") < 0 || r.Headers[idx(r.Headers, "X-GitHub-Event")].Name != "X-GitHub-Event" {
		t.Fatalf("provider spelling lost: %v", r.Headers)
	}
	if got.Source != capture.SourceCraft || got.Status != 401 || got.DeliveryID != c.DeliveryID || got.Path != "/webhooks/github-pr" {
		t.Fatalf("craft capture wrong: %+v", got)
	}
}
