package notifypage

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/hooktap/hooktap/config"
	"github.com/hooktap/hooktap/notify"
	"github.com/hooktap/hooktap/tui/common"
	"github.com/hooktap/hooktap/tui/internal/tuitest"
)

// seedBudgetWarning is the catalogue's text for budget_warning with its example data.
const seedBudgetWarning = "⚠️ Budget Warning: daily budget at 85.0% ($8.50 / $10.00)"

// receiver stands in for Slack: it records every body it is sent.
type receiver struct {
	srv    *httptest.Server
	mu     sync.Mutex
	bodies []string
}

func newReceiver(t *testing.T) *receiver {
	r := &receiver{}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.bodies = append(r.bodies, string(body))
		r.mu.Unlock()
		_, _ = io.WriteString(w, "ok")
	}))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *receiver) received() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.bodies...)
}

// newPage returns the page over a real dispatcher on a real store, with hooks configured, sized
// width×height and its webhooks loaded.
func newPage(t *testing.T, width, height int, hooks ...config.Webhook) *Model {
	t.Helper()
	store := tuitest.OpenStore(t)
	d, err := notify.NewDispatcher(store, hooks)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(d.Close)
	m := New(tuitest.Common(width, height), d)
	m.SetSize(width, height)
	tuitest.Settle(update(m), m.Activate())
	return m
}

func host(m *Model) *tuitest.Hosted { return tuitest.Host(m, common.PageNotify, m.width, m.height) }

func update(m *Model) func(tea.Msg) tea.Cmd { return host(m).Update }

func press(m *Model, keys ...string) {
	for _, k := range keys {
		tuitest.Send(update(m), tuitest.Key(k))
	}
}

func view(m *Model) string { return tuitest.Plain(host(m).View(m.common)) }

func TestGoldenBudgetWarningSlack(t *testing.T) {
	for _, size := range []struct{ w, h int }{{80, 24}, {120, 40}} {
		t.Run(fmt.Sprintf("%dx%d", size.w, size.h), func(t *testing.T) {
			m := newPage(t, size.w, size.h, config.Webhook{ID: "ops", URL: "https://hooks.slack.com/services/T0/B0/x"})
			screen := view(m)
			// budget_warning and slack are the first entries: the page opens on the catalogue's example
			// (at 80 columns the preview wraps it after "($8.50").
			if !strings.Contains(screen, seedBudgetWarning[:strings.Index(seedBudgetWarning, " /")]) {
				t.Fatalf("the Slack preview lacks the catalogue's text:\n%s", screen)
			}
			tuitest.Golden(t, fmt.Sprintf("notify_slack_%dx%d", size.w, size.h), screen)
		})
	}
}

func TestSendsOnlyAfterConfirmation(t *testing.T) {
	rcv := newReceiver(t)
	m := newPage(t, 120, 40, config.Webhook{ID: "ops", URL: rcv.srv.URL + "/hook", Format: "slack",
		Events: []string{"budget_warning"}})
	press(m, "tab", "down", "down", "down") // the targets: slack, discord, generic, then ops
	if got := m.selectedTarget().label(); got != "ops (slack)" {
		t.Fatalf("selected target %q, want the ops webhook", got)
	}
	press(m, "ctrl+s")
	if host(m).Host.Overlay() == nil || !strings.Contains(view(m), "Send budget_warning to webhook ops") {
		t.Fatalf("ctrl+s must ask first:\n%s", view(m))
	}
	press(m, "n")
	if host(m).Host.Overlay() != nil || len(rcv.received()) != 0 {
		t.Fatalf("n must cancel without sending (overlay %v, %d sent)", host(m).Host.Overlay() != nil, len(rcv.received()))
	}
	press(m, "ctrl+s")
	if len(rcv.received()) != 0 {
		t.Fatal("sent before y")
	}
	press(m, "y")
	want, _ := notify.Body(notify.FormatSlack, notify.Build("budget_warning", nil, tuitest.Now))
	got := rcv.received()
	if len(got) != 1 || got[0] != string(want) {
		t.Fatalf("receiver got %q, want exactly the previewed body %s", got, want)
	}
	if !strings.Contains(got[0], seedBudgetWarning) {
		t.Fatalf("the sent body lacks the catalogue's text: %s", got[0])
	}
	if screen := view(m); !strings.Contains(screen, "budget_warning → ops: delivered, 200 after 1 attempt") {
		t.Fatalf("the answer is not on the page:\n%s", screen)
	}
}

func TestEditedDataChangesThePreview(t *testing.T) {
	m := newPage(t, 120, 40)
	press(m, "tab", "tab") // the data editor
	if !m.InputFocused() {
		t.Fatal("the data editor must take the keyboard")
	}
	tuitest.Send(update(m), tuitest.Type("spent=9.2")...)
	if screen := view(m); !strings.Contains(screen, "daily budget at 92.0% ($9.20 / $10.00)") {
		t.Fatalf("the preview does not follow the data:\n%s", screen)
	}
	press(m, "enter")
	tuitest.Send(update(m), tuitest.Type("oops")...)
	if screen := view(m); !strings.Contains(screen, `data line 2 "oops": write key=value`) {
		t.Fatalf("a bad data line must be explained:\n%s", screen)
	}
	press(m, "esc")
	if m.InputFocused() {
		t.Fatal("esc must leave the editor")
	}
}

func TestDiscordAndGenericPreviews(t *testing.T) {
	m := newPage(t, 120, 40)
	press(m, "tab", "down")
	if screen := view(m); !strings.Contains(screen, "Body · discord") || !strings.Contains(screen, `"color":16498468`) {
		t.Fatalf("the discord preview lacks its body or amber colour:\n%s", screen)
	}
	press(m, "down")
	if screen := view(m); !strings.Contains(screen, `"event":"budget_warning"`) {
		t.Fatalf("the generic body is not shown:\n%s", screen)
	}
}

func TestRefusesToSendWithoutAWebhook(t *testing.T) {
	tests := []struct {
		name string
		page func(t *testing.T) *Model
		want string
	}{
		{"a bare format", func(t *testing.T) *Model { return newPage(t, 80, 24) }, ErrFormatOnly.Error()},
		{"no dispatcher", func(t *testing.T) *Model {
			m := New(tuitest.Common(80, 24), nil)
			m.SetSize(80, 24)
			return m
		}, ErrNoDispatcher.Error()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := tt.page(t)
			_, cmd := m.Update(tuitest.Key("ctrl+s"))
			msgs := tuitest.Run(cmd)
			if host(m).Host.Overlay() != nil || len(msgs) != 1 || !strings.Contains(fmt.Sprint(msgs[0]), tt.want) {
				t.Fatalf("got %v, want the status %q and no confirmation", msgs, tt.want)
			}
		})
	}
}
