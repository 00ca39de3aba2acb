package mcpserver

import (
	"context"
	"fmt"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/config"
	"github.com/hooktap/hooktap/replay"
)

type sendEventIn struct {
	Provider  string   `json:"provider" jsonschema:"the provider, e.g. github, stripe, slack, standard"`
	Event     string   `json:"event" jsonschema:"the provider's event, e.g. push, payment_intent.succeeded"`
	Route     string   `json:"route,omitempty" jsonschema:"a route of the running gateway; signed with its secret (default: the route named like the provider, or the only route)"`
	To        string   `json:"to,omitempty" jsonschema:"an http(s) URL to send to instead of a route"`
	Secret    string   `json:"secret,omitempty" jsonschema:"sign with this secret (default: the route's, or hooktap's test secret for a URL)"`
	Set       []string `json:"set,omitempty" jsonschema:"field edits path=value (dot path; the value is JSON when it parses, else text), e.g. pull_request.title=Fix"`
	Tamper    bool     `json:"tamper,omitempty" jsonschema:"change the body after signing: the receiver should answer 401"`
	Stale     string   `json:"stale,omitempty" jsonschema:"sign with a timestamp this far in the past, e.g. 10m: the receiver should refuse it"`
	Duplicate bool     `json:"duplicate,omitempty" jsonschema:"reuse the last delivery id sent for this provider: the receiver should deduplicate"`
	Oversize  bool     `json:"oversize,omitempty" jsonschema:"pad the body past the route's max_body_bytes: 413 expected"`
}

type sendEventOut struct {
	Provider   string `json:"provider"`
	Event      string `json:"event"`
	DeliveryID string `json:"delivery_id"`
	Route      string `json:"route,omitempty"`
	TestSecret bool   `json:"test_secret" jsonschema:"true when hooktap's public test secret signed it (the receiver must use it too)"`
	// DiscordPublicKey is the fresh key pair's public half when a Discord event had no secret.
	DiscordPublicKey string   `json:"discord_public_key,omitempty" jsonschema:"a Discord event without a secret is signed with a fresh Ed25519 key pair: the receiver verifies with this public key"`
	Warnings         []string `json:"warnings"`
	exchangeOut
}

func (s *server) sendEvent(ctx context.Context, _ *mcp.CallToolRequest, in sendEventIn) (*mcp.CallToolResult, sendEventOut, error) {
	if _, err := replay.Fixture(in.Provider, in.Event); err != nil {
		return nil, sendEventOut{}, err
	}
	gw, err := s.runningGateway(in.To)
	if err != nil {
		return nil, sendEventOut{}, err
	}
	cfg := s.cfgWithRoutes()
	t, err := replay.ResolveSendTarget(cfg, gw, in.Provider, in.Route, in.To, in.Secret)
	if err != nil {
		return nil, sendEventOut{}, err
	}
	o, err := in.craftOptions(cfg, &t)
	if err != nil {
		return nil, sendEventOut{}, err
	}
	crafted, err := replay.Craft(in.Provider, in.Event, o)
	if err != nil {
		return nil, sendEventOut{}, err
	}
	out := sendEventOut{Provider: crafted.Provider, Event: crafted.Event, DeliveryID: crafted.DeliveryID, Route: t.Route,
		TestSecret: t.TestSecret, DiscordPublicKey: t.DiscordPublicKey, Warnings: append([]string{}, crafted.Warnings...)}
	err = s.withStoreOpened(true, func(st capture.Store) error {
		c, err := replay.NewReplayer(st, cfg, gw, s.d.Client).Send(ctx, crafted, t.URL, capture.SourceCraft)
		replay.RememberDelivery(cfg.DataDir, crafted.Provider, crafted.DeliveryID)
		what := fmt.Sprintf("%s %s (delivery %s)", crafted.Provider, crafted.Event, crafted.DeliveryID)
		if err != nil {
			return sendError(what, err, c, in.To == "")
		}
		out.exchangeOut = s.exchangeOf(c, t.URL)
		return nil
	})
	if err != nil {
		return nil, sendEventOut{}, err
	}
	text := fmt.Sprintf("sent %s %s (delivery %s)\n%s", out.Provider, out.Event, out.DeliveryID, exchangeText(out.exchangeOut))
	if t.TestSecret {
		text += "note: signed with hooktap's test secret; pass secret with the receiver's secret\n"
	}
	if t.DiscordPublicKey != "" {
		text += "note: signed with a fresh Ed25519 key pair; the receiver verifies with public key " + t.DiscordPublicKey + "\n"
	}
	for _, w := range out.Warnings {
		text += "note: " + w + "\n"
	}
	return summary("%s", text), out, nil
}

// craftOptions turns the inputs into CraftOptions, the negative variants included.
func (in sendEventIn) craftOptions(cfg *config.Config, t *replay.SendTarget) (replay.CraftOptions, error) {
	o := replay.CraftOptions{Secret: t.SigningSecret(in.Provider), Sets: in.Set, Tamper: in.Tamper, URL: t.SigningURL()}
	if in.Stale != "" {
		d, err := config.ParseDuration(in.Stale)
		if err != nil || d <= 0 {
			return o, fmt.Errorf("stale: invalid duration %q (use e.g. 10m)", in.Stale)
		}
		o.Stale = d.D()
	}
	if in.Duplicate {
		if o.DeliveryID = replay.LastDelivery(cfg.DataDir, in.Provider); o.DeliveryID == "" {
			return o, fmt.Errorf("no earlier %s delivery to duplicate: send one first", in.Provider)
		}
	}
	if in.Oversize {
		limit := t.MaxBody
		if limit <= 0 {
			limit = config.DefaultMaxBodyBytes
		}
		o.OversizeTo = int(limit) + 1024
	}
	return o, nil
}
