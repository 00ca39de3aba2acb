// Package tunnel puts the public gateway on the internet through an embedded ngrok agent, or
// keeps hooktap local-only, and reports the tunnel's state as it changes. It hands the gateway a
// listener; it never serves HTTP itself and knows nothing of captures.
package tunnel

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"strings"
	"time"

	"github.com/hooktap/hooktap/config"
)

// State is where a tunnel is in its life.
type State string

// The states a tunnel reports.
const (
	StateOff          State = "off"
	StateConnecting   State = "connecting"
	StateOnline       State = "online"
	StateReconnecting State = "reconnecting"
	StateError        State = "error"
)

// Status is a snapshot of a tunnel: its state, public URL, last error and what to do about it.
type Status struct {
	State State
	URL   string
	Err   string
	Hint  string
	At    time.Time
}

// Tunnel carries connections from the internet to hooktap; it only moves bytes. The caller
// serves what Start returns (the gateway does, with its own timeouts, limits and graceful
// shutdown), so nothing else is ever reachable through it. Implementations never block the caller
// on the network.
type Tunnel interface {
	// Start connects in the background and returns at once with the listener the tunnel's
	// connections arrive on, across reconnects, until Close; nil when nothing can arrive (local
	// only). Every connection it returns is marked (MarkConn).
	Start(ctx context.Context) (net.Listener, error)
	// URL is the public URL, "" until the tunnel is online.
	URL() string
	// Status is the current state.
	Status() Status
	// Subscribe returns a channel that holds the current status at once and then each change,
	// until ctx ends (then it is closed). Every subscriber gets its own channel; one that reads
	// slowly sees only the latest status, and never holds up the tunnel or other subscribers.
	Subscribe(ctx context.Context) <-chan Status
	// Close stops the tunnel and any retries.
	Close() error
}

// EnvAuthtoken is the environment variable that holds the ngrok authtoken.
const EnvAuthtoken = "NGROK_AUTHTOKEN"

// ErrNoToken is returned when the ngrok tunnel is requested explicitly but no authtoken is set.
var ErrNoToken = errors.New("ngrok needs an authtoken: get one at https://dashboard.ngrok.com/get-started/your-authtoken and set NGROK_AUTHTOKEN (or tunnel.authtoken)")

// Modes accepted in tunnel.mode / --tunnel.
const (
	ModeAuto  = "auto"
	ModeNgrok = "ngrok"
	ModeOff   = "off"
)

// New picks the tunnel for cfg: "off", or "auto" without a token, gives the local-only tunnel;
// "ngrok" without a token is ErrNoToken.
func New(cfg config.Tunnel, logger *slog.Logger, opts ...Option) (Tunnel, error) {
	token := Authtoken(cfg)
	switch strings.ToLower(strings.TrimSpace(cfg.Mode)) {
	case ModeOff:
		return NewNone(), nil
	case ModeAuto, "":
		if token == "" {
			return NewNone(), nil
		}
	case ModeNgrok:
		if token == "" {
			return nil, ErrNoToken
		}
	default:
		return nil, fmt.Errorf("tunnel.mode %q: want auto, ngrok or off", cfg.Mode)
	}
	cfg.Authtoken = token
	return NewNgrok(cfg, logger, opts...), nil
}

// Authtoken returns the configured token, falling back to NGROK_AUTHTOKEN.
func Authtoken(cfg config.Tunnel) string {
	if t := strings.TrimSpace(cfg.Authtoken); t != "" {
		return t
	}
	return strings.TrimSpace(os.Getenv(EnvAuthtoken))
}
