package admin

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/signature"
)

func TestCountMatchesList(t *testing.T) {
	e := newTestEnv(t, nil)
	for i := 0; i < 3; i++ {
		e.save(t, sample("github-pr", "push", signature.Verified, 200, "{}"))
	}
	e.save(t, sample("github-pr", "ping", signature.Failed, 401, "{}"))
	e.save(t, sample("internal", "", signature.Skipped, 202, "{}"))
	tests := []struct {
		query string
		want  int
	}{
		{"", 5},
		{"?route=github-pr", 4},
		{"?status=4xx", 1},
		{"?verified=true&event=push", 3},
		{"?since=2000-01-01T00:00:00Z", 5},
		{"?since=2999-01-01T00:00:00Z", 0},
	}
	for _, tt := range tests {
		var got countAnswer
		if code := e.get(t, "/api/v1/captures/count"+tt.query, &got); code != http.StatusOK || got.Count != tt.want {
			t.Errorf("count%s: %d %d, want %d", tt.query, code, got.Count, tt.want)
		}
	}
	var eb errBody
	for _, q := range []string{"?limit=3", "?status=9xx", "?since=yesterday", "?before=01!"} {
		if code := e.get(t, "/api/v1/captures/count"+q, &eb); code != http.StatusBadRequest || eb.Param == "" {
			t.Errorf("count%s: %d %+v, want 400 naming the parameter", q, code, eb)
		}
	}
}

func TestListOldestAfterAndBodies(t *testing.T) {
	e := newTestEnv(t, nil)
	var saved []string
	for i := 0; i < 5; i++ {
		saved = append(saved, e.save(t, sample("github-pr", "push", signature.Verified, 200, `{"n":`+string(rune('0'+i))+`}`)).ID)
	}
	var lb struct {
		Captures []CaptureAnswer `json:"captures"`
	}
	if code := e.get(t, "/api/v1/captures?oldest=1&limit=2", &lb); code != http.StatusOK || len(lb.Captures) != 2 ||
		lb.Captures[0].ID != saved[1] || lb.Captures[1].ID != saved[0] {
		t.Fatalf("oldest page: %d %v, want %v", code, lb.Captures, saved[:2])
	}
	if lb.Captures[0].BodyBase64 != nil || lb.Captures[0].BodySize != 7 {
		t.Errorf("list without body=1: body %v, size %d", lb.Captures[0].BodyBase64, lb.Captures[0].BodySize)
	}
	if code := e.get(t, "/api/v1/captures?oldest=1&after="+saved[1]+"&limit=2&body=1", &lb); code != http.StatusOK ||
		len(lb.Captures) != 2 || lb.Captures[0].ID != saved[3] || lb.Captures[1].ID != saved[2] {
		t.Fatalf("page after %s: %d %+v", saved[1], code, lb.Captures)
	}
	if lb.Captures[1].BodyText == nil || *lb.Captures[1].BodyText != `{"n":2}` {
		t.Errorf("body=1 carries no body: %+v", lb.Captures[1])
	}
	var eb errBody
	if code := e.get(t, "/api/v1/captures?body=1&limit=500", &eb); code != http.StatusBadRequest || eb.Param != "limit" {
		t.Errorf("500 bodies in one page: %d %+v", code, eb)
	}
}

func TestResponseHeadersMasked(t *testing.T) {
	e := newTestEnv(t, nil)
	c := sample("github-pr", "push", signature.Verified, 200, "{}")
	c.ResponseHeaders = []capture.Header{{Name: "Set-Cookie", Value: "session=abcdef123456"}, {Name: "X-Request-Id", Value: "r1"}}
	e.save(t, c)
	var got CaptureAnswer
	if code := e.get(t, "/api/v1/captures/"+c.ID, &got); code != http.StatusOK || len(got.ResponseHeaders) != 2 {
		t.Fatalf("get: %d %+v", code, got)
	}
	if strings.Contains(got.ResponseHeaders[0][1], "abcdef123456") || got.ResponseHeaders[1][1] != "r1" {
		t.Errorf("response headers not masked by the one rule: %v", got.ResponseHeaders)
	}
	if code := e.get(t, "/api/v1/captures/"+c.ID+"?reveal=1", &got); code != http.StatusOK || got.ResponseHeaders[0][1] != "session=abcdef123456" {
		t.Errorf("reveal=1: %v", got.ResponseHeaders)
	}
}

