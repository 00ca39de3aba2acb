package notifypage

import (
	"context"
	"errors"
	"fmt"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/hooktap/hooktap/notify"
	"github.com/hooktap/hooktap/tui/common"
	"github.com/hooktap/hooktap/tui/overlay"
)

// sendTimeout bounds one send, retries included.
const sendTimeout = 2 * time.Minute

// ErrNoDispatcher explains why nothing is sent.
var ErrNoDispatcher = errors.New("sending is not available: notify is not running in this session")

// ErrFormatOnly explains that a bare format previews but has nowhere to go.
var ErrFormatOnly = errors.New("a format only previews: pick a configured webhook to send")

type webhooksMsg struct {
	webhooks []notify.Webhook
	err      error
}

type sentMsg struct{ result sendResult }

// sendResult is one real send: where, and the answer.
type sendResult struct {
	event   string
	webhook string
	res     notify.Result
	err     error
}

func (r sendResult) summary() string {
	head := fmt.Sprintf("%s → %s", r.event, r.webhook)
	tries := fmt.Sprintf("%d attempt", len(r.res.Attempts))
	if len(r.res.Attempts) != 1 {
		tries += "s"
	}
	switch {
	case r.res.Delivered:
		return fmt.Sprintf("%s: delivered, %d after %s", head, r.res.Status, tries)
	case r.err != nil && len(r.res.Attempts) == 0:
		return head + ": " + r.err.Error()
	default:
		return fmt.Sprintf("%s: not delivered (%d %s) after %s", head, r.res.Status, r.res.Error, tries)
	}
}

func (m *Model) loadWebhooks() tea.Cmd {
	d := m.dispatcher
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		hooks, err := d.Webhooks(ctx)
		return webhooksMsg{webhooks: hooks, err: err}
	}
}

// confirmSend asks before anything leaves the machine; y sends.
func (m *Model) confirmSend() tea.Cmd {
	t := m.selectedTarget()
	switch {
	case m.dispatcher == nil:
		return common.Error(ErrNoDispatcher)
	case t.webhook == nil:
		return common.Error(ErrFormatOnly)
	case m.sending:
		return common.Status("A send is still running.")
	}
	msg, err := m.message()
	if err != nil {
		return common.Error(err)
	}
	w := *t.webhook
	body, _ := notify.FitBody(w.ResolvedFormat(), msg)
	question := fmt.Sprintf("Send %s to webhook %s (%s, %s)? This posts, for real:\n\n%s",
		msg.Event, w.ID, w.ResolvedFormat(), w.Masked().URL, ansi.Hardwrap(string(body), max(m.width-6, 20), false))
	return common.OpenOverlay(overlay.NewConfirm(m.common, "Send for real", question, func() tea.Cmd {
		return m.send(w, msg)
	}))
}

// send delivers in a Cmd; the answer comes back as sentMsg.
func (m *Model) send(w notify.Webhook, msg notify.Message) tea.Cmd {
	m.sending = true
	d := m.dispatcher
	return tea.Sequence(common.Status(fmt.Sprintf("Sending %s to %s…", msg.Event, w.ID)), func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), sendTimeout)
		defer cancel()
		res, err := d.SendNow(ctx, w, msg)
		return sentMsg{result: sendResult{event: msg.Event, webhook: w.ID, res: res, err: err}}
	})
}
