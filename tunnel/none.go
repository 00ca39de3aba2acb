package tunnel

import (
	"context"
	"net"
)

// HintLocalOnly tells a user without a token how to expose the gateway.
const HintLocalOnly = "local only — set NGROK_AUTHTOKEN to expose"

// none is the local-only tunnel: nothing leaves the machine.
type none struct{ box *statusBox }

// NewNone returns the local-only tunnel; its status is always "off".
func NewNone() Tunnel {
	return &none{box: newStatusBox(Status{State: StateOff, Hint: HintLocalOnly}, nil)}
}

// Start has nothing to listen on: no connection ever arrives from outside.
func (n *none) Start(context.Context) (net.Listener, error) { return nil, nil }
func (n *none) URL() string                                 { return "" }
func (n *none) Status() Status                              { return n.box.get() }
func (n *none) Subscribe(ctx context.Context) <-chan Status {
	return n.box.subscribe(ctx)
}
func (n *none) Close() error { return nil }
