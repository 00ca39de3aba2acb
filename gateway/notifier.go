package gateway

import (
	"context"
	"errors"
)

// Message is a rendered route message handed to notify/ for slack, discord or generic delivery.
type Message struct {
	Event string
	Route string
	Text  string
}

// Notifier is how the gateway reaches notify/ without depending on its internals: rendered route
// messages delivered synchronously, and the gateway's own events (signature_failed,
// target_down, daily_summary, …) queued.
type Notifier interface {
	// Deliver sends m in format (slack | discord | generic) to url and returns the target's status.
	Deliver(ctx context.Context, format, url string, m Message) (status int, err error)
	// Emit queues one of the gateway's events; it never blocks.
	Emit(event string, data map[string]any)
}

// errNoNotifier is what slack/discord/generic routes report when the gateway runs without notify/.
var errNoNotifier = errors.New("no notifier configured for slack/discord/generic delivery")

type noNotifier struct{}

func (noNotifier) Deliver(context.Context, string, string, Message) (int, error) {
	return 0, errNoNotifier
}

func (noNotifier) Emit(string, map[string]any) {}
