package mcpserver

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"syscall"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/mask"
	"github.com/hooktap/hooktap/replay"
)

// answerBodyBytes bounds the body shown with a replay's or a crafted event's capture.
const answerBodyBytes = 16 << 10

type replayIn struct {
	ID     string `json:"id" jsonschema:"the capture to send again (any id form hooktap shows)"`
	To     string `json:"to,omitempty" jsonschema:"an http(s) URL to send to instead of the capture's own route on the running gateway"`
	Resign bool   `json:"resign,omitempty" jsonschema:"sign again with the route's secret, a fresh timestamp and delivery id (else the stored signature is sent as is)"`
}

// exchangeOut is one request hooktap sent and what came of it.
type exchangeOut struct {
	Target string `json:"target" jsonschema:"the URL the request went to"`
	// Capture is the new capture: the gateway's own when the target is the running gateway.
	Capture captureDetail `json:"capture" jsonschema:"the new capture: status and response_body are the target's answer"`
}

type replayOut struct {
	ReplayOf string `json:"replay_of"`
	exchangeOut
}

func (s *server) addSendTools(srv *mcp.Server) {
	mcp.AddTool(srv, &mcp.Tool{Name: "replay", Title: "Replay a capture", Annotations: sends,
		Description: "SENDS AN HTTP REQUEST: replays a captured request byte-identical to its route on the running gateway (which verifies, " +
			"records and delivers it again) or to an http(s) URL, optionally re-signed with the route's secret. Returns the new capture and the target's answer."},
		s.replay)
	mcp.AddTool(srv, &mcp.Tool{Name: "send_event", Title: "Craft and send a provider event", Annotations: sends,
		Description: "SENDS AN HTTP REQUEST: crafts a realistic, signed provider event from hooktap's fixtures (fresh ids and timestamps) and sends it " +
			"to a route of the running gateway (signed with that route's secret) or to an http(s) URL. Negative variants test a receiver: tamper, stale, " +
			"duplicate, oversize. Returns what was sent and the answer. Providers and events: " + providerList()},
		s.sendEvent)
}

func (s *server) replay(ctx context.Context, _ *mcp.CallToolRequest, in replayIn) (*mcp.CallToolResult, replayOut, error) {
	if in.To != "" {
		if err := replay.CheckURL(in.To); err != nil {
			return nil, replayOut{}, err
		}
	}
	gw, err := s.runningGateway(in.To)
	if err != nil {
		return nil, replayOut{}, err
	}
	var out replayOut
	err = s.withStore(func(st capture.Store) error {
		orig, err := capture.Find(ctx, st, in.ID)
		if err != nil {
			return err
		}
		rp := replay.NewReplayer(st, s.cfgWithRoutes(), gw, s.d.Client)
		c, err := rp.Replay(ctx, orig.ID, replay.ReplayOptions{To: in.To, Resign: in.Resign})
		if err != nil {
			return sendError(orig.ID, err, c, in.To == "")
		}
		target := in.To
		if target == "" {
			target = gw + orig.Path
		}
		out = replayOut{ReplayOf: orig.ID, exchangeOut: s.exchangeOf(c, target)}
		return nil
	})
	if err != nil {
		return nil, replayOut{}, err
	}
	return summary("replayed %s\n%s", out.ReplayOf, exchangeText(out.exchangeOut)), out, nil
}

// runningGateway is the running gateway's base URL; without one, only an explicit URL can be
// a target.
func (s *server) runningGateway(to string) (string, error) {
	in := s.d.Instance()
	if in.Gateway == "" && to == "" {
		return "", fmt.Errorf("no hooktap is running for %s: start `hooktap serve` (or `hooktap`), or pass to URL", in.DataDir)
	}
	return in.Gateway, nil
}

// sendError is the CLI's message for a failed send, with the capture of the attempt.
func sendError(what string, err error, attempt *capture.Capture, toGateway bool) error {
	msg := fmt.Sprintf("✗ %s: %s", what, err)
	if toGateway && errors.Is(err, syscall.ECONNREFUSED) {
		msg += " — is the gateway running (`hooktap` or `hooktap serve`)? Or pass to URL"
	}
	if attempt != nil {
		msg += " (attempt captured as " + attempt.ID + ")"
	}
	return errors.New(msg)
}

func (s *server) exchangeOf(c *capture.Capture, target string) exchangeOut {
	return exchangeOut{Target: mask.URL(target), Capture: s.detailOf(c, answerBodyBytes)}
}

// exchangeText is the answer in two or three lines.
func exchangeText(x exchangeOut) string {
	c := x.Capture
	mark := "✓"
	if c.Status < 200 || c.Status > 299 {
		mark = "✗"
	}
	answer := strings.TrimSpace(c.ResponseBody)
	if len(answer) > 200 {
		answer = answer[:200] + "…"
	}
	text := fmt.Sprintf("%s %d %s from %s; capture %s\n", mark, c.Status, http.StatusText(c.Status), x.Target, c.ID)
	if answer != "" {
		text += "answer: " + answer + "\n"
	}
	if c.Verification.Result != "" {
		v := c.Verification
		text += outcomeText(v.Scheme, string(v.Result), string(v.Reason), v.Detail, v.Diagnosis)
	}
	return text
}

// providerList names every craftable provider and its events for the tool's description.
func providerList() string {
	parts := []string{}
	for _, p := range replay.Providers() {
		parts = append(parts, p.Name+" ("+strings.Join(p.Events, ", ")+")")
	}
	return strings.Join(parts, "; ") + "."
}
