package replay

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/config"
)

// The markers a replay adds, named where the gateway reads them.
const (
	HeaderSource   = capture.HeaderSource
	HeaderReplayOf = capture.HeaderReplayOf
	HeaderNonce    = capture.HeaderNonce
)

// defaultTimeout bounds one send when the client sets no timeout.
const defaultTimeout = 30 * time.Second

// Replayer re-sends captures and crafted events, and records every exchange in the store.
type Replayer struct {
	store      capture.Store
	cfg        *config.Config
	gatewayURL string
	client     *http.Client
	now        func() time.Time
	// findWithin bounds the wait for the gateway's capture of a replay.
	findWithin time.Duration
	// gateway runs replays to the running gateway through its pipeline (nil: over HTTP).
	gateway Gateway
}

// NewReplayer builds a Replayer. gatewayURL is the running gateway ("http://127.0.0.1:8644");
// client supplies the timeout and TLS settings (nil means a 30 s timeout).
func NewReplayer(store capture.Store, cfg *config.Config, gatewayURL string, client *http.Client) *Replayer {
	if client == nil {
		client = &http.Client{Timeout: defaultTimeout}
	}
	return &Replayer{store: store, cfg: cfg, gatewayURL: strings.TrimRight(gatewayURL, "/"), client: client,
		now: time.Now, findWithin: 2 * time.Second}
}

// ReplayOptions tune one replay.
type ReplayOptions struct {
	// To sends to this URL instead of the capture's own route on the running gateway.
	To string
	// Resign recomputes the signature with the route's secret, a fresh timestamp and id.
	Resign bool
	// KeepSignature sends the stored signature as is, even with an edited Body.
	KeepSignature bool
	// Body replaces the stored body (an edit); it is re-signed unless KeepSignature is set.
	Body []byte
	// Exact replays the capture given even when it is itself a replay; otherwise a replay's
	// original is replayed, so replaying twice does not chain replays of replays.
	Exact bool
}

// Replay sends capture id again and returns the capture of the new exchange. On a failed send
// the attempt is still captured, and both the capture and the error are returned.
func (r *Replayer) Replay(ctx context.Context, id string, o ReplayOptions) (*capture.Capture, error) {
	if o.Resign && o.KeepSignature {
		return nil, errors.New("--resign and --keep-signature contradict each other: pick one")
	}
	orig, err := r.store.Get(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("capture %q: %w", id, err)
	}
	if orig.ReplayOf != "" && !o.Exact {
		if first, err := r.store.Get(ctx, orig.ReplayOf); err == nil {
			orig = first
		}
	}
	if orig.Truncated && o.Body == nil {
		return nil, fmt.Errorf("capture %s was cut at %d bytes when it was received; its full body was not kept, so it cannot be replayed byte-identical", orig.ID, len(orig.Body))
	}
	x, err := r.replayExchange(orig, o)
	if err != nil {
		return nil, err
	}
	return r.exchange(ctx, x)
}

// replayExchange prepares the request that replays orig.
func (r *Replayer) replayExchange(orig *capture.Capture, o ReplayOptions) (exchange, error) {
	target, err := r.replayTarget(orig, o.To)
	if err != nil {
		return exchange{}, err
	}
	body := orig.Body
	if o.Body != nil {
		body = o.Body
	}
	x := exchange{
		req:    wireRequest{Method: orig.Method, URL: target, Headers: capture.Forwardable(orig.Headers), Body: body},
		source: capture.SourceReplay, replayOf: orig.ID, route: orig.Route, event: orig.Event,
		deliveryID: orig.DeliveryID, scheme: orig.Verification.Scheme,
	}
	if x.req.Method == "" {
		x.req.Method = http.MethodPost
	}
	explicit := o.Resign
	if explicit || (o.Body != nil && !o.KeepSignature) {
		if err := r.resign(&x, orig, explicit); err != nil {
			return exchange{}, err
		}
	}
	return x, nil
}

// replayTarget is --to, or the capture's own path on the running gateway.
func (r *Replayer) replayTarget(orig *capture.Capture, to string) (string, error) {
	if to != "" {
		return to, nil
	}
	if r.gatewayURL == "" {
		return "", errors.New("no gateway address to replay to: pass --to URL")
	}
	path := orig.Path
	if path == "" {
		if orig.Route == "" {
			return "", fmt.Errorf("capture %s has neither a path nor a route: pass --to URL", orig.ID)
		}
		path = config.RoutePath(orig.Route)
	}
	target := r.gatewayURL + path
	if orig.Query != "" {
		target += "?" + orig.Query
	}
	return target, nil
}

// isGateway reports whether target is the running gateway (then the gateway captures the
// request itself, and the replay markers are sent). Loopback spellings count as the same host.
func (r *Replayer) isGateway(target string) bool {
	if r.gatewayURL == "" {
		return false
	}
	t, err1 := url.Parse(target)
	g, err2 := url.Parse(r.gatewayURL)
	if err1 != nil || err2 != nil || t.Scheme != g.Scheme {
		return false
	}
	return sameHost(t, g)
}

func sameHost(a, b *url.URL) bool {
	if portOf(a) != portOf(b) {
		return false
	}
	ha, hb := a.Hostname(), b.Hostname()
	return ha == hb || (isLoopbackName(ha) && isLoopbackName(hb))
}

func portOf(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	if u.Scheme == "https" {
		return "443"
	}
	return "80"
}

func isLoopbackName(h string) bool {
	if h == "localhost" || h == "" || h == "0.0.0.0" || h == "::" {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// timeout is the client's, or 30 s.
func (r *Replayer) timeout() time.Duration {
	if r.client.Timeout > 0 {
		return r.client.Timeout
	}
	return defaultTimeout
}

// tlsConfig reuses the client's TLS settings (custom roots in tests, for instance).
func (r *Replayer) tlsConfig() *tls.Config {
	if t, ok := r.client.Transport.(*http.Transport); ok {
		return t.TLSClientConfig
	}
	return nil
}
