package craft

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/hooktap/hooktap/config"
	"github.com/hooktap/hooktap/replay"
	"github.com/hooktap/hooktap/tui/common"
	"github.com/hooktap/hooktap/tui/internal/tuitest"
)

type receiver struct {
	srv   *httptest.Server
	count atomic.Int32
	last  atomic.Value
}

func newReceiver(t *testing.T, status int) *receiver {
	r := &receiver{}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.last.Store(req.Header.Get("X-GitHub-Event") + " " + string(body))
		r.count.Add(1)
		w.WriteHeader(status)
	}))
	t.Cleanup(r.srv.Close)
	return r
}

func newPage(t *testing.T, to string) *Model {
	store := tuitest.OpenStore(t)
	cfg := config.Default()
	rp := replay.NewReplayer(store, &cfg, "http://127.0.0.1:1", nil)
	m := New(tuitest.Common(100, 30), &cfg, rp, "127.0.0.1:1")
	m.SetSize(100, 27)
	m.customURL = to
	return m
}

func update(m *Model) func(tea.Msg) tea.Cmd {
	return func(msg tea.Msg) tea.Cmd { _, cmd := m.Update(msg); return cmd }
}

func TestSendsTheChosenEventToTheURL(t *testing.T) {
	rcv := newReceiver(t, http.StatusAccepted)
	m := newPage(t, rcv.srv.URL)
	// github is the first provider; pick its second event, then send.
	tuitest.Send(update(m), tuitest.Key("tab"), tuitest.Key("j"), tuitest.Key("ctrl+s"))
	if rcv.count.Load() != 1 {
		t.Fatalf("receiver got %d requests, want 1", rcv.count.Load())
	}
	_, event := m.selected()
	if got := rcv.last.Load().(string); !strings.HasPrefix(got, event+" {") {
		t.Fatalf("receiver got %q, want the %s fixture", got, event)
	}
	if len(m.results) != 1 || m.results[0].answers[0].status != http.StatusAccepted {
		t.Fatalf("results %+v, want one 202", m.results)
	}
	if !strings.Contains(tuitest.Plain(m.View()), "signed github "+event) {
		t.Fatalf("the answer is not on the page:\n%s", tuitest.Plain(m.View()))
	}
}

func TestNegativeVariantsAreOneKeyAway(t *testing.T) {
	tests := []struct {
		key  string
		want int32
	}{
		{"ctrl+t", 1}, {"ctrl+o", 1}, {"ctrl+g", 1}, {"ctrl+y", 2}, {"ctrl+b", 50},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			rcv := newReceiver(t, http.StatusOK)
			m := newPage(t, rcv.srv.URL)
			tuitest.SendPatiently(update(m), tuitest.Key(tt.key))
			if got := rcv.count.Load(); got != tt.want {
				t.Fatalf("%s sent %d requests, want %d", tt.key, got, tt.want)
			}
			if len(m.results) != 1 || m.results[0].err != nil {
				t.Fatalf("results %+v", m.results)
			}
		})
	}
}

func TestWithoutReplayerSaysSo(t *testing.T) {
	cfg := config.Default()
	m := New(tuitest.Common(100, 30), &cfg, nil, "127.0.0.1:1")
	m.SetSize(100, 27)
	_, cmd := m.Update(tuitest.Key("ctrl+s"))
	msgs := tuitest.Run(cmd)
	if len(msgs) != 1 || !strings.Contains(tuitest.Plain(m.View()), "sending is not available") {
		t.Fatalf("msgs %#v; the page must say why nothing is sent", msgs)
	}
}

// TestAuditsTheTarget presses a on a URL target, answers the secret prompt, and gets the
// scorecard of a careless endpoint on the page.
func TestAuditsTheTarget(t *testing.T) {
	rcv := newReceiver(t, http.StatusOK) // accepts everything
	m := newPage(t, rcv.srv.URL)
	h := tuitest.Host(m, common.PageCraft, 100, 27)
	tuitest.Send(h.Update, tuitest.Key("a"))
	tuitest.Send(h.Update, tuitest.Type("s3cret")...)
	tuitest.SendPatiently(h.Update, tuitest.Key("enter"))
	if m.scorecard == nil {
		t.Fatalf("no scorecard after the audit; receiver saw %d requests", rcv.count.Load())
	}
	if m.scorecard.Passed || rcv.count.Load() < 20 {
		t.Fatalf("an accept-everything endpoint passed (%d requests)", rcv.count.Load())
	}
	view := tuitest.Plain(m.View())
	for _, want := range []string{"Audit of " + rcv.srv.URL, "✗ a body changed after signing is rejected", "fix:"} {
		if !strings.Contains(view, want) {
			t.Errorf("the page lacks %q:\n%s", want, view)
		}
	}
}
