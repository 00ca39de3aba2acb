package notify

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/hooktap/hooktap/config"
	"github.com/hooktap/hooktap/mask"
)

// Where a webhook comes from.
const (
	SourceConfig = "config"
	SourceAPI    = "api"
)

// Retry defaults: three attempts, exponential backoff from one second.
const (
	DefaultMaxAttempts = 3
	DefaultInitial     = time.Second
)

// Webhook is one outgoing target: config.Webhook resolved, plus where it came from.
type Webhook struct {
	ID      string            `json:"id"`
	Enabled bool              `json:"enabled"`
	URL     string            `json:"url"`
	Events  []string          `json:"events"`
	Headers map[string]string `json:"headers,omitempty"`
	Format  string            `json:"format"`
	Secret  string            `json:"secret,omitempty"`
	Signing string            `json:"signing,omitempty"`
	Retry   Retry             `json:"retry"`
	Source  string            `json:"source"`
}

// Retry is a webhook's retry policy; Initial is a Go duration ("1s").
type Retry struct {
	MaxAttempts int    `json:"max_attempts"`
	Backoff     string `json:"backoff"`
	Initial     string `json:"initial"`
}

// ErrInvalidWebhook wraps every validation failure; the message names the field.
var ErrInvalidWebhook = errors.New("invalid webhook")

// FromConfig turns a config entry into a Webhook; entries without an id get "config-N".
func FromConfig(c config.Webhook, index int) Webhook {
	w := Webhook{ID: c.ID, Enabled: c.Enabled == nil || *c.Enabled, URL: c.URL, Events: c.Events,
		Headers: c.Headers, Format: c.Format, Secret: c.Secret, Signing: c.Signing, Source: SourceConfig,
		Retry: Retry{MaxAttempts: c.Retry.MaxAttempts, Backoff: c.Retry.Backoff}}
	if c.Retry.Initial != 0 {
		w.Retry.Initial = c.Retry.Initial.D().String()
	}
	if w.ID == "" {
		w.ID = fmt.Sprintf("config-%d", index+1)
	}
	return w.normalized()
}

// normalized fills defaults so every reader sees the same policy.
func (w Webhook) normalized() Webhook {
	if w.Format == "" {
		w.Format = FormatAuto
	}
	w.Format = strings.ToLower(w.Format)
	if w.Events == nil {
		w.Events = []string{}
	}
	if w.Retry.MaxAttempts <= 0 {
		w.Retry.MaxAttempts = DefaultMaxAttempts
	}
	if w.Retry.Backoff == "" {
		w.Retry.Backoff = "exponential"
	}
	if w.Retry.Initial == "" {
		w.Retry.Initial = DefaultInitial.String()
	}
	return w
}

// Validate checks the fields a user can get wrong and names the field; unknown event names are
// not errors (new events appear over time) but come back as warnings.
func (w Webhook) Validate() (warnings []string, err error) {
	u, perr := url.Parse(w.URL)
	if perr != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("%w: url: %q is not an http(s) URL", ErrInvalidWebhook, w.URL)
	}
	if !ValidFormat(w.Format) {
		return nil, fmt.Errorf("%w: format: %q is not auto, slack, discord or generic", ErrInvalidWebhook, w.Format)
	}
	if w.Signing != "" && w.Signing != "timestamped" && w.Signing != "standard" {
		return nil, fmt.Errorf("%w: signing: %q is not timestamped or standard", ErrInvalidWebhook, w.Signing)
	}
	if !slices.Contains([]string{"", "exponential", "linear", "none"}, w.Retry.Backoff) {
		return nil, fmt.Errorf("%w: retry.backoff: %q is not exponential, linear or none", ErrInvalidWebhook, w.Retry.Backoff)
	}
	if w.Retry.Initial != "" {
		if d, derr := time.ParseDuration(w.Retry.Initial); derr != nil || d < 0 {
			return nil, fmt.Errorf("%w: retry.initial: %q is not a Go duration such as \"1s\"", ErrInvalidWebhook, w.Retry.Initial)
		}
	}
	if w.Retry.MaxAttempts < 0 || w.Retry.MaxAttempts > 20 {
		return nil, fmt.Errorf("%w: retry.max_attempts: %d is outside 1..20", ErrInvalidWebhook, w.Retry.MaxAttempts)
	}
	for _, e := range w.Events {
		if !KnownEvent(e) {
			warnings = append(warnings, fmt.Sprintf("events: %q is not a known event; it will only match events emitted with that exact name", e))
		}
	}
	return warnings, nil
}

// Wants reports whether the webhook takes this event: enabled, and the event in its non-empty list.
func (w Webhook) Wants(event string) bool {
	return w.Enabled && (len(w.Events) == 0 || slices.Contains(w.Events, event))
}

// ResolvedFormat is the body format after auto-detection.
func (w Webhook) ResolvedFormat() string { return Format(w.Format, w.URL) }

// Masked is the webhook as shown to users, by package mask's rule: the secret, credential
// header values and credential query parameters of the URL hidden. A masked value sent back in
// an update keeps the stored one (see keepMaskedSecrets).
func (w Webhook) Masked() Webhook {
	if w.Secret != "" {
		w.Secret = mask.Value(w.Secret)
	}
	w.URL = mask.URL(w.URL)
	if len(w.Headers) > 0 {
		h := make(map[string]string, len(w.Headers))
		for k, v := range w.Headers {
			h[k] = mask.Header(k, v, nil)
		}
		w.Headers = h
	}
	return w
}
