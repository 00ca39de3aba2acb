// Package actions runs what the inspector's action keys ask for on the selected capture:
// replay (plain, re-signed, edited, to a URL), copy as curl, export and diff. Every piece of
// I/O runs in a tea.Cmd and reports through the status line; replays land as new captures.
package actions

import (
	"context"
	"errors"
	"fmt"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/replay"
	"github.com/hooktap/hooktap/tui/common"
	"github.com/hooktap/hooktap/tui/overlay"
)

// replayTimeout bounds one replay; the replayer's client has its own per-request timeout.
const replayTimeout = 45 * time.Second

// ErrNoReplayer explains why the replay keys do nothing.
var ErrNoReplayer = errors.New("replay is not available: no replayer is running (start hooktap with its gateway)")

// Runner runs actions. A nil replay func disables the replay actions with a clear status line.
type Runner struct {
	common    *common.Common
	store     capture.Reader
	replay    replay.ReplayFunc
	baseURL   string
	exportDir string
	jobs      int
}

// New returns a Runner. rf replays (a local replayer's, or a remote hooktap's; nil disables the
// replay keys); baseURL is the gateway's URL (used by curl exports); exportDir is where exports
// are written by default.
func New(c *common.Common, store capture.Reader, rf replay.ReplayFunc, baseURL, exportDir string) *Runner {
	return &Runner{common: c, store: store, replay: rf, baseURL: baseURL, exportDir: exportDir}
}

// Handle returns the Cmd for an action key on sel (loaded with its body) and whether msg was
// an action key at all.
func (r *Runner) Handle(msg tea.KeyPressMsg, sel *capture.Capture) (tea.Cmd, bool) {
	k := r.common.Keys
	actions := []struct {
		binding key.Binding
		run     func(*capture.Capture) tea.Cmd
	}{
		{k.Replay, func(c *capture.Capture) tea.Cmd { return r.Replay(c, replay.ReplayOptions{}, "replay") }},
		{k.ReplayResign, func(c *capture.Capture) tea.Cmd {
			return r.Replay(c, replay.ReplayOptions{Resign: true}, "re-signed replay")
		}},
		{k.EditReplay, r.edit},
		{k.ReplayTo, r.replayTo},
		{k.CopyCurl, r.CopyCurl},
		{k.Export, r.export},
		{k.Diff, r.Diff},
	}
	for _, a := range actions {
		if !key.Matches(msg, a.binding) {
			continue
		}
		if sel == nil {
			return common.Status("No capture selected (or it is still loading)."), true
		}
		return a.run(sel), true
	}
	return nil, false
}

// Replay sends c again with o and reports the answer; the new capture reaches the list
// through the store's subscription like any other.
func (r *Runner) Replay(c *capture.Capture, o replay.ReplayOptions, label string) tea.Cmd {
	if r.replay == nil {
		return common.Error(ErrNoReplayer)
	}
	r.jobs++
	job, replayFn, id := r.jobs, r.replay, c.ID
	start := common.Busy(fmt.Sprintf("[%d] %s of #%s…", job, label, common.ShortID(id)))
	run := func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), replayTimeout)
		defer cancel()
		got, err := replayFn(ctx, id, o)
		return replayResult(job, label, id, got, err)
	}
	return tea.Sequence(start, run)
}

func replayResult(job int, label, id string, got *capture.Capture, err error) common.StatusMsg {
	prefix := fmt.Sprintf("[%d] %s of #%s", job, label, common.ShortID(id))
	switch {
	case err != nil && got != nil:
		return common.StatusMsg{Text: fmt.Sprintf("%s failed: %v (captured as #%s)", prefix, err, common.ShortID(got.ID)), Err: true}
	case err != nil:
		return common.StatusMsg{Text: fmt.Sprintf("%s failed: %v", prefix, err), Err: true}
	}
	if got.ReplayOf != "" && got.ReplayOf != id {
		// A replay of a replay replays the original; say which one went out.
		prefix = fmt.Sprintf("[%d] %s of #%s (the original of #%s)", job, label, common.ShortID(got.ReplayOf), common.ShortID(id))
	}
	answer, ok := replay.Answer(got)
	return common.StatusMsg{Text: fmt.Sprintf("%s → %s %s (new capture #%s)", prefix, answer,
		common.VerdictSymbol(got.Verification.Result), common.ShortID(got.ID)), Err: !ok}
}

func (r *Runner) edit(c *capture.Capture) tea.Cmd {
	if r.replay == nil {
		return common.Error(ErrNoReplayer)
	}
	if c.Truncated {
		return common.Error(fmt.Errorf("capture #%s was cut at %d bytes when received; editing it would send a different body", common.ShortID(c.ID), len(c.Body)))
	}
	save := func(text string) tea.Cmd {
		return r.Replay(c, replay.ReplayOptions{Body: []byte(text)}, "edited replay")
	}
	title := fmt.Sprintf("Edit body of #%s — ctrl+s re-signs and sends, esc discards", common.ShortID(c.ID))
	return common.OpenOverlay(overlay.NewEditor(r.common, title, string(c.Body), save))
}

func (r *Runner) replayTo(c *capture.Capture) tea.Cmd {
	if r.replay == nil {
		return common.Error(ErrNoReplayer)
	}
	send := func(url string) tea.Cmd {
		return r.Replay(c, replay.ReplayOptions{To: url}, "replay to "+url)
	}
	return common.OpenOverlay(overlay.NewPrompt(r.common, "Replay to a URL",
		"The exact bytes and headers are sent to this URL; the answer is captured.", "http://127.0.0.1:3000/", send))
}
