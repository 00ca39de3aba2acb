package replay

import (
	"strconv"
	"time"
)

// Provider describes one provider hooktap can craft events for.
type Provider struct {
	Name   string   `json:"name"`
	Scheme string   `json:"scheme"`
	Events []string `json:"events"`
	// Description says what the provider is, for --list.
	Description string `json:"description"`
}

// providerSpec is a Provider plus what crafting one of its deliveries needs.
type providerSpec struct {
	Provider
	// indent is how the provider formats its JSON bodies ("" = compact).
	indent string
	// form means the body is application/x-www-form-urlencoded, not JSON.
	form bool
	// signatureHeader and timestampHeader name the headers of the configurable schemes.
	signatureHeader, timestampHeader string
	newDeliveryID                    func() string
	// headers returns the provider's own headers for one delivery, in the order it sends them.
	headers func(event, deliveryID string, now time.Time) [][2]string
	// fresh lists the body fields that carry an id or a time in the real payloads (nil: none).
	fresh func(event, deliveryID string, now time.Time) []bodyField
}

// bodyField is one value set in a crafted body before signing.
type bodyField struct {
	path  string
	value any
}

var providers = []providerSpec{
	githubSpec, gitlabSpec, stripeSpec, shopifySpec, slackSpec, standardSpec, twilioSpec, discordSpec,
	paddleSpec, linearSpec, bitbucketSpec, zoomSpec, costkatanaSpec,
}

func unix(t time.Time) string { return strconv.FormatInt(t.Unix(), 10) }

var githubSpec = providerSpec{
	Provider: Provider{Name: "github", Scheme: "github", Description: "GitHub repository webhooks (X-Hub-Signature-256)",
		Events: []string{"ping", "push", "pull_request", "issues", "release", "workflow_run", "issue_comment",
			"workflow_job", "check_run", "check_suite", "create", "delete", "deployment", "deployment_status", "fork",
			"pull_request_review", "pull_request_review_comment", "repository", "star", "status"}},
	newDeliveryID: newUUID,
	headers: func(event, id string, _ time.Time) [][2]string {
		return [][2]string{
			{"Accept", "*/*"},
			{"Content-Type", "application/json"},
			{"User-Agent", "GitHub-Hookshot/9c3b8f2"},
			{"X-GitHub-Delivery", id},
			{"X-GitHub-Event", event},
			{"X-GitHub-Hook-ID", "482913577"},
			{"X-GitHub-Hook-Installation-Target-ID", "703457298"},
			{"X-GitHub-Hook-Installation-Target-Type", "repository"},
		}
	},
	fresh: func(event, _ string, now time.Time) []bodyField {
		if event == "push" {
			return []bodyField{{"repository.pushed_at", now.Unix()}, {"head_commit.timestamp", now.Format(time.RFC3339)}}
		}
		ts := now.UTC().Format(time.RFC3339)
		fields := make([]bodyField, len(githubTimes[event]))
		for i, path := range githubTimes[event] {
			fields[i] = bodyField{path, ts}
		}
		return fields
	},
}

// githubTimes are the fields of each GitHub event that say when it happened.
var githubTimes = map[string][]string{
	"pull_request": {"pull_request.updated_at"}, "issues": {"issue.updated_at"},
	"issue_comment": {"comment.created_at", "comment.updated_at"}, "release": {"release.published_at"},
	"workflow_run": {"workflow_run.updated_at"}, "workflow_job": {"workflow_job.completed_at"},
	"check_run": {"check_run.completed_at"}, "check_suite": {"check_suite.updated_at"},
	"deployment":        {"deployment.created_at", "deployment.updated_at"},
	"deployment_status": {"deployment_status.created_at", "deployment_status.updated_at"},
	"fork":              {"forkee.created_at", "forkee.updated_at"}, "pull_request_review": {"review.submitted_at"},
	"pull_request_review_comment": {"comment.created_at", "comment.updated_at"},
	"star":                        {"starred_at"}, "status": {"created_at", "updated_at"},
}

var gitlabEvents = map[string]string{"push": "Push Hook", "merge_request": "Merge Request Hook"}

var gitlabSpec = providerSpec{
	Provider: Provider{Name: "gitlab", Scheme: "gitlab", Description: "GitLab project webhooks (X-Gitlab-Token)",
		Events: []string{"push", "merge_request"}},
	newDeliveryID: newUUID,
	headers: func(event, id string, _ time.Time) [][2]string {
		return [][2]string{
			{"Content-Type", "application/json"},
			{"User-Agent", "GitLab/17.6.1-ee"},
			{"Idempotency-Key", id},
			{"X-Gitlab-Event", gitlabEvents[event]},
			{"X-Gitlab-Webhook-UUID", "3f0e8a52-6b4d-4c1e-9a7f-2d5b8c9e0f13"},
			{"X-Gitlab-Instance", "https://gitlab.com"},
			{"X-Gitlab-Event-UUID", id},
		}
	},
	fresh: func(event, _ string, now time.Time) []bodyField {
		if event != "merge_request" {
			return nil
		}
		return []bodyField{{"object_attributes.updated_at", now.UTC().Format("2006-01-02 15:04:05 UTC")}}
	},
}

