package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/hooktap/hooktap/admin"
	"github.com/hooktap/hooktap/app"
	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/config"
)

// adminGateway runs replays through the running hooktap's gateway via its loopback admin API,
// so a replay from the CLI is delivered again like one from the TUI (see replay.Gateway).
type adminGateway struct {
	base   string
	client *http.Client
	store  capture.Store
}

// runningAdminGateway is the running hooktap's admin API, when one runs on this data dir.
func runningAdminGateway(cfg *config.Config, st capture.Store) (*adminGateway, bool) {
	rt, ok := app.ReadRuntime(cfg.DataDir)
	if !ok || rt.Admin == "" || rt.Gateway == "" {
		return nil, false
	}
	return &adminGateway{base: config.LocalBaseURL(rt.Admin), client: &http.Client{Timeout: 2 * time.Minute}, store: st}, true
}

// Replay posts the request to the admin API and reads the replay's capture from the store.
func (g *adminGateway) Replay(ctx context.Context, req *http.Request, original string) (*capture.Capture, error) {
	in := admin.GatewayReplayRequest{ReplayOf: original, Method: req.Method, URL: req.URL.String()}
	if req.Host != "" {
		in.Headers = append(in.Headers, capture.Header{Name: "Host", Value: req.Host})
	}
	for name, values := range req.Header {
		for _, v := range values {
			in.Headers = append(in.Headers, capture.Header{Name: name, Value: v})
		}
	}
	if req.Body != nil {
		body, err := io.ReadAll(req.Body)
		if err != nil {
			return nil, err
		}
		in.Body = body
	}
	payload, err := json.Marshal(in)
	if err != nil {
		return nil, err
	}
	post, err := http.NewRequestWithContext(ctx, http.MethodPost, g.base+admin.GatewayReplayPath, bytes.NewReader(payload))
	if err != nil {
		return nil, err
	}
	post.Header.Set("Content-Type", "application/json")
	resp, err := g.client.Do(post)
	if err != nil {
		return nil, fmt.Errorf("running hooktap's admin API: %w", err)
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	var out admin.GatewayReplayAnswer
	if resp.StatusCode != http.StatusOK || json.Unmarshal(answer, &out) != nil || out.ID == "" {
		return nil, fmt.Errorf("running hooktap's admin API answered %d: %s", resp.StatusCode, bytes.TrimSpace(answer))
	}
	return g.store.Get(ctx, out.ID)
}
