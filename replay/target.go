package replay

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/hooktap/hooktap/config"
	"github.com/hooktap/hooktap/signature"
)

// Secrets that sign crafted events for an outside target when the user gives none. Standard
// Webhooks needs a whsec_ secret whose base64 part decodes to at least 24 bytes.
const (
	TestSecret         = "hooktap-test-secret"
	TestStandardSecret = "whsec_aG9va3RhcC10ZXN0LXNlY3JldC0wMTIzNDU2Nzg5"
)

// CheckURL refuses anything but an absolute http(s) URL: hooktap sends webhooks, never files,
// sockets or other schemes.
func CheckURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("target %q is not an http(s) URL", raw)
	}
	return nil
}

// ErrNoTarget is ResolveSendTarget's answer when neither a URL nor a route was given and no
// route stands out.
var ErrNoTarget = errors.New("say where to send")

// SendTarget is where a crafted event goes and what signs it.
type SendTarget struct {
	URL, Route string
	// SignedURL is the URL Twilio signs: the route's public_url when it has one (see SigningURL).
	SignedURL string
	// Secret signs the event; after SigningSecret it is never empty.
	Secret  string
	MaxBody int64
	// TestSecret is true when hooktap's own test secret signs (the receiver must use it too).
	TestSecret bool
	// DiscordPublicKey is set when SigningSecret made a fresh Ed25519 key pair for a Discord
	// event: the receiver verifies with it, and Secret holds the private key seed.
	DiscordPublicKey string
}

// ResolveSendTarget picks where a crafted provider event goes: the URL to, else the route named
// route on the gateway at gatewayURL, else a route named like the provider, else the only
// route. secret, when set, signs instead of the route's own.
func ResolveSendTarget(cfg *config.Config, gatewayURL, provider, route, to, secret string) (SendTarget, error) {
	switch {
	case to != "" && route != "":
		return SendTarget{}, errors.New("a URL and a route both name a target: pick one")
	case to != "":
		if err := CheckURL(to); err != nil {
			return SendTarget{}, err
		}
		return SendTarget{URL: to, Secret: secret, MaxBody: cfg.Gateway.MaxBodyBytes}, nil
	}
	name := route
	if name == "" {
		if _, ok := cfg.Route(provider); ok {
			name = provider
		} else if len(cfg.Gateway.Routes) == 1 {
			name = cfg.Gateway.Routes[0].Name
		} else {
			return SendTarget{}, fmt.Errorf("%w: a route (%s) or a URL", ErrNoTarget, RouteNames(cfg))
		}
	}
	r, ok := cfg.Route(name)
	if !ok {
		if name != config.InspectRoute || len(cfg.Gateway.Routes) > 0 {
			return SendTarget{}, fmt.Errorf("no route named %q; routes: %s", name, RouteNames(cfg))
		}
		r = config.Route{Name: name} // zero-config: the gateway serves inspect without a config
	}
	set := r.Effective(cfg.Gateway)
	t := SendTarget{URL: config.RouteURL(gatewayURL, name), Route: name,
		Secret: secret, MaxBody: set.MaxBodyBytes, SignedURL: r.PublicURL}
	// A discord route holds the public key, which cannot sign: SigningSecret makes a key pair.
	if t.Secret == "" && len(set.Secrets) > 0 && provider != signature.SchemeDiscord {
		t.Secret = set.Secrets[0].Value
	}
	return t, nil
}

// SigningSecret returns the secret that signs provider's events for t: its own; for Discord a
// fresh key pair's seed (DiscordPublicKey is set); else hooktap's test secret (TestSecret is set),
// so the caller can tell the user what the receiver must use.
func (t *SendTarget) SigningSecret(provider string) string {
	switch {
	case t.Secret != "":
	case provider == signature.SchemeDiscord:
		t.Secret, t.DiscordPublicKey = signature.NewDiscordKeyPair()
	default:
		t.TestSecret = true
		t.Secret = TestSecret
		if provider == "standard" {
			t.Secret = TestStandardSecret
		}
	}
	return t.Secret
}

// SigningURL is the URL a signature that covers the URL (Twilio's) is computed over.
func (t *SendTarget) SigningURL() string {
	if t.SignedURL != "" {
		return t.SignedURL
	}
	return t.URL
}

// RouteNames lists cfg's route names for messages.
func RouteNames(cfg *config.Config) string {
	if len(cfg.Gateway.Routes) == 0 {
		return "none configured; zero-config mode serves `inspect`"
	}
	names := make([]string, len(cfg.Gateway.Routes))
	for i, r := range cfg.Gateway.Routes {
		names[i] = r.Name
	}
	return strings.Join(names, ", ")
}
