package actions

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/config"
	"github.com/hooktap/hooktap/replay"
	"github.com/hooktap/hooktap/tui/common"
	"github.com/hooktap/hooktap/tui/internal/tuitest"
)

func setup(t *testing.T, withReplayer bool) (*Runner, *capture.SQLite) {
	t.Helper()
	store := tuitest.OpenStore(t)
	tuitest.Save(t, store, tuitest.Fixtures()...)
	var rp replay.ReplayFunc
	if withReplayer {
		cfg := config.Default()
		rp = replay.NewReplayer(store, &cfg, "http://127.0.0.1:1", nil).Replay
	}
	return New(tuitest.Common(80, 24), store, rp, "http://127.0.0.1:8644", t.TempDir()), store
}

func get(t *testing.T, s *capture.SQLite, id string) *capture.Capture {
	t.Helper()
	c, err := s.Get(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func statuses(msgs []tea.Msg) []common.StatusMsg {
	var out []common.StatusMsg
	for _, m := range msgs {
		if s, ok := m.(common.StatusMsg); ok {
			out = append(out, s)
		}
	}
	return out
}

func TestReplayToURLSendsTheBodyAndReportsTheAnswer(t *testing.T) {
	got := make(chan []byte, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		got <- body
		w.WriteHeader(http.StatusAccepted)
	}))
	defer srv.Close()
	runner, store := setup(t, true)
	orig := get(t, store, tuitest.ID(3))
	all := tuitest.Run(runner.Replay(orig, replay.ReplayOptions{To: srv.URL}, "replay"))
	body := <-got
	if string(body) != string(orig.Body) {
		t.Fatalf("replayed body %q, want the original bytes", body)
	}
	st := statuses(all)
	if len(st) == 0 || !strings.Contains(st[len(st)-1].Text, "answered 202") {
		t.Fatalf("statuses %+v; want the answer 202", st)
	}
	page, err := store.List(context.Background(), capture.Filter{Source: capture.SourceReplay})
	if err != nil || len(page.Captures) != 1 || page.Captures[0].ReplayOf != orig.ID {
		t.Fatalf("replay capture %+v, %v; want one linked to the original", page.Captures, err)
	}
}

func TestWithoutReplayerEveryReplayKeyExplains(t *testing.T) {
	runner, store := setup(t, false)
	c := get(t, store, tuitest.ID(3))
	for _, k := range []string{"r", "R", "e", "t"} {
		cmd, ok := runner.Handle(tuitest.Key(k), c)
		if !ok {
			t.Fatalf("%s is not an action key", k)
		}
		st := statuses(tuitest.Run(cmd))
		if len(st) != 1 || !st[0].Err || !strings.Contains(st[0].Text, "replay is not available") {
			t.Fatalf("%s: statuses %+v; want the missing-replayer error", k, st)
		}
	}
	if cmd, _ := runner.Handle(tuitest.Key("r"), nil); !strings.Contains(statuses(tuitest.Run(cmd))[0].Text, "No capture selected") {
		t.Fatal("an action without a selection must say so")
	}
}

