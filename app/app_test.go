package app

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/notify"
)

// prBody renders through prompt prPrompt as prText.
const (
	prBody   = `{"number":7,"pull_request":{"title":"Fix the parser","user":{"login":"ana"}}}`
	prPrompt = "PR #{number}: {pull_request.title} by {pull_request.user.login}"
	prText   = "PR #7: Fix the parser by ana"
)

// wantBody is the exact body a route of format delivers for prText; the timestamp is the one
// the receiver saw, checked separately.
func wantBody(format, route, ts string) string {
	switch format {
	case "slack":
		return fmt.Sprintf(`{"text":%q,"blocks":[{"type":"section","text":{"type":"mrkdwn","text":%q}}]}`, prText, prText)
	case "discord":
		return fmt.Sprintf(`{"content":%q,"embeds":[{"title":"pull_request","description":%q,"timestamp":%q,"color":%d}]}`,
			prText, prText, ts, notify.Color("pull_request"))
	}
	return fmt.Sprintf(`{"event":"pull_request","timestamp":%q,"data":{"text":%q,"route":%q}}`, ts, prText, route)
}

// bodyTimestamp finds the RFC 3339 timestamp in a Discord or generic body ("" for Slack).
func bodyTimestamp(t *testing.T, body string) string {
	t.Helper()
	var v struct {
		Timestamp string `json:"timestamp"`
		Embeds    []struct {
			Timestamp string `json:"timestamp"`
		} `json:"embeds"`
	}
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		t.Fatalf("body is not JSON: %v: %s", err, body)
	}
	ts := v.Timestamp
	if len(v.Embeds) > 0 {
		ts = v.Embeds[0].Timestamp
	}
	if ts == "" {
		return ""
	}
	at, err := time.Parse(time.RFC3339, ts)
	if err != nil || time.Since(at) > time.Minute || time.Until(at) > time.Minute {
		t.Errorf("timestamp %q is not RFC 3339 near now (%v)", ts, err)
	}
	return ts
}

func TestRoutesDeliverRenderedTemplate(t *testing.T) {
	type routeCase struct {
		name, format string
		only         bool
		rcv          *receiver
	}
	var cases []*routeCase
	var yaml strings.Builder
	for _, format := range []string{"slack", "discord", "generic"} {
		for _, only := range []bool{true, false} {
			rc := &routeCase{name: fmt.Sprintf("%s-%v", format, only), format: format, only: only, rcv: newReceiver(t)}
			cases = append(cases, rc)
			fmt.Fprintf(&yaml, "    %s:\n      prompt: %q\n      deliver: %s\n      deliver_extra: {url: %q}\n      deliver_only: %v\n",
				rc.name, prPrompt, format, rc.rcv.srv.URL+"/in", only)
		}
	}
	r := startApp(t, yaml.String())
	for _, rc := range cases {
		t.Run(rc.name, func(t *testing.T) {
			status, answer := r.post(rc.name, "pull_request", prBody, "")
			wantStatus := map[bool]int{true: http.StatusOK, false: http.StatusAccepted}[rc.only]
			if status != wantStatus {
				t.Fatalf("answer %d %s, want %d", status, answer, wantStatus)
			}
			id := captureID(t, answer)
			var got capture.Delivery
			eventually(t, "the delivery is recorded on the capture", func() bool {
				c, err := r.app.Store.Get(context.Background(), id)
				if err != nil || len(c.Deliveries) == 0 {
					return false
				}
				got = c.Deliveries[0]
				return true
			})
			if got.Target != rc.rcv.srv.URL+"/in" || got.Status != http.StatusOK || got.Error != "" {
				t.Errorf("delivery recorded as %+v, want 200 to %s", got, rc.rcv.srv.URL+"/in")
			}
			bodies := rc.rcv.received()
			if len(bodies) != 1 {
				t.Fatalf("receiver got %d bodies, want 1: %q", len(bodies), bodies)
			}
			if want := wantBody(rc.format, rc.name, bodyTimestamp(t, bodies[0])); bodies[0] != want {
				t.Errorf("body\n got %s\nwant %s", bodies[0], want)
			}
			if ct := rc.rcv.heads[0].Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type %q, want application/json", ct)
			}
		})
	}
}

