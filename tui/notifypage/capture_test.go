package notifypage

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/config"
	"github.com/hooktap/hooktap/notify"
	"github.com/hooktap/hooktap/tui/internal/tuitest"
)

// prPrompt is the github-pr route's template; the fixture's pull request renders as prText.
const (
	prPrompt = "PR #{number}: {pull_request.title} by {pull_request.user.login}"
	prText   = "PR #42: Fix the flux capacitor by octocat"
)

// capturePage is the page with the given routes and the inspector's selection *selected.
func capturePage(t *testing.T, width, height int, routes []config.Route, selected **capture.Capture,
	hooks ...config.Webhook) *Model {
	t.Helper()
	m := newPage(t, width, height, hooks...)
	m.common.Routes = func() []config.Route { return routes }
	WithCaptures(func() *capture.Capture { return *selected })(m)
	return m
}

func githubPR() *capture.Capture { return tuitest.Fixtures()[2] }

var prRoutes = []config.Route{{Name: "stripe"}, {Name: "github-pr", Prompt: prPrompt, Deliver: "slack"}}

func TestGoldenCaptureSlack(t *testing.T) {
	sel := githubPR()
	m := capturePage(t, 120, 40, prRoutes, &sel)
	press(m, "c")
	screen := view(m)
	if !strings.Contains(screen, prText) {
		t.Fatalf("the Slack preview lacks the rendered template:\n%s", screen)
	}
	tuitest.Golden(t, "notify_capture_120x40", screen)
}

func TestCaptureMessageInEachFormat(t *testing.T) {
	sel := githubPR()
	m := capturePage(t, 120, 40, prRoutes, &sel)
	press(m, "c")
	want := notify.Message{Event: "pull_request", Text: prText, Timestamp: tuitest.Now,
		Data: map[string]any{"text": prText, "route": "github-pr"}}
	got, err := m.message()
	if err != nil || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("message %+v (%v), want %+v", got, err, want)
	}
	press(m, "tab") // the targets: slack, discord, generic
	for _, tc := range []struct{ format, fragment string }{
		{notify.FormatSlack, `"type":"mrkdwn","text":"` + prText},
		{notify.FormatDiscord, `"title":"pull_request","description":"` + prText},
		{notify.FormatGeneric, `"data":{"text":"` + prText + `","route":"github-pr"}`},
	} {
		if f := m.selectedTarget().format; f != tc.format {
			t.Fatalf("target %s, want %s", f, tc.format)
		}
		body, _ := notify.Body(tc.format, got)
		if !strings.Contains(string(body), tc.fragment) {
			t.Errorf("%s body %s lacks %s", tc.format, body, tc.fragment)
		}
		screen := view(m)
		if !strings.Contains(screen, "Body · "+tc.format) || !strings.Contains(screen, "capture #"+sel.ID[len(sel.ID)-6:]) {
			t.Errorf("%s: the page does not show the capture's body:\n%s", tc.format, screen)
		}
		press(m, "down")
	}
}

func TestCaptureSourceToggles(t *testing.T) {
	sel := githubPR()
	m := capturePage(t, 120, 40, prRoutes, &sel)
	press(m, "c")
	if m.capture == nil || !strings.Contains(view(m), "Captured request") {
		t.Fatalf("c must take the selected capture:\n%s", view(m))
	}
	press(m, "tab", "tab")
	if m.focus != fieldEvent || m.InputFocused() {
		t.Errorf("focus %v: the data editor must be skipped while a capture is the source", m.focus)
	}
	press(m, "down", "c")
	if m.capture != nil || !strings.Contains(view(m), seedBudgetWarning) {
		t.Fatalf("c again must return to the catalogue at budget_warning:\n%s", view(m))
	}
}

func TestActivateFollowsTheSelection(t *testing.T) {
	sel := githubPR()
	m := capturePage(t, 120, 40, prRoutes, &sel)
	press(m, "c")
	sel = tuitest.Fixtures()[1] // the stripe event: its route has no template
	tuitest.Settle(update(m), m.Activate())
	got, _ := m.message()
	if got.Event != "payment_intent.succeeded" || !strings.Contains(got.Text, `"amount": 2000`) {
		t.Errorf("after Activate the message is %+v, want the stripe capture's whole payload", got)
	}
	sel = nil
	tuitest.Settle(update(m), m.Activate())
	if m.capture == nil || m.capture.c.Route != "stripe" {
		t.Error("with nothing selected the page must keep the last capture")
	}
}

func TestCaptureRendering(t *testing.T) {
	form := tuitest.Fixtures()[0]
	tests := []struct {
		name   string
		c      *capture.Capture
		routes []config.Route
		text   string
		line   string
	}{
		{"template", githubPR(), prRoutes, prText, "template " + prPrompt},
		{"form fields", form, []config.Route{{Name: "inspect", Prompt: "from {name}"}}, "from hook tap", "event    — (none found)"},
		{"route gone", githubPR(), nil, `"title": "Fix the flux capacitor"`, `route "github-pr" is not configured now`},
		{"no template", githubPR(), []config.Route{{Name: "github-pr"}}, `"number": 42`, "template none: the whole payload as JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := renderCapture(tt.c, tt.routes, tuitest.Now)
			if !strings.Contains(r.message.Text, tt.text) || r.message.Data["text"] != r.message.Text {
				t.Errorf("text %q, want it to contain %q (and data.text the same)", r.message.Text, tt.text)
			}
			if lines := strings.Join(r.lines(), "\n"); !strings.Contains(lines, tt.line) {
				t.Errorf("description lacks %q:\n%s", tt.line, lines)
			}
		})
	}
}

func TestCaptureKeyErrors(t *testing.T) {
	var none *capture.Capture
	withSource := capturePage(t, 80, 24, prRoutes, &none)
	without := newPage(t, 80, 24)
	for _, tc := range []struct {
		m    *Model
		want error
	}{{withSource, ErrNoCapture}, {without, ErrNoCaptureSource}} {
		_, cmd := tc.m.Update(tuitest.Key("c"))
		msgs := tuitest.Run(cmd)
		if tc.m.capture != nil || len(msgs) != 1 || !strings.Contains(fmt.Sprint(msgs[0]), tc.want.Error()) {
			t.Errorf("got %v, want the status %q", msgs, tc.want)
		}
	}
}

func TestSendsTheCapturedMessage(t *testing.T) {
	rcv := newReceiver(t)
	sel := githubPR()
	m := capturePage(t, 120, 40, prRoutes, &sel, config.Webhook{ID: "ops", URL: rcv.srv.URL + "/hook"})
	press(m, "c", "tab", "down", "down", "down", "ctrl+s", "y")
	want := fmt.Sprintf(`{"event":"pull_request","timestamp":"2026-03-04T10:32:00Z","data":{"text":%q,"route":"github-pr"}}`, prText)
	if got := rcv.received(); len(got) != 1 || got[0] != want {
		t.Fatalf("ops received %q, want the route's generic message %s", got, want)
	}
}