// Copying says what happened: copied by a clipboard tool, sent to a terminal known to take
// OSC 52, or (neither) sent anyway and shown to select; never "Copied" when nothing was.
func TestCopyCurlSaysWhatHappened(t *testing.T) {
	var native string
	tests := []struct {
		name         string
		clip         common.Clipboard
		want         string
		osc52, shown bool
	}{
		{"tool", common.Clipboard{Native: func(s string) error { native = s; return nil }}, "Copied the curl command", false, false},
		{"osc52", common.Clipboard{Native: func(string) error { return errors.New("no display") }, OSC52: true}, "through the terminal (OSC 52)", true, false},
		{"neither", common.Clipboard{}, "may not take clipboard writes", true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			runner, store := setup(t, false)
			runner.common.Clipboard = tt.clip
			cmd, _ := runner.Handle(tuitest.Key("c"), get(t, store, tuitest.ID(3)))
			msgs := tuitest.Run(cmd)
			st := statuses(msgs)
			if len(st) != 1 || !strings.Contains(st[0].Text, tt.want) {
				t.Fatalf("statuses %+v, want %q", st, tt.want)
			}
			if tt.want != "Copied the curl command" && strings.HasPrefix(st[0].Text, "Copied the curl command (") && tt.shown {
				t.Fatal("said copied when nothing was")
			}
			if tuitest.HasClipboard(msgs) != tt.osc52 {
				t.Fatalf("OSC 52 sent: %v, want %v", !tt.osc52, tt.osc52)
			}
			shown := false
			for _, m := range msgs {
				if s, ok := m.(common.ShowToSelectMsg); ok && strings.Contains(s.Text, "curl") {
					shown = true
				}
			}
			if shown != tt.shown {
				t.Fatalf("text shown to select: %v, want %v", shown, tt.shown)
			}
		})
	}
	if !strings.Contains(native, "curl") {
		t.Fatalf("the clipboard tool got %q", native)
	}
	env := []string{"TERM=xterm-kitty"}
	if !common.DetectClipboard(env, nil).OSC52 || common.DetectClipboard(append(env, "TMUX=/tmp/x"), nil).OSC52 {
		t.Fatal("kitty takes OSC 52; inside tmux it depends on tmux")
	}
	if common.DetectClipboard([]string{"SSH_TTY=/dev/pts/1"}, func(string) error { return nil }).Native != nil {
		t.Fatal("over SSH this machine's clipboard is not the user's")
	}
}

func TestExportFormats(t *testing.T) {
	runner, store := setup(t, false)
	c := get(t, store, tuitest.ID(3))
	dir := t.TempDir()
	for _, name := range []string{"c.json", "c.har", "c.http", "c.sh"} {
		path := filepath.Join(dir, name)
		st := statuses(tuitest.Run(runner.Export(c, path)))
		if len(st) != 1 || st[0].Err {
			t.Fatalf("%s: %+v", name, st)
		}
		data, err := os.ReadFile(path)
		if err != nil || len(data) == 0 {
			t.Fatalf("%s: %v", name, err)
		}
		if strings.HasSuffix(name, ".json") || strings.HasSuffix(name, ".har") {
			if !json.Valid(data) {
				t.Fatalf("%s is not JSON", name)
			}
		}
	}
	st := statuses(tuitest.Run(runner.Export(c, filepath.Join(dir, "c.pdf"))))
	if len(st) != 1 || !st[0].Err || !strings.Contains(st[0].Text, ".json") {
		t.Fatalf("an unknown extension must be refused with the known ones; got %+v", st)
	}
}

func TestDiffWithPreviousCaptureOfTheRoute(t *testing.T) {
	runner, store := setup(t, false)
	newer := *tuitest.Fixtures()[1]
	newer.ID, newer.Body = tuitest.ID(9), []byte(`{"id":"evt_2","type":"payment_intent.succeeded","data":{"object":{"amount":2500}}}`)
	tuitest.Save(t, store, &newer)
	msgs := tuitest.Run(runner.Diff(get(t, store, tuitest.ID(9))))
	if len(msgs) != 1 {
		t.Fatalf("got %#v", msgs)
	}
	open, ok := msgs[0].(common.OpenOverlayMsg)
	if !ok {
		t.Fatalf("got %#v, want an overlay with the diff", msgs[0])
	}
	open.Overlay.SetSize(80, 20)
	view := tuitest.Plain(open.Overlay.View())
	for _, want := range []string{`-      "amount": 2000`, `+      "amount": 2500`} {
		if !strings.Contains(view, want) {
			t.Fatalf("diff lacks %q:\n%s", want, view)
		}
	}
	first := tuitest.Run(runner.Diff(get(t, store, tuitest.ID(2))))
	if st := statuses(first); len(st) != 1 || !strings.Contains(st[0].Text, "No earlier capture") {
		t.Fatalf("the first capture of a route has nothing to diff with; got %#v", first)
	}
}
