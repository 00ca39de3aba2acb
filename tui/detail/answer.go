package detail

import (
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/hooktap/hooktap/capture"
)

// Answer names the step of the gateway that answered c and why, from the status and the
// gateway's answer body: "413 · body limit: the body is over the route's max_body_bytes".
func Answer(c *capture.Capture) string {
	if c.Status == 0 {
		return "none recorded: the sender left, or hooktap stopped, before the answer"
	}
	step := answerStep(c)
	if step == "" {
		step = "answered " + http.StatusText(c.Status)
	}
	return fmt.Sprintf("%d · %s", c.Status, step)
}

// gatewayAnswer is the shape of the gateway's own answer bodies.
type gatewayAnswer struct {
	Error  string `json:"error"`
	Status string `json:"status"`
	Reason string `json:"reason"`
	Detail string `json:"detail"`
}

func answerStep(c *capture.Capture) string {
	var a gatewayAnswer
	if len(c.ResponseBody) <= 4<<10 {
		_ = json.Unmarshal(c.ResponseBody, &a)
	}
	switch c.Status {
	case http.StatusNotFound:
		if a.Error == "unknown route" {
			return fmt.Sprintf("router: no route is named %q", c.Route)
		}
		return "router: the path is not a webhook URL (/webhooks/<route>)"
	case http.StatusMethodNotAllowed:
		return "router: routes take POST only"
	case http.StatusRequestEntityTooLarge:
		return "body limit: the body is over the route's max_body_bytes"
	case http.StatusBadRequest:
		if a.Error == "incomplete body" {
			return "body read: the sender closed the connection before the body was complete"
		}
	case http.StatusForbidden:
		return "IP allow-list: the client's address is not allowed on this route"
	case http.StatusTooManyRequests:
		return "rate limit: over the route's rate_limit"
	case http.StatusUnauthorized:
		words := reasonWords[c.Verification.Reason]
		if words == "" {
			words = string(c.Verification.Reason)
		}
		return "signature verification: " + words
	case http.StatusServiceUnavailable:
		return "capture store: unavailable, so the request was refused for the sender to retry"
	case http.StatusBadGateway:
		if a.Error == "delivery failed" {
			return "delivery: the route delivers before answering, and the delivery failed"
		}
	case http.StatusAccepted:
		return "accepted: stored, delivery queued"
	case http.StatusOK:
		return okStep(a.Status)
	}
	if c.Source == capture.SourceReplay || c.Source == capture.SourceCraft {
		return "the target answered " + http.StatusText(c.Status)
	}
	return ""
}

func okStep(status string) string {
	switch status {
	case "ignored":
		return "event filter: the route does not take this event type"
	case "duplicate":
		return "idempotency: this delivery id was already taken, so it was not delivered again"
	case "delivered":
		return "delivery: delivered before answering"
	case "ok":
		return "accepted: stored (the route has no secret)"
	}
	return ""
}
