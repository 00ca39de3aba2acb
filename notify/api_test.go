package notify

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/hooktap/hooktap/config"
	"github.com/hooktap/hooktap/mask"
	"github.com/hooktap/hooktap/signature"
)

type apiClient struct {
	t    *testing.T
	base string
}

func (c apiClient) do(method, path, body string) (int, map[string]any) {
	c.t.Helper()
	req, err := http.NewRequest(method, c.base+path, strings.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out map[string]any
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &out); err != nil {
			c.t.Fatalf("%s %s: answer is not JSON: %s", method, path, raw)
		}
	}
	return resp.StatusCode, out
}

func TestRESTRoundTrip(t *testing.T) {
	db, _ := openDB(t)
	rcv := newReceiver(t)
	d, _ := newTestDispatcher(t, db, nil)
	results, stop := d.Subscribe()
	defer stop()
	d.Start(context.Background())
	srv := httptest.NewServer(d.Handler())
	defer srv.Close()
	api := apiClient{t, srv.URL}

	code, created := api.do("POST", "/api/v1/webhooks", `{"enabled":true,"url":"`+rcv.URL+`","events":["budget_warning","made_up"],
		"headers":{"Authorization":"Bearer tok","X-Team":"ops"},"secret":"s3cret"}`)
	if code != http.StatusCreated {
		t.Fatalf("POST = %d %v", code, created)
	}
	id, _ := created["id"].(string)
	if !strings.HasPrefix(id, "wh_") || created["secret"] != mask.Prefix {
		t.Errorf("created = %v, want a generated id and a masked secret", created)
	}
	if h := created["headers"].(map[string]any); h["Authorization"] != mask.Prefix || h["X-Team"] != "ops" {
		t.Errorf("headers = %v, want Authorization masked, X-Team shown", h)
	}
	if w, _ := created["warnings"].([]any); len(w) != 1 || !strings.Contains(w[0].(string), "made_up") {
		t.Errorf("warnings = %v, want one naming made_up", created["warnings"])
	}

	code, listed := api.do("GET", "/api/v1/webhooks", "")
	hooks, _ := listed["webhooks"].([]any)
	if code != 200 || len(hooks) != 1 || strings.Contains(mustJSON(listed), "s3cret") || strings.Contains(mustJSON(listed), "Bearer tok") {
		t.Fatalf("GET = %d %v", code, listed)
	}

	// What a read returned, sent back: the masked secret and URL keep the stored ones.
	code, updated := api.do("PUT", "/api/v1/webhooks/"+id, `{"events":["provider_down"],"secret":"`+created["secret"].(string)+`"}`)
	if code != 200 || updated["enabled"] != true || updated["url"] != rcv.URL {
		t.Fatalf("partial PUT = %d %v; enabled and url must be kept", code, updated)
	}
	stored, _ := d.Webhook(context.Background(), id)
	if stored.Secret != "s3cret" || stored.Headers["Authorization"] != "Bearer tok" {
		t.Errorf("masked values sent back replaced the secrets: %+v", stored)
	}

	if code, out := api.do("POST", "/api/v1/events", `{"event":"provider_down","data":{"provider":"openai"}}`); code != http.StatusAccepted {
		t.Fatalf("POST events = %d %v", code, out)
	}
	res := nextResult(t, results)
	got := rcv.requests()
	if !res.Delivered || len(got) != 1 || !strings.Contains(string(got[0].Body), `"provider":"openai"`) {
		t.Fatalf("delivery = %+v, receiver %d", res, len(got))
	}
	if got[0].Header.Get("X-Team") != "ops" || !verifies(got[0], signature.SchemeTimestamped, "s3cret") {
		t.Errorf("headers/signature wrong: %v", got[0].Header)
	}

	if code, out := api.do("POST", "/api/v1/webhooks/"+id+"/test", ""); code != 200 || out["delivered"] != true {
		t.Errorf("test = %d %v", code, out)
	}
	if code, _ := api.do("DELETE", "/api/v1/webhooks/"+id, ""); code != http.StatusNoContent {
		t.Errorf("DELETE = %d", code)
	}
	if code, _ := api.do("PUT", "/api/v1/webhooks/"+id, `{}`); code != http.StatusNotFound {
		t.Errorf("PUT after delete = %d, want 404", code)
	}
}