func TestCaptureOutboxAndDeliveries(t *testing.T) {
	e := newTestEnv(t, nil)
	c := sample("github-pr", "push", signature.Verified, 202, "{}")
	c.Outbox = []capture.OutboxEntry{{Route: "github-pr", Kind: "forward", Target: "https://ci.example/hook?token=s3cr3tvalue"}}
	e.save(t, c)
	other := sample("internal", "", signature.Skipped, 202, "{}")
	other.Outbox = []capture.OutboxEntry{{Route: "internal", Kind: "forward", Target: "http://127.0.0.1:1/x"}}
	e.save(t, other)

	var ob OutboxAnswer
	if code := e.get(t, "/api/v1/captures/"+c.ID[18:]+"/outbox", &ob); code != http.StatusOK || len(ob.Deliveries) != 1 {
		t.Fatalf("outbox of %s: %d %+v", c.ID, code, ob)
	}
	if strings.Contains(ob.Deliveries[0].Target, "s3cr3tvalue") || ob.Deliveries[0].CaptureID != c.ID {
		t.Errorf("outbox target not masked: %+v", ob.Deliveries[0])
	}
	if code := e.get(t, "/api/v1/captures/01zzzzzzzz/outbox", &errBody{}); code != http.StatusNotFound {
		t.Errorf("outbox of an unknown capture: %d", code)
	}
	if code := e.get(t, "/api/v1/deliveries?state=pending&route=internal", &ob); code != http.StatusOK || len(ob.Deliveries) != 1 || ob.Deliveries[0].CaptureID != other.ID {
		t.Fatalf("deliveries list: %d %+v", code, ob)
	}
	if code := e.get(t, "/api/v1/deliveries?reveal=1&limit=5", &ob); code != http.StatusOK || len(ob.Deliveries) != 2 || !strings.Contains(ob.Deliveries[0].Target, "s3cr3tvalue") {
		t.Fatalf("deliveries reveal: %d %+v", code, ob)
	}
	var eb errBody
	for _, q := range []string{"?state=gone", "?limit=0", "?target=x"} {
		if code := e.get(t, "/api/v1/deliveries"+q, &eb); code != http.StatusBadRequest {
			t.Errorf("deliveries%s: %d", q, code)
		}
	}
	var ch DeliveriesChanged
	id := ob.Deliveries[1].ID
	if code := e.do(t, http.MethodPost, "/api/v1/deliveries/retry", nil, strings.NewReader(`{"ids":[`+itoa(id)+`]}`), &ch); code != http.StatusOK || ch.Changed != 1 {
		t.Errorf("retry: %d %+v", code, ch)
	}
	for _, body := range []string{``, `{}`, `{"ids":[1],"all":true}`, `{"ids":[-1]}`, `{"id":1}`} {
		if code := e.do(t, http.MethodPost, "/api/v1/deliveries/purge", nil, strings.NewReader(body), &eb); code != http.StatusBadRequest {
			t.Errorf("purge %q: %d, want 400", body, code)
		}
	}
	if code := e.do(t, http.MethodPost, "/api/v1/deliveries/purge", nil, strings.NewReader(`{"ids":[`+itoa(id)+`]}`), &ch); code != http.StatusOK || ch.Changed != 1 {
		t.Errorf("purge: %d %+v", code, ch)
	}
	if left, _ := e.store.ListOutbox(context.Background(), capture.OutboxFilter{}); len(left) != 1 || left[0].ID == id {
		t.Errorf("after purge of %d: %+v", id, left)
	}
	if code := e.get(t, "/api/v1/deliveries/retry", &eb); code != http.StatusMethodNotAllowed {
		t.Errorf("GET retry: %d", code)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func githubSignature(secret, body string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(body))
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

func TestCaptureDoctor(t *testing.T) {
	e := newTestEnv(t, nil)
	body := `{"zen":"Keep it logically awesome."}`
	good := sample("github-pr", "push", signature.Verified, 202, body)
	good.Headers = append(good.Headers, capture.Header{Name: "X-Hub-Signature-256", Value: githubSignature("gh-secret", body)},
		capture.Header{Name: "X-GitHub-Event", Value: "push"})
	e.save(t, good)
	// The provider signed the compact form; the stored body is indented: the doctor says so.
	bad := sample("github-pr", "push", signature.Failed, 401, "{\n  \"zen\": \"Keep it logically awesome.\"\n}")
	bad.Verification.Reason = signature.ReasonMismatch
	bad.Headers = append(bad.Headers, capture.Header{Name: "X-Hub-Signature-256", Value: githubSignature("gh-secret", body)},
		capture.Header{Name: "X-GitHub-Event", Value: "push"})
	e.save(t, bad)

	var d DoctorAnswer
	if code := e.get(t, "/api/v1/captures/"+good.ID+"/doctor", &d); code != http.StatusOK || d.Now.Result != signature.Verified || d.CaptureID != good.ID {
		t.Fatalf("doctor of a good signature: %d %+v", code, d)
	}
	if code := e.get(t, "/api/v1/captures/"+bad.ID+"/doctor", &d); code != http.StatusOK || d.Now.Result != signature.Failed ||
		d.Recorded.Result != signature.Failed || len(d.Now.Diagnosis) == 0 || d.Now.Diagnosis[0].Code != signature.FindBodyReserialized {
		t.Fatalf("doctor of a bad signature: %d %+v", code, d)
	}
	if code := e.get(t, "/api/v1/captures/"+bad.ID+"/doctor?verbose=1", &errBody{}); code != http.StatusBadRequest {
		t.Errorf("doctor with an unknown parameter: %d", code)
	}
}

func TestRoutePinsEndpoint(t *testing.T) {
	e := newTestEnv(t, nil)
	var got pinsAnswer
	if code := e.get(t, "/api/v1/routes/pins", &got); code != http.StatusOK || got.Pins == nil || len(got.Pins) != 0 {
		t.Fatalf("no pins: %d %+v", code, got)
	}
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, r := range []string{"zeta", "alpha"} {
		if _, err := e.store.PinRouteScheme(context.Background(), capture.RoutePin{Route: r, Scheme: "github", CaptureID: "01abc", PinnedAt: at}); err != nil {
			t.Fatal(err)
		}
	}
	if code := e.get(t, "/api/v1/routes/pins", &got); code != http.StatusOK || len(got.Pins) != 2 || got.Pins[0].Route != "alpha" || !got.Pins[1].PinnedAt.Equal(at) {
		t.Fatalf("pins: %d %+v", code, got)
	}
}
