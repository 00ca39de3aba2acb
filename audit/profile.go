package audit

import (
	"strings"
	"time"

	"github.com/hooktap/hooktap/replay"
)

// profile is what the audit needs to know about a provider beyond how to sign for it: how long
// it waits, what it does after a failure, how a correct handler verifies and deduplicates.
type profile struct {
	title        string
	defaultEvent string
	// timeout is the provider's documented delivery timeout.
	timeout time.Duration
	// retry is what the provider does when a delivery fails or times out.
	retry string
	// verify says how a correct handler checks the signature (official SDK call first).
	verify string
	// dedupeOn names where the delivery id travels.
	dedupeOn string
}

var profiles = map[string]profile{
	"github": {title: "GitHub", defaultEvent: "push", timeout: 10 * time.Second,
		retry:    "GitHub does not retry: the delivery is marked failed and must be redelivered by hand",
		verify:   "verify X-Hub-Signature-256 over the raw body (@octokit/webhooks-methods verify, or HMAC-SHA256 compared in constant time)",
		dedupeOn: "the X-GitHub-Delivery header"},
	"gitlab": {title: "GitLab", defaultEvent: "push", timeout: 10 * time.Second,
		retry:    "GitLab does not retry; after repeated failures it disables the webhook",
		verify:   "compare X-Gitlab-Token with the secret token in constant time",
		dedupeOn: "the X-Gitlab-Event-UUID header"},
	"stripe": {title: "Stripe", defaultEvent: "payment_intent.succeeded", timeout: 20 * time.Second,
		retry:    "Stripe retries with exponential backoff for up to 3 days, then may disable the endpoint",
		verify:   "pass the raw body, the Stripe-Signature header and the whsec_ secret to stripe.webhooks.constructEvent",
		dedupeOn: "the event's id (evt_…)"},
	"shopify": {title: "Shopify", defaultEvent: "orders/create", timeout: 5 * time.Second,
		retry:    "Shopify retries 8 times over 4 hours, then removes the subscription",
		verify:   "check X-Shopify-Hmac-SHA256 (base64 HMAC-SHA256 of the raw body) with shopify.webhooks.validate",
		dedupeOn: "the X-Shopify-Event-Id header"},
	"slack": {title: "Slack", defaultEvent: "event_callback", timeout: 3 * time.Second,
		retry:    "Slack retries 3 times (at once, after 1 minute, after 5 minutes) with X-Slack-Retry-Num",
		verify:   "check X-Slack-Signature over v0:timestamp:raw body and reject timestamps older than 5 minutes (Bolt's verifySlackRequest)",
		dedupeOn: "the event_id field"},
	"standard": {title: "Standard Webhooks", defaultEvent: "generic", timeout: 15 * time.Second,
		retry:    "Svix-style senders retry after 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h",
		verify:   "verify with the standardwebhooks (or svix) library: new Webhook(secret).verify(rawBody, headers)",
		dedupeOn: "the webhook-id header"},
	"twilio": {title: "Twilio", defaultEvent: "message.received", timeout: 15 * time.Second,
		retry:    "Twilio logs error 11200 and does not retry unless the URL carries a connection override (#rc=)",
		verify:   "validate X-Twilio-Signature with twilio.validateRequest(authToken, signature, the exact public URL, the form params)",
		dedupeOn: "the I-Twilio-Idempotency-Token header"},
	"discord": {title: "Discord", defaultEvent: "ping", timeout: 3 * time.Second,
		retry:    "Discord does not retry: the user sees \"This interaction failed\"",
		verify:   "verify X-Signature-Ed25519 over timestamp + raw body with the application's public key (discord-interactions verifyKey) and answer 401 on failure",
		dedupeOn: "the interaction's id"},
	"paddle": {title: "Paddle", defaultEvent: "transaction.completed", timeout: 5 * time.Second,
		retry:    "Paddle retries with exponential backoff: up to 60 times over 3 days in live, 3 times in sandbox",
		verify:   "verify Paddle-Signature over ts:raw body with paddle.webhooks.unmarshal(rawBody, secret, signature)",
		dedupeOn: "the notification_id field"},
	"linear": {title: "Linear", defaultEvent: "Issue.create", timeout: 5 * time.Second,
		retry:    "Linear retries 3 times (after 1 minute, 1 hour and 6 hours), then may disable the webhook",
		verify:   "verify Linear-Signature over the raw body and webhookTimestamp within 60 s (LinearWebhookClient.verify)",
		dedupeOn: "the Linear-Delivery header"},
	"bitbucket": {title: "Bitbucket", defaultEvent: "repo:push", timeout: 10 * time.Second,
		retry:    "Bitbucket records the failed request in the webhook's history; redeliver it from there",
		verify:   "verify X-Hub-Signature (sha256=, HMAC-SHA256 of the raw body) in constant time",
		dedupeOn: "the X-Request-UUID header"},
	"zoom": {title: "Zoom", defaultEvent: "meeting.started", timeout: 3 * time.Second,
		retry:    "Zoom retries 3 times: after 5, 30 and 90 minutes",
		verify:   "verify x-zm-signature over v0:timestamp:raw body and check the timestamp's age",
		dedupeOn: "the x-zm-trackingid header"},
}

// fallbackProfile serves providers without a documented profile (an app's own sender).
var fallbackProfile = profile{timeout: 10 * time.Second,
	retry:    "whether it retries is up to the sender",
	verify:   "verify the signature over the raw body in constant time",
	dedupeOn: "the delivery id"}

// auditedProvider is a craftable provider with its profile.
type auditedProvider struct {
	replay.Provider
	prof profile
}

func providerByName(name string) (auditedProvider, bool) {
	for _, p := range replay.Providers() {
		if p.Name != strings.ToLower(name) {
			continue
		}
		prof, ok := profiles[p.Name]
		if !ok {
			prof = fallbackProfile
			prof.title, prof.defaultEvent = p.Name, p.Events[0]
		}
		return auditedProvider{Provider: p, prof: prof}, true
	}
	return auditedProvider{}, false
}

func providerNames() string {
	var names []string
	for _, p := range replay.Providers() {
		names = append(names, p.Name)
	}
	return strings.Join(names, ", ")
}
