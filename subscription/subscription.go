// Package subscription keeps the dynamic routes created with `hooktap webhook subscribe` in a JSON
// file, and tells the running gateway when the file changes so no restart is needed.
package subscription

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/hooktap/hooktap/config"
)

// Subscription is one dynamic route.
type Subscription struct {
	Name        string   `json:"name"`
	Description string   `json:"description,omitempty"`
	Events      []string `json:"events,omitempty"`
	Prompt      string   `json:"prompt,omitempty"`
	Deliver     string   `json:"deliver,omitempty"`
	DeliverURL  string   `json:"deliver_url,omitempty"`
	Secret      string   `json:"secret"`
	// Verify pins the signature scheme; empty pins the scheme of the first verified delivery.
	Verify    string    `json:"verify,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// ErrNoSecret means a subscription has no secret: it would be an open route, which a
// subscription, like a configured route, may only be on purpose (secret INSECURE_NO_AUTH).
var ErrNoSecret = errors.New("has no secret: give --secret (or let hooktap generate one), or INSECURE_NO_AUTH for an unverified test route")

// subscribeSchemes are the schemes a subscription can pin: those that verify with a secret alone.
var subscribeSchemes = slices.DeleteFunc(slices.Clone(config.Schemes), func(s string) bool {
	return s == "none" || s == "discord" || s == "timestamped"
})

// nameRE matches the route names config accepts, since a subscription becomes a route.
var nameRE = regexp.MustCompile(`^[A-Za-z0-9._-]+$`)

// Route converts the subscription to the route the gateway serves.
func (s Subscription) Route() config.Route {
	r := config.Route{
		Name:         s.Name,
		Description:  s.Description,
		Events:       slices.Clone(s.Events),
		Prompt:       s.Prompt,
		Deliver:      s.Deliver,
		DeliverExtra: config.DeliverExtra{URL: s.DeliverURL},
		Verify:       s.Verify,
	}
	if s.Secret != "" {
		r.Secret = config.Secrets{s.Secret}
	}
	return r
}

// Validate checks the fields a user typed; errors name the flag to fix.
func (s Subscription) Validate() error {
	if !nameRE.MatchString(s.Name) {
		return fmt.Errorf("subscription name %q may only use letters, digits, '.', '_' and '-'", s.Name)
	}
	if s.Verify != "" && !slices.Contains(subscribeSchemes, s.Verify) {
		return fmt.Errorf("subscription %s: --verify %q: want one of %s", s.Name, s.Verify, strings.Join(subscribeSchemes, ", "))
	}
	for _, e := range s.Events {
		if strings.TrimSpace(e) == "" {
			return fmt.Errorf("subscription %s: --events has an empty event name", s.Name)
		}
	}
	if s.Deliver != "" && !slices.Contains(config.DeliverModes, s.Deliver) {
		return fmt.Errorf("subscription %s: --deliver %q: want one of %s", s.Name, s.Deliver, strings.Join(config.DeliverModes, ", "))
	}
	if s.Deliver != "" && s.Deliver != "log" && s.DeliverURL == "" {
		return fmt.Errorf("subscription %s: --deliver %s needs --deliver-url", s.Name, s.Deliver)
	}
	if s.DeliverURL != "" {
		u, err := url.Parse(s.DeliverURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("subscription %s: --deliver-url %q is not an http(s) URL", s.Name, s.DeliverURL)
		}
	}
	return nil
}

// RequireSecret refuses a subscription without a secret (a blank one counts as none):
// INSECURE_NO_AUTH is the only way to an unverified route.
func (s Subscription) RequireSecret() error {
	if strings.TrimSpace(s.Secret) == "" {
		return fmt.Errorf("subscription %s %w", s.Name, ErrNoSecret)
	}
	return nil
}

// NewSecret returns a random 32-byte secret, hex encoded.
func NewSecret() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("generate secret: %w", err)
	}
	return hex.EncodeToString(b), nil
}

// Routes converts a set of subscriptions to routes, skipping names a static route already uses
// (a static route with the same name wins).
func Routes(subs []Subscription, static config.Routes) []config.Route {
	taken := make(map[string]bool, len(static))
	for _, r := range static {
		taken[r.Name] = true
	}
	var out []config.Route
	for _, s := range subs {
		if !taken[s.Name] {
			out = append(out, s.Route())
		}
	}
	return out
}
