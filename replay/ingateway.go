package replay

import (
	"bytes"
	"context"
	"fmt"
	"net/http"

	"github.com/hooktap/hooktap/capture"
)

// Gateway runs a request through the running gateway's pipeline as a replay of capture
// original: verification and the route's delivery apply, idempotency does not. The gateway
// itself satisfies it in the process that runs it; the admin API exposes it on loopback to
// other hooktap processes (see AdminGateway).
type Gateway interface {
	Replay(ctx context.Context, req *http.Request, original string) (*capture.Capture, error)
}

// WithGateway makes replays to the running gateway go through g, so they are delivered again
// instead of being answered as duplicates.
func (r *Replayer) WithGateway(g Gateway) *Replayer {
	r.gateway = g
	return r
}

// viaGateway hands the replay to the gateway's pipeline.
func (r *Replayer) viaGateway(ctx context.Context, x exchange) (*capture.Capture, error) {
	req, err := http.NewRequestWithContext(ctx, x.req.Method, x.req.URL, bytes.NewReader(x.req.Body))
	if err != nil {
		return nil, fmt.Errorf("replay %s: %w", x.replayOf, err)
	}
	for _, h := range x.req.Headers {
		if http.CanonicalHeaderKey(h.Name) == "Host" {
			req.Host = h.Value
			continue
		}
		req.Header.Add(h.Name, h.Value)
	}
	req.ContentLength = int64(len(x.req.Body))
	return r.gateway.Replay(ctx, req, x.replayOf)
}