func TestBadSignatureNotifies(t *testing.T) {
	r := startApp(t, "    gh:\n      verify: github\n")
	status, answer := r.post("gh", "push", `{"ref":"main"}`, "sha256="+strings.Repeat("0", 64))
	if status != http.StatusUnauthorized {
		t.Fatalf("answer %d %s, want 401", status, answer)
	}
	r.waitEvent("signature_failed", map[string]any{"route": "gh", "scheme": "github", "reason": "mismatch"})
	if status, _ := r.post("gh", "push", `{"ref":"main"}`, ""); status != http.StatusAccepted {
		t.Fatalf("a good signature answered %d", status)
	}
	time.Sleep(300 * time.Millisecond) // a wrong second event would be queued by now
	if n := r.countEvents("signature_failed"); n != 1 {
		t.Errorf("%d signature_failed events, want 1 (the good request must not notify)", n)
	}
}

func TestFailoverAndTargetHealth(t *testing.T) {
	primary, backup := newReceiver(t), newReceiver(t)
	primary.status.Store(http.StatusInternalServerError)
	pURL, bURL := primary.srv.URL+"/hook", backup.srv.URL+"/hook"
	r := startApp(t, fmt.Sprintf("    fwd:\n      deliver: forward\n      deliver_only: true\n      deliver_extra: {url: %q, backup_url: %q}\n", pURL, bURL))
	send := func(n int) {
		t.Helper()
		for i := range n {
			if status, answer := r.post("fwd", "push", fmt.Sprintf(`{"seq":%d}`, i), ""); status != http.StatusOK {
				t.Fatalf("request %d answered %d %s, want 200 (delivered)", i, status, answer)
			}
		}
	}
	send(1)
	r.waitEvent("failover", map[string]any{"route": "fwd",
		"from_provider": pURL, "to_provider": bURL, "reason": "answered 500"})
	if got := len(backup.received()); got != 1 {
		t.Fatalf("backup received %d requests, want 1", got)
	}
	send(3) // four failures: not yet down (at least five attempts are needed)
	eventually(t, "four failover events", func() bool { return r.countEvents("failover") == 4 })
	if n := r.countEvents("target_down"); n != 0 {
		t.Fatalf("target_down after 4 attempts (%d events), want none before 5", n)
	}
	send(1)
	r.waitEvent("target_down", map[string]any{"route": "fwd", "target": pURL, "error": "answered 500"})

	primary.status.Store(http.StatusOK)
	send(11) // 11 of 16 = 69% < 70%: still down
	time.Sleep(300 * time.Millisecond)
	if n := r.countEvents("target_up"); n != 0 {
		t.Fatalf("target_up at 11/16 successes (%d events), want none below 70%%", n)
	}
	send(1) // 12 of 17 = 71%
	r.waitEvent("target_up", map[string]any{"route": "fwd", "target": pURL})
	if down, over := r.countEvents("target_down"), r.countEvents("failover"); down != 1 || over != 5 {
		t.Errorf("%d target_down and %d failover events, want 1 and 5", down, over)
	}
}

func TestEventsAPIQueuesForWebhooks(t *testing.T) {
	r := startApp(t, "    gh:\n      verify: github\n")
	status, answer := postJSON(t, "http://"+r.app.AdminAddr()+"/api/v1/events",
		`{"event":"target_up","data":{"route":"billing","target":"http://127.0.0.1:9/x"}}`)
	if status != http.StatusAccepted {
		t.Fatalf("POST /api/v1/events answered %d %s, want 202", status, answer)
	}
	r.waitEvent("target_up", map[string]any{"route": "billing", "target": "http://127.0.0.1:9/x"})
	status, answer = postJSON(t, "http://"+r.app.AdminAddr()+"/api/v1/events", `{"data":{}}`)
	if status != http.StatusBadRequest {
		t.Errorf("an event without a type answered %d %s, want 400", status, answer)
	}
}

// TestDailySummaryThroughAdapter feeds the gateway's summary data (per-route gateway.RouteStats)
// through the app's notifier: notify must read the counts, not see zero requests.
func TestDailySummaryThroughAdapter(t *testing.T) {
	r := startApp(t, "    gh:\n      verify: github\n")
	notifier{r.app.Notify}.Emit("daily_summary", map[string]any{"date": "2026-03-04", "requests": 5,
		"routes": map[string]any{
			"gh":     map[string]any{"requests": 3, "verified": 2, "failed": 1},
			"stripe": map[string]any{"requests": 2, "verified": 2, "deliveries": 2},
		}})
	m := r.waitEvent("daily_summary", map[string]any{"date": "2026-03-04", "total_requests": 5,
		"verified": 4, "failed": 1, "deliveries": 2})
	routes, _ := m.Data["routes"].(map[string]any)
	gh, _ := routes["gh"].(map[string]any)
	if fmt.Sprint(gh["requests"]) != "3" {
		t.Errorf("routes.gh = %v, want its counts as an object", routes["gh"])
	}
}
