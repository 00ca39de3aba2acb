package notify

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hooktap/hooktap/config"
	"github.com/hooktap/hooktap/signature"
)

func TestRetryOn500ThenSuccess(t *testing.T) {
	db, _ := openDB(t)
	rcv := newReceiver(t, status(500), status(503), status(200))
	c := hook(rcv.URL)
	c.Retry = config.Retry{MaxAttempts: 3, Initial: config.Duration(time.Second)}
	d, ws := newTestDispatcher(t, db, []config.Webhook{c}, WithJitter(func(time.Duration) time.Duration { return 0 }))
	results, stop := d.Subscribe()
	defer stop()
	d.Start(context.Background())
	d.Dispatch("provider_down", nil)
	res := nextResult(t, results)
	if !res.Delivered || len(res.Attempts) != 3 {
		t.Fatalf("result = %+v, want delivered on attempt 3", res)
	}
	if got := ws.all(); len(got) != 2 || got[0] != 500*time.Millisecond || got[1] != time.Second {
		t.Errorf("waits = %v, want [500ms 1s] (exponential from 1s, half fixed, zero jitter)", got)
	}
	attempts, err := d.Attempts(context.Background(), res.MessageID)
	if err != nil || len(attempts) != 3 || attempts[0].Status != 500 || attempts[2].Status != 200 {
		t.Errorf("recorded attempts = %+v, %v", attempts, err)
	}
	if n, _ := d.QueueLen(context.Background()); n != 0 {
		t.Errorf("queue still holds %d", n)
	}
}

func TestNonRetryable4xxGoesToDLQ(t *testing.T) {
	db, _ := openDB(t)
	rcv := newReceiver(t, status(400))
	d, ws := newTestDispatcher(t, db, []config.Webhook{hook(rcv.URL)})
	results, stop := d.Subscribe()
	defer stop()
	d.Start(context.Background())
	d.Dispatch("budget_exceeded", nil)
	res := nextResult(t, results)
	if res.Delivered || !res.Dead || len(res.Attempts) != 1 || len(ws.all()) != 0 {
		t.Fatalf("result = %+v, waits %v; want one attempt, dead-lettered", res, ws.all())
	}
	dead, err := d.DeadLetters(context.Background())
	if err != nil || len(dead) != 1 {
		t.Fatalf("dead letters = %v, %v", dead, err)
	}
	if dl := dead[0]; dl.WebhookID != "config-1" || dl.Event != "budget_exceeded" || dl.LastStatus != 400 || dl.Attempts != 1 {
		t.Errorf("dead letter = %+v", dl)
	}
}

func TestRetryAfterHonoured(t *testing.T) {
	db, _ := openDB(t)
	rcv := newReceiver(t, func(w http.ResponseWriter) {
		w.Header().Set("Retry-After", "7")
		w.WriteHeader(http.StatusTooManyRequests)
	}, status(204))
	d, ws := newTestDispatcher(t, db, []config.Webhook{hook(rcv.URL)})
	results, stop := d.Subscribe()
	defer stop()
	d.Start(context.Background())
	d.Dispatch("failover", nil)
	if res := nextResult(t, results); !res.Delivered {
		t.Fatalf("result = %+v", res)
	}
	if got := ws.all(); len(got) != 1 || got[0] < 7*time.Second {
		t.Errorf("waits = %v, want one wait of at least 7s", got)
	}
}

func TestExhaustedRetriesThenDLQRetry(t *testing.T) {
	db, _ := openDB(t)
	healthy := false
	rcv := newReceiver(t, func(w http.ResponseWriter) {
		if !healthy {
			w.WriteHeader(http.StatusBadGateway)
			return
		}
		w.WriteHeader(http.StatusOK)
	})
	d, _ := newTestDispatcher(t, db, []config.Webhook{hook(rcv.URL)})
	results, stop := d.Subscribe()
	defer stop()
	d.Start(context.Background())
	d.Dispatch("daily_summary", nil)
	res := nextResult(t, results)
	if !res.Dead || len(res.Attempts) != DefaultMaxAttempts || !strings.Contains(res.Error, "gave up after 3") {
		t.Fatalf("result = %+v", res)
	}
	dead, _ := d.DeadLetters(context.Background())
	if len(dead) != 1 || dead[0].Attempts != 3 {
		t.Fatalf("dead = %+v", dead)
	}
	healthy = true
	retried, err := d.RetryDeadLetter(context.Background(), dead[0].ID)
	if err != nil || !retried.Delivered {
		t.Fatalf("retry = %+v, %v", retried, err)
	}
	if dead, _ := d.DeadLetters(context.Background()); len(dead) != 0 {
		t.Errorf("dead letter not removed after a successful retry: %+v", dead)
	}
	reqs := rcv.requests()
	if string(reqs[0].Body) != string(reqs[len(reqs)-1].Body) {
		t.Errorf("retried body differs:\n%s\n%s", reqs[0].Body, reqs[len(reqs)-1].Body)
	}
}

