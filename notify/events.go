package notify

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// The example events' timestamps (shown by `notify preview`).
const (
	exampleTime        = "2026-03-05T10:30:00Z"
	exampleMidnight    = "2026-03-05T00:00:00Z"
	exampleProvider    = "anthropic-primary"
	exampleBackup      = "anthropic-backup"
	exampleForwardURL  = "http://127.0.0.1:3000/hooks/github"
	exampleRouteName   = "github-pr"
	exampleTargetError = "connection refused"
)

// catalogue holds every event with its own text. Number defaults are json.Number so the bodies
// keep the catalogue's exact literals (10.0, 25.50).
var catalogue = map[string]eventSpec{
	"budget_warning": {
		fields:   []string{"period", "spent", "limit", "percent", "action", "project"},
		defaults: map[string]any{"period": "daily", "spent": json.Number("8.5"), "limit": json.Number("10.0"), "project": ""},
		example:  exampleTime,
		text: func(d map[string]any) string {
			return fmt.Sprintf("⚠️ Budget Warning: %s budget at %s%% (%s / %s)",
				str(d["period"]), oneDecimal(d["percent"]), money(d["spent"]), money(d["limit"]))
		},
	},
	"budget_exceeded": {
		fields: []string{"period", "spent", "limit", "percent", "action", "project"},
		defaults: map[string]any{"period": "monthly", "spent": json.Number("205.5"), "limit": json.Number("200.0"),
			"action": "block", "project": ""},
		example: exampleTime,
		text: func(d map[string]any) string {
			return fmt.Sprintf("🚫 Budget Exceeded: %s limit of %s reached (spent: %s). Action: %s",
				str(d["period"]), money(d["limit"]), money(d["spent"]), str(d["action"]))
		},
	},
	"provider_down": {
		fields: []string{"provider", "status", "error", "latency_ms"},
		defaults: map[string]any{"provider": exampleProvider, "status": "unhealthy", "error": "connection timeout",
			"latency_ms": json.Number("0")},
		example: exampleTime,
		text: func(d map[string]any) string {
			return fmt.Sprintf("🔴 Provider Down: %s is unhealthy. Error: %s", str(d["provider"]), str(d["error"]))
		},
	},
	"provider_up": {
		fields: []string{"provider", "status", "error", "latency_ms"},
		defaults: map[string]any{"provider": exampleProvider, "status": "healthy", "error": "",
			"latency_ms": json.Number("1250")},
		example: exampleTime,
		text: func(d map[string]any) string {
			return fmt.Sprintf("🟢 Provider Up: %s is healthy again (latency: %sms)", str(d["provider"]), integer(d["latency_ms"]))
		},
	},
	"failover": {
		fields: []string{"from_provider", "to_provider", "reason", "session_id", "route"},
		defaults: map[string]any{"from_provider": exampleProvider, "to_provider": exampleBackup,
			"reason": "rate limit exceeded", "session_id": "sess_abc123"},
		example: exampleTime,
		text: func(d map[string]any) string {
			return fmt.Sprintf("🔄 Failover: Switched from %s to %s. Reason: %s",
				str(d["from_provider"]), str(d["to_provider"]), str(d["reason"]))
		},
	},
	"daily_summary": {
		fields: []string{"date", "total_cost", "total_requests", "total_input_tokens", "total_output_tokens", "by_provider"},
		defaults: map[string]any{"date": "2026-03-04", "total_cost": json.Number("25.50"),
			"total_requests": json.Number("150"), "total_input_tokens": json.Number("125000"),
			"total_output_tokens": json.Number("35000"),
			"by_provider":         map[string]any{"anthropic": json.Number("18.20"), "openai": json.Number("7.30")}},
		example: exampleMidnight,
		text: func(d map[string]any) string {
			return fmt.Sprintf("📊 Daily Summary (%s): %s requests, %s total cost, %s input / %s output tokens",
				str(d["date"]), integer(d["total_requests"]), money(d["total_cost"]),
				integer(d["total_input_tokens"]), integer(d["total_output_tokens"]))
		},
	},
	"signature_failed": {
		fields: []string{"route", "scheme", "reason", "detail", "peer", "capture_id"},
		defaults: map[string]any{"route": exampleRouteName, "scheme": "github", "reason": "mismatch",
			"detail": "", "peer": "192.0.2.10", "capture_id": ""},
		example: exampleTime,
		text: func(d map[string]any) string {
			return fmt.Sprintf("🔐 Signature Failed: route %s rejected a %s delivery from %s (%s)",
				str(d["route"]), str(d["scheme"]), str(d["peer"]), str(d["reason"]))
		},
	},
	"target_down": {
		fields: []string{"route", "target", "success_rate", "attempts", "error"},
		defaults: map[string]any{"route": exampleRouteName, "target": exampleForwardURL,
			"success_rate": json.Number("55.0"), "attempts": json.Number("20"), "error": exampleTargetError},
		example: exampleTime,
		text: func(d map[string]any) string {
			return fmt.Sprintf("🔴 Target Down: %s (route %s) succeeded %s%% of the last %s attempts. Error: %s",
				str(d["target"]), str(d["route"]), oneDecimal(d["success_rate"]), integer(d["attempts"]), str(d["error"]))
		},
	},
	"target_up": {
		fields: []string{"route", "target", "success_rate", "attempts"},
		defaults: map[string]any{"route": exampleRouteName, "target": exampleForwardURL,
			"success_rate": json.Number("85.0"), "attempts": json.Number("20")},
		example: exampleTime,
		text: func(d map[string]any) string {
			return fmt.Sprintf("🟢 Target Up: %s (route %s) is healthy again (%s%% of the last %s attempts succeeded)",
				str(d["target"]), str(d["route"]), oneDecimal(d["success_rate"]), integer(d["attempts"]))
		},
	},
}

