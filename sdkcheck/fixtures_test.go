package sdkcheck

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
)

// fixture is one realistic delivery of a provider, as the provider would send it.
type fixture struct {
	name   string
	scheme string // hooktap's scheme name
	sdk    string // check.mjs's scheme name (svix is Standard Webhooks under svix-* headers)
	secret string
	// previous is another valid secret for the scheme, configured first to exercise rotation.
	previous  string
	publicKey string // Discord: the hex Ed25519 public key matching secret (the seed)
	body      []byte
	// url is the public URL the provider called; localURL what hooktap saw behind a tunnel.
	url, localURL string
	headers       map[string]string
}

const (
	// standardSecret is the Standard Webhooks test-vector secret (24 bytes once decoded).
	standardSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	// standardPrevious is another valid whsec_ secret: base64 of 32 ASCII bytes.
	standardPrevious = "whsec_YW5vdGhlci1yb3V0ZS1zZWNyZXQtMzItYnl0ZXMhISE="
	// discordSeed and discordPublic are RFC 8032 test 1's Ed25519 key pair.
	discordSeed   = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"
	discordPublic = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
	twilioPublic  = "https://abc123.ngrok.app/hooks/twilio"
	twilioLocal   = "http://127.0.0.1:8645/hooks/twilio"
)

// unicodeText is put into bodies so UTF-8, JSON escapes and HTML-sensitive characters are signed.
const unicodeText = `Zoë's café ✓ 🚀 \u2028 <b>&amp;</b> \"quoted\" a/b`

func jsonHeaders(extra ...string) map[string]string {
	h := map[string]string{"Content-Type": "application/json"}
	for i := 0; i+1 < len(extra); i += 2 {
		h[extra[i]] = extra[i+1]
	}
	return h
}

// fixtures returns one delivery per provider; now dates bodies that carry a timestamp (Linear).
func fixtures(now time.Time) []fixture {
	return []fixture{
		{name: "github push", scheme: "github", sdk: "github", secret: "It's a Secret to Everybody", previous: "old-github-secret",
			body: []byte(`{"ref":"refs/heads/main","head_commit":{"id":"7fd1a60b01f91b314f59955a4e4d4e80d8edf11d","message":"` + unicodeText +
				`"},"repository":{"full_name":"octo-org/hello-world"},"sender":{"login":"octocat"}}`),
			url: "https://abc123.ngrok.app/hooks/github",
			headers: jsonHeaders("X-GitHub-Event", "push", "X-GitHub-Delivery", "72d3162e-cc78-11e3-81ab-4c9367dc0958",
				"User-Agent", "GitHub-Hookshot/044aadd")},
		{name: "stripe payment_intent.succeeded", scheme: "stripe", sdk: "stripe",
			secret: "whsec_3f1c2b9a8e7d6c5b4a39281706f5e4d3c2b1a0f9e8d7c6b5", previous: "whsec_0123456789abcdef0123456789abcdef",
			body: []byte(`{"id":"evt_3PqR7sLkdIwHu7ix0vXj2Yz","object":"event","api_version":"2024-06-20","type":"payment_intent.succeeded",` +
				`"data":{"object":{"id":"pi_3PqR7sLkdIwHu7ix0","object":"payment_intent","amount":2000,"currency":"eur","description":"` + unicodeText + `"}}}`),
			url: "https://abc123.ngrok.app/hooks/stripe", headers: jsonHeaders("User-Agent", "Stripe/1.0 (+https://stripe.com/docs/webhooks)")},
		{name: "standard webhooks", scheme: "standard", sdk: "standard", secret: standardSecret, previous: standardPrevious,
			body: []byte(`{"type":"invoice.paid","timestamp":"2026-01-01T12:00:00Z","data":{"id":"inv_1","note":"` + unicodeText + `"}}`),
			url:  "https://abc123.ngrok.app/hooks/standard", headers: jsonHeaders()},
		{name: "svix", scheme: "standard", sdk: "svix", secret: standardSecret, previous: standardPrevious,
			body: []byte(`{"type":"user.created","data":{"id":"user_2Nq","name":"` + unicodeText + `"}}`),
			url:  "https://abc123.ngrok.app/hooks/clerk", headers: jsonHeaders("Svix-Id", "msg_placeholder")},
		twilioForm(), twilioJSON(),
		{name: "shopify orders/create", scheme: "shopify", sdk: "shopify", secret: "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", previous: "shpss_old",
			body: []byte(`{"id":820982911946154508,"email":"jon@example.com","total_price":"398.00","note":"` + unicodeText + `"}`),
			url:  "https://abc123.ngrok.app/hooks/shopify",
			headers: jsonHeaders("X-Shopify-Topic", "orders/create", "X-Shopify-Shop-Domain", "example.myshopify.com",
				"X-Shopify-API-Version", "2025-01", "X-Shopify-Webhook-Id", "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043")},
		{name: "slack event_callback", scheme: "slack", sdk: "slack", secret: "8f742231b10e8888abcd99yyyzzz85a5",
			body: []byte(`{"token":"Jhj5dZrVaK7ZwHHjRyZWjbDl","team_id":"T061EG9R6","type":"event_callback","event":{"type":"message","text":"` + unicodeText + `"}}`),
			url:  "https://abc123.ngrok.app/hooks/slack", headers: jsonHeaders()},
		{name: "slack slash command (form)", scheme: "slack", sdk: "slack", secret: "8f742231b10e8888abcd99yyyzzz85a5",
			body: []byte("token=gIkuvaNzQIHg97ATvDxqgjtO&team_id=T0001&command=%2Fweather&text=94070+caf%C3%A9+%E2%9C%93&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2F1234%2F5678"),
			url:  "https://abc123.ngrok.app/hooks/slack", headers: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}},
		{name: "discord ping", scheme: "discord", sdk: "discord", secret: discordSeed, publicKey: discordPublic,
			body: []byte(`{"application_id":"1234567890","id":"987654321","token":"aW50ZXJhY3Rpb24","type":1,"version":1}`),
			url:  "https://abc123.ngrok.app/hooks/discord", headers: jsonHeaders()},
		{name: "paddle transaction.completed", scheme: "paddle", sdk: "paddle", secret: "pdl_ntfset_01j0k8m2x4s5d6f7g8h9_Zx3+AbCdEfGh/Ij", previous: "pdl_ntfset_old",
			body: []byte(`{"event_id":"evt_01j0k8","event_type":"transaction.completed","occurred_at":"2026-01-01T12:00:00.000000Z","data":{"id":"txn_01","note":"` + unicodeText + `"}}`),
			url:  "https://abc123.ngrok.app/hooks/paddle", headers: jsonHeaders()},
		{name: "linear issue create", scheme: "linear", sdk: "linear", secret: "lin_wh_Q2hhbmdlTWVQbGVhc2U0MjQyNDI", previous: "lin_wh_old",
			body: []byte(fmt.Sprintf(`{"action":"create","type":"Issue","data":{"id":"2174add1-f7c8-44e3-bbf3-2d60b5ea8bc9","title":"%s"},"webhookTimestamp":%d}`,
				unicodeText, now.UnixMilli())),
			url: "https://abc123.ngrok.app/hooks/linear", headers: jsonHeaders("Linear-Delivery", "234d1a4e-b617-4388-90fe-adc3633d6b72", "Linear-Event", "Issue")},
	}
}