func TestTimeoutAndRedirect(t *testing.T) {
	other := newReceiver(t)
	tests := []struct {
		name    string
		answer  func(hang chan struct{}) func(http.ResponseWriter)
		wantErr string
	}{
		{"hanging target", func(hang chan struct{}) func(http.ResponseWriter) {
			return func(http.ResponseWriter) { <-hang }
		}, "no answer within"},
		{"redirect", func(chan struct{}) func(http.ResponseWriter) {
			return func(w http.ResponseWriter) {
				w.Header().Set("Location", other.URL+"/stolen")
				w.WriteHeader(http.StatusFound)
			}
		}, "not followed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, _ := openDB(t)
			hang := make(chan struct{})
			rcv := newReceiver(t, tt.answer(hang))
			t.Cleanup(func() { close(hang) }) // runs before the receiver's Close, which waits for handlers
			c := hook(rcv.URL)
			c.Retry.MaxAttempts = 1
			d, _ := newTestDispatcher(t, db, []config.Webhook{c}, WithTimeout(150*time.Millisecond))
			res, err := d.SendNow(context.Background(), FromConfig(c, 0), Build("provider_up", nil, time.Now()))
			if err == nil || res.Delivered || !strings.Contains(res.Error, tt.wantErr) {
				t.Fatalf("result = %+v, err %v; want error containing %q", res, err, tt.wantErr)
			}
		})
	}
	if n := len(other.requests()); n != 0 {
		t.Errorf("redirect was followed: other host got %d requests", n)
	}
}

func TestEventFilterHeadersAndSignatures(t *testing.T) {
	db, _ := openDB(t)
	rcv := newReceiver(t)
	signed := config.Webhook{URL: rcv.URL + "/a", Events: []string{"budget_warning"}, Secret: "s3cret",
		Headers: map[string]string{"Authorization": "Bearer tok", "X-Custom": "v"}}
	standard := config.Webhook{URL: rcv.URL + "/b", Events: []string{"provider_down"},
		Secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", Signing: "standard"}
	off := false
	disabled := config.Webhook{URL: rcv.URL + "/c", Enabled: &off}
	d, _ := newTestDispatcher(t, db, []config.Webhook{signed, standard, disabled})
	results, stop := d.Subscribe()
	defer stop()
	d.Start(context.Background())
	d.Dispatch("budget_warning", nil)
	d.Dispatch("provider_down", nil)
	d.Dispatch("failover", nil)
	nextResult(t, results)
	nextResult(t, results)
	reqs := rcv.requests()
	if len(reqs) != 2 {
		t.Fatalf("receiver got %d requests, want 2 (filter and enabled flag)", len(reqs))
	}
	for _, r := range reqs {
		var body struct{ Event string }
		_ = json.Unmarshal(r.Body, &body)
		switch body.Event {
		case "budget_warning":
			if !verifies(r, signature.SchemeTimestamped, "s3cret") {
				t.Errorf("timestamped signature does not verify: %v", r.Header)
			}
			if r.Header.Get("Authorization") != "Bearer tok" || r.Header.Get("X-Custom") != "v" {
				t.Errorf("custom headers missing: %v", r.Header)
			}
		case "provider_down":
			if !verifies(r, signature.SchemeStandard, standard.Secret) {
				t.Errorf("standard signature does not verify: %v", r.Header)
			}
		default:
			t.Errorf("unexpected event %q", body.Event)
		}
	}
}

func TestSignRequestVectors(t *testing.T) {
	tests := []struct {
		name, header, want string
		w                  Webhook
		id                 string
		at                 int64
		body               string
	}{
		// the timestamped scheme; value from `printf '1700000000.{}' | openssl dgst -sha256 -hmac secret`.
		{"timestamped", SignatureHeader, "sha256=b8569b78799ff9e3cbff0fc2d63a33a2b57f3282abd07c37ae5e8e7d79a5f163",
			Webhook{Secret: "secret"}, "msg_1", 1700000000, `{}`},
		{"standard", "webhook-signature", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
			Webhook{Secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", Signing: "standard"},
			"msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, `{"test": 2432232314}`},
	}
	for _, tt := range tests {
		h := http.Header{}
		if err := signRequest(h, tt.w, tt.id, []byte(tt.body), time.Unix(tt.at, 0)); err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if got := h.Get(tt.header); got != tt.want {
			t.Errorf("%s: %s = %q, want %q (headers %v)", tt.name, tt.header, got, tt.want, h)
		}
	}
}

func TestQueueSurvivesRestart(t *testing.T) {
	db, _ := openDB(t)
	rcv := newReceiver(t)
	static := []config.Webhook{hook(rcv.URL)}
	first, _ := newTestDispatcher(t, db, static)
	first.Dispatch("budget_warning", nil)
	first.Dispatch("provider_up", nil)
	first.Close() // never started: the buffered messages must be persisted, not lost
	if n, _ := first.QueueLen(context.Background()); n != 2 {
		t.Fatalf("queue after close = %d, want 2", n)
	}
	second, _ := newTestDispatcher(t, db, static)
	results, stop := second.Subscribe()
	defer stop()
	second.Start(context.Background())
	nextResult(t, results)
	nextResult(t, results)
	if n := len(rcv.requests()); n != 2 {
		t.Errorf("receiver got %d, want 2", n)
	}
}

func TestInvalidStaticWebhook(t *testing.T) {
	db, _ := openDB(t)
	for _, c := range []config.Webhook{{URL: "ftp://x"}, {URL: "http://x", Format: "teams"}, {URL: "http://x", Signing: "rsa"}} {
		if _, err := NewDispatcher(db, []config.Webhook{c}); err == nil {
			t.Errorf("NewDispatcher(%+v) accepted", c)
		}
	}
}
