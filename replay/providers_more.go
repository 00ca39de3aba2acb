package replay

import (
	"time"
)

// The providers below sign with schemes hooktap verifies but whose deliveries look less like the
// GitHub/Stripe family: a form body (Twilio), an Ed25519 key pair (Discord), a timestamp in the
// body (Linear), a handshake event (Zoom).

var twilioSpec = providerSpec{
	Provider: Provider{Name: "twilio", Scheme: "twilio",
		Description: "Twilio SMS and voice webhooks (form body, X-Twilio-Signature over the URL)",
		Events:      []string{"message.received", "message.status", "call.incoming"}},
	form:          true,
	newDeliveryID: func() string { return "idem-" + newUUID() },
	headers: func(_, id string, _ time.Time) [][2]string {
		return [][2]string{
			{"Content-Type", "application/x-www-form-urlencoded"},
			{"Accept", "*/*"},
			{"Cache-Control", "max-age=259200"},
			{"User-Agent", "TwilioProxy/1.1"},
			{"X-Home-Region", "us1"},
			{"I-Twilio-Idempotency-Token", id},
		}
	},
	fresh: func(event, _ string, _ time.Time) []bodyField {
		if event == "call.incoming" {
			return []bodyField{{"CallSid", "CA" + newHex(16)}}
		}
		sid := "SM" + newHex(16)
		return []bodyField{{"SmsMessageSid", sid}, {"SmsSid", sid}, {"MessageSid", sid}}
	},
}

var discordSpec = providerSpec{
	Provider: Provider{Name: "discord", Scheme: "discord",
		Description: "Discord interactions and webhook events (X-Signature-Ed25519, your app's key pair)",
		Events:      []string{"ping", "application_command", "message_component", "application_authorized"}},
	newDeliveryID: newSnowflake,
	headers: func(string, string, time.Time) [][2]string {
		return [][2]string{
			{"Content-Type", "application/json"},
			{"User-Agent", "Discord-Interactions/1.0 (+https://discord.com)"},
		}
	},
	fresh: func(event, id string, now time.Time) []bodyField {
		if event == "application_authorized" {
			return []bodyField{{"event.timestamp", now.UTC().Format("2006-01-02T15:04:05.000000+00:00")}}
		}
		return []bodyField{{"id", id}, {"token", "aW50ZXJhY3Rpb246" + randomFrom(alnum, 48)}}
	},
}

var paddleSpec = providerSpec{
	Provider: Provider{Name: "paddle", Scheme: "paddle",
		Description: "Paddle Billing notifications (Paddle-Signature ts=…;h1=…)",
		Events:      []string{"transaction.completed", "transaction.paid", "subscription.created", "subscription.canceled", "customer.created"}},
	newDeliveryID: func() string { return "ntf_" + newPaddleID() },
	headers: func(string, string, time.Time) [][2]string {
		return [][2]string{{"Content-Type", "application/json"}}
	},
	fresh: func(_, id string, now time.Time) []bodyField {
		return []bodyField{{"event_id", "evt_" + newPaddleID()}, {"notification_id", id},
			{"occurred_at", now.UTC().Format("2006-01-02T15:04:05.000000Z")}}
	},
}

// linearEntity is the Linear-Event header: the entity type the event is about.
var linearEntity = map[string]string{"Issue.create": "Issue", "Issue.update": "Issue", "Comment.create": "Comment", "Project.update": "Project"}

var linearSpec = providerSpec{
	Provider: Provider{Name: "linear", Scheme: "linear",
		Description: "Linear data-change webhooks (Linear-Signature, webhookTimestamp in the body)",
		Events:      []string{"Issue.create", "Issue.update", "Comment.create", "Project.update"}},
	newDeliveryID: newUUID,
	headers: func(event, id string, _ time.Time) [][2]string {
		return [][2]string{
			{"Content-Type", "application/json; charset=utf-8"},
			{"User-Agent", "Linear-Webhook"},
			{"Linear-Delivery", id},
			{"Linear-Event", linearEntity[event]},
		}
	},
	fresh: func(_, _ string, now time.Time) []bodyField {
		ts := now.UTC().Format("2006-01-02T15:04:05.000Z")
		return []bodyField{{"createdAt", ts}, {"data.updatedAt", ts}, {"webhookTimestamp", now.UnixMilli()}}
	},
}

var bitbucketSpec = providerSpec{
	Provider: Provider{Name: "bitbucket", Scheme: "bitbucket",
		Description: "Bitbucket Cloud repository webhooks (X-Hub-Signature sha256=…)",
		Events:      []string{"repo:push", "pullrequest:created", "pullrequest:fulfilled", "repo:commit_status_updated"}},
	newDeliveryID: newUUID,
	headers: func(event, id string, _ time.Time) [][2]string {
		return [][2]string{
			{"Content-Type", "application/json"},
			{"User-Agent", "Bitbucket-Webhooks/2.0"},
			{"X-Attempt-Number", "1"},
			{"X-Event-Key", event},
			{"X-Hook-UUID", "{5c3b0e6a-1f2d-4b8e-9a7c-3d4e5f6a7b8c}"},
			{"X-Request-UUID", id},
		}
	},
}

var zoomSpec = providerSpec{
	Provider: Provider{Name: "zoom", Scheme: "zoom",
		Description: "Zoom event notifications (x-zm-signature v0=…)",
		Events:      []string{"endpoint.url_validation", "meeting.started", "meeting.ended", "meeting.participant_joined", "recording.completed"}},
	newDeliveryID: func() string { return "v=2.0&s=" + newHex(16) },
	headers: func(_, id string, _ time.Time) [][2]string {
		return [][2]string{
			{"Content-Type", "application/json; charset=utf-8"},
			{"User-Agent", "Zoom Marketplace/1.0a"},
			{"x-zm-trackingid", id},
		}
	},
	fresh: func(event, _ string, now time.Time) []bodyField {
		fields := []bodyField{{"event_ts", now.UnixMilli()}}
		if event == "endpoint.url_validation" {
			fields = append(fields, bodyField{"payload.plainToken", randomFrom(alnum+"-_", 22)})
		}
		return fields
	},
}

// newSnowflake is a Discord id: milliseconds since 2015 shifted left 22 bits, plus noise.
func newSnowflake() string {
	ms := uint64(time.Now().UnixMilli() - 1420070400000)
	b := randomBytes(3)
	return formatUint(ms<<22 | uint64(b[0])<<14 | uint64(b[1])<<6 | uint64(b[2]&0x3f))
}

// newPaddleID is the 26 lower-case base32 characters after a Paddle id's prefix.
func newPaddleID() string { return "01" + randomFrom("0123456789abcdefghjkmnpqrstvwxyz", 24) }