func TestRESTBadInput(t *testing.T) {
	db, _ := openDB(t)
	d, _ := newTestDispatcher(t, db, []config.Webhook{hook("http://127.0.0.1:1/x")})
	srv := httptest.NewServer(d.Handler())
	defer srv.Close()
	api := apiClient{t, srv.URL}
	tests := []struct {
		method, path, body string
		want               int
		mention            string
	}{
		{"POST", "/api/v1/webhooks", `{"url":"ftp://example.com/x"}`, 400, "url"},
		{"POST", "/api/v1/webhooks", `{"url":"javascript:alert(1)"}`, 400, "url"},
		{"POST", "/api/v1/webhooks", `{"url":"http://127.0.0.1/x","format":"teams"}`, 400, "format"},
		{"POST", "/api/v1/webhooks", `{"url":"http://127.0.0.1/x","event":["a"]}`, 400, "event"},
		{"POST", "/api/v1/webhooks", `{"url":"http://127.0.0.1/x","retry":{"initial":"soon"}}`, 400, "retry.initial"},
		{"POST", "/api/v1/webhooks", `{"url":`, 400, "malformed"},
		{"POST", "/api/v1/webhooks", `{"url":"http://127.0.0.1/x","events":"a"}`, 400, "events"},
		{"PUT", "/api/v1/webhooks/config-1", `{"enabled":false}`, 409, "config file"},
		{"DELETE", "/api/v1/webhooks/nope", ``, 404, "nope"},
		{"POST", "/api/v1/webhooks/nope/test", ``, 404, "nope"},
		{"POST", "/api/v1/events", `{"data":{}}`, 400, "event"},
		{"POST", "/api/v1/events", `not json`, 400, "malformed"},
	}
	for _, tt := range tests {
		code, out := api.do(tt.method, tt.path, tt.body)
		msg, _ := out["error"].(string)
		if code != tt.want || !strings.Contains(msg, tt.mention) {
			t.Errorf("%s %s %s = %d %q, want %d mentioning %q", tt.method, tt.path, tt.body, code, msg, tt.want, tt.mention)
		}
	}
}

func TestEventsAnswerWithoutWaiting(t *testing.T) {
	db, _ := openDB(t)
	hang := make(chan struct{})
	rcv := newReceiver(t, func(http.ResponseWriter) { <-hang })
	t.Cleanup(func() { close(hang) })
	d, _ := newTestDispatcher(t, db, []config.Webhook{hook(rcv.URL)})
	d.Start(context.Background())
	srv := httptest.NewServer(d.Handler())
	defer srv.Close()
	start := time.Now()
	code, _ := apiClient{t, srv.URL}.do("POST", "/api/v1/events", `{"event":"failover"}`)
	if code != http.StatusAccepted || time.Since(start) > time.Second {
		t.Fatalf("answer %d after %v; the target hangs, the API must not", code, time.Since(start))
	}
}

func TestDeadLetterOfDeletedWebhook(t *testing.T) {
	db, _ := openDB(t)
	rcv := newReceiver(t, status(404))
	d, _ := newTestDispatcher(t, db, nil)
	results, stop := d.Subscribe()
	defer stop()
	w, _, err := d.CreateWebhook(context.Background(), Webhook{Enabled: true, URL: rcv.URL})
	if err != nil {
		t.Fatal(err)
	}
	d.Start(context.Background())
	d.Dispatch("provider_up", nil)
	if res := nextResult(t, results); !res.Dead {
		t.Fatalf("result = %+v", res)
	}
	if err := d.DeleteWebhook(context.Background(), w.ID); err != nil {
		t.Fatal(err)
	}
	dead, _ := d.DeadLetters(context.Background())
	// The short form the list shows, lower-cased, names the letter.
	short := "#" + strings.ToLower(dead[0].ID[len(dead[0].ID)-6:])
	_, err = d.RetryDeadLetter(context.Background(), short)
	if err == nil || !strings.Contains(err.Error(), "was deleted") {
		t.Fatalf("retry of a deleted webhook's letter: %v", err)
	}
	if _, err := d.RetryDeadLetter(context.Background(), "zzzzzz"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("retry of an unknown id: %v", err)
	}
	if n, err := d.PurgeDeadLetters(context.Background(), strings.ToLower(dead[0].ID[:20])); n != 1 || err != nil {
		t.Errorf("purge by a lower-case prefix: %d, %v", n, err)
	}
	if n, _ := d.PurgeDeadLetters(context.Background()); n != 0 {
		t.Errorf("purged %d, want 1", n)
	}
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