// twilioForm is an SMS callback: a form body signed with the public URL (query included), seen
// by hooktap on its local listener behind a tunnel.
func twilioForm() fixture {
	body := "AccountSid=AC0123456789abcdef0123456789abcdef&Body=Hello+world%21+caf%C3%A9+%E2%9C%93+a%2Bb%3Dc&From=%2B14155550100" +
		"&MediaUrl0=https%3A%2F%2Fapi.twilio.com%2Fm%3Fa%3D1%26b%3D2&NumMedia=1&Tag=zeta&Tag=alpha&Tag=zeta&To=%2B14155550199"
	return fixture{name: "twilio sms (form)", scheme: "twilio", sdk: "twilio", secret: "0123456789abcdef0123456789abcdef", previous: "fedcba9876543210",
		body: []byte(body), url: twilioPublic + "?foo=1&bar=2", localURL: twilioLocal + "?foo=1&bar=2",
		headers: map[string]string{"Content-Type": "application/x-www-form-urlencoded; charset=utf-8", "I-Twilio-Idempotency-Token": "5b4c"}}
}

// twilioJSON is a JSON callback: Twilio signs only the URL, which carries bodySHA256.
func twilioJSON() fixture {
	body := `{"event":"conversation.message.added","body":"` + unicodeText + `"}`
	sum := sha256.Sum256([]byte(body))
	query := "?bodySHA256=" + hex.EncodeToString(sum[:])
	return fixture{name: "twilio event (json)", scheme: "twilio", sdk: "twilio", secret: "0123456789abcdef0123456789abcdef", previous: "fedcba9876543210",
		body: []byte(body), url: twilioPublic + query, localURL: twilioLocal + query, headers: jsonHeaders()}
}

// publicBase is the URL configured at the provider, without its query (hooktap adds the query
// of the request it saw).
func (f fixture) publicBase() string {
	base, _, _ := strings.Cut(f.url, "?")
	return base
}

// tampered inserts a space before the body's last byte: still valid JSON, but not the signed bytes.
func tampered(body []byte) []byte {
	out := append([]byte{}, body[:len(body)-1]...)
	return append(out, ' ', body[len(body)-1])
}