var stripeSpec = providerSpec{
	Provider: Provider{Name: "stripe", Scheme: "stripe", Description: "Stripe events (Stripe-Signature t=…,v1=…)",
		Events: []string{"payment_intent.succeeded", "payment_intent.payment_failed", "payment_intent.created",
			"payment_intent.canceled", "charge.succeeded", "charge.failed", "charge.refunded", "charge.dispute.created",
			"checkout.session.completed", "checkout.session.expired", "customer.created", "customer.updated",
			"customer.deleted", "customer.subscription.created", "customer.subscription.updated",
			"customer.subscription.deleted", "invoice.paid", "invoice.payment_succeeded", "invoice.payment_failed",
			"invoice.finalized"}},
	indent:        "  ",
	newDeliveryID: newStripeEventID,
	headers: func(string, string, time.Time) [][2]string {
		return [][2]string{
			{"Accept", "*/*; q=0.5, application/xml"},
			{"Cache-Control", "no-cache"},
			{"Content-Type", "application/json; charset=utf-8"},
			{"User-Agent", "Stripe/1.0 (+https://stripe.com/docs/webhooks)"},
		}
	},
	fresh: func(_, id string, now time.Time) []bodyField {
		return []bodyField{{"id", id}, {"created", now.Unix()}}
	},
}

var shopifySpec = providerSpec{
	Provider: Provider{Name: "shopify", Scheme: "shopify", Description: "Shopify Admin webhooks (X-Shopify-Hmac-Sha256)",
		Events: []string{"orders/create"}},
	newDeliveryID: newUUID,
	headers: func(event, id string, now time.Time) [][2]string {
		return [][2]string{
			{"Content-Type", "application/json"},
			{"User-Agent", "Shopify-Captain-Hook"},
			{"X-Shopify-API-Version", "2025-10"},
			{"X-Shopify-Event-Id", newUUID()},
			{"X-Shopify-Order-Id", "6112348127281"},
			{"X-Shopify-Shop-Domain", "hooktap-demo.myshopify.com"},
			{"X-Shopify-Topic", event},
			{"X-Shopify-Triggered-At", now.UTC().Format("2006-01-02T15:04:05.000000000Z")},
			{"X-Shopify-Webhook-Id", id},
		}
	},
	fresh: func(_, _ string, now time.Time) []bodyField {
		ts := now.Format(time.RFC3339)
		return []bodyField{{"created_at", ts}, {"processed_at", ts}, {"updated_at", ts}}
	},
}

var slackSpec = providerSpec{
	Provider: Provider{Name: "slack", Scheme: "slack", Description: "Slack Events API (X-Slack-Signature v0=…)",
		Events: []string{"event_callback"}},
	newDeliveryID: newSlackEventID,
	headers: func(string, string, time.Time) [][2]string {
		return [][2]string{
			{"Accept", "*/*"},
			{"Accept-Encoding", "gzip,deflate"},
			{"Content-Type", "application/json"},
			{"User-Agent", "Slackbot 1.0 (+https://api.slack.com/robots)"},
		}
	},
	fresh: func(_, id string, now time.Time) []bodyField {
		ts := unix(now) + ".000200"
		return []bodyField{{"event.ts", ts}, {"event.event_ts", ts}, {"event_id", id}, {"event_time", now.Unix()}}
	},
}

var standardSpec = providerSpec{
	Provider: Provider{Name: "standard", Scheme: "standard", Description: "Standard Webhooks / Svix (webhook-id, webhook-signature v1,…)",
		Events: []string{"generic"}},
	newDeliveryID: newStandardMsgID,
	headers: func(string, string, time.Time) [][2]string {
		return [][2]string{
			{"Content-Type", "application/json"},
			{"User-Agent", "Svix-Webhooks/1.62 (sender-hooktap; +https://www.svix.com/http-sender/)"},
		}
	},
	fresh: func(_, _ string, now time.Time) []bodyField {
		return []bodyField{{"timestamp", now.UTC().Format("2006-01-02T15:04:05.000000Z")}}
	},
}

var costkatanaSpec = providerSpec{
	Provider: Provider{Name: "costkatana", Scheme: "timestamped", Description: "Cost Katana alerts (x-costkatana-signature sha256=…)",
		Events: []string{"cost.alert", "budget.warning", "budget.exceeded"}},
	signatureHeader: "X-Costkatana-Signature",
	timestampHeader: "X-Costkatana-Timestamp",
	newDeliveryID:   newHexEventID,
	headers: func(string, string, time.Time) [][2]string {
		return [][2]string{
			{"Content-Type", "application/json"},
			{"User-Agent", "CostKatana-Webhooks/1.0"},
		}
	},
	fresh: func(_, id string, now time.Time) []bodyField {
		return []bodyField{{"event_id", id}, {"occurred_at", now.UTC().Format(time.RFC3339)}}
	},
}

// Providers lists every provider hooktap can craft for, with its scheme and events.
func Providers() []Provider {
	out := make([]Provider, len(providers))
	for i, p := range providers {
		out[i] = p.Provider
		out[i].Events = append([]string(nil), p.Events...)
	}
	return out
}

func findProvider(name string) (*providerSpec, bool) {
	for i := range providers {
		if providers[i].Name == name {
			return &providers[i], true
		}
	}
	return nil, false
}

func (p *providerSpec) hasEvent(event string) bool {
	for _, e := range p.Events {
		if e == event {
			return true
		}
	}
	return false
}

// VerifySettings returns what a receiver needs to verify provider's deliveries: its scheme and,
// for a configurable scheme, the header names the provider uses.
func VerifySettings(provider string) (scheme, signatureHeader, timestampHeader string, ok bool) {
	p, ok := findProvider(provider)
	if !ok {
		return "", "", "", false
	}
	return p.Scheme, p.signatureHeader, p.timestampHeader, true
}