// routeCounters are the per-route counts of the gateway's daily summary.
var routeCounters = []string{"verified", "failed", "duplicates", "deliveries"}

// gatewaySummary is the gateway's daily_summary: per-route counts under "routes".
var gatewaySummary = eventSpec{
	fields:   []string{"date", "total_requests", "verified", "failed", "duplicates", "deliveries", "routes"},
	defaults: map[string]any{"date": "2026-03-04"},
	example:  exampleMidnight,
	text: func(d map[string]any) string {
		routes, _ := d["routes"].(map[string]any)
		return fmt.Sprintf("📊 Daily Summary (%s): %s requests on %d routes; %s verified, %s failed, %s duplicates, %s deliveries%s",
			str(d["date"]), integer(d["total_requests"]), len(routes), integer(d["verified"]), integer(d["failed"]),
			integer(d["duplicates"]), integer(d["deliveries"]), routeBreakdown(routes))
	},
}

// deriveRouteTotals sums the per-route counters into totals the caller did not give.
func deriveRouteTotals(d map[string]any) {
	routes, _ := d["routes"].(map[string]any)
	totals := map[string]float64{}
	for _, r := range routes {
		counts, _ := r.(map[string]any)
		for _, k := range append([]string{"requests"}, routeCounters...) {
			f, _ := number(counts[k])
			totals[k] += f
		}
	}
	if _, ok := d["total_requests"]; !ok {
		d["total_requests"] = json.Number(integer(totals["requests"]))
	}
	for _, k := range routeCounters {
		if _, ok := d[k]; !ok {
			d[k] = json.Number(integer(totals[k]))
		}
	}
}

// routeBreakdown lists each route's request count, busiest first, for the summary text.
func routeBreakdown(routes map[string]any) string {
	if len(routes) == 0 {
		return ""
	}
	names := make([]string, 0, len(routes))
	for name := range routes {
		names = append(names, name)
	}
	count := func(name string) float64 {
		counts, _ := routes[name].(map[string]any)
		f, _ := number(counts["requests"])
		return f
	}
	sort.Slice(names, func(i, j int) bool {
		if count(names[i]) != count(names[j]) {
			return count(names[i]) > count(names[j])
		}
		return names[i] < names[j]
	})
	parts := make([]string, len(names))
	for i, name := range names {
		parts[i] = fmt.Sprintf("%s %s", name, integer(count(name)))
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

// Colors per event: amber warnings, red failures, green recoveries, blue failovers,
// grey summaries and anything else.
const (
	ColorAmber = 0xFBBF24
	ColorRed   = 0xEF4444
	ColorGreen = 0x22C55E
	ColorBlue  = 0x3B82F6
	ColorGrey  = 0x9CA3AF
)

// Color is the Discord embed colour (0xRRGGBB) of an event.
func Color(event string) int {
	switch event {
	case "budget_warning":
		return ColorAmber
	case "budget_exceeded", "provider_down", "signature_failed", "target_down":
		return ColorRed
	case "provider_up", "target_up":
		return ColorGreen
	case "failover":
		return ColorBlue
	}
	return ColorGrey
}
