package config

import (
	"errors"
	"strings"
	"testing"
)

const discordKey = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

func TestValidateMessages(t *testing.T) {
	tests := []struct {
		name, content, want string
	}{
		{"no secret", "gateway:\n  routes:\n    github-pr:\n      events: [push]\n",
			`config.yaml:3: gateway.routes.github-pr: route "github-pr" has no secret: set gateway.routes.github-pr.secret or gateway.secret (or WEBHOOK_SECRET); use INSECURE_NO_AUTH only for tests`},
		{"empty secret", "gateway:\n  routes:\n    a: {secret: \"\"}\n", `route "a" has no secret`},
		{"unknown scheme", "gateway:\n  secret: s\n  routes:\n    a:\n      verify: gitbub\n",
			`config.yaml:5: gateway.routes.a.verify: "gitbub" is not one of github, gitlab, stripe, slack, shopify, standard, twilio, discord, paddle, linear, bitbucket, zoom, hmac, timestamped, header, none`},
		{"deliver mode", "gateway:\n  secret: s\n  routes:\n    a: {deliver: emial}\n",
			`config.yaml:4: gateway.routes.a.deliver: "emial" is not one of log, forward, slack, discord, generic, or a target hooktap records without delivering (github_comment, telegram`},
		{"forward needs url", "gateway:\n  secret: s\n  routes:\n    a:\n      deliver: forward\n",
			"config.yaml:5: gateway.routes.a.deliver_extra.url: deliver: forward needs deliver_extra.url"},
		{"generic needs url", "gateway:\n  secret: s\n  routes:\n    a: {deliver: generic}\n", "deliver: generic needs deliver_extra.url"},
		{"bad url", "gateway:\n  secret: s\n  routes:\n    a:\n      deliver: generic\n      deliver_extra:\n        url: ftp://x\n",
			`config.yaml:7: gateway.routes.a.deliver_extra.url: "ftp://x" is not an http or https URL`},
		{"bad backup url", "gateway:\n  secret: s\n  routes:\n    a: {deliver_extra: {backup_url: nohost}}\n",
			`gateway.routes.a.deliver_extra.backup_url: "nohost" is not an http or https URL`},
		{"discord no key", "gateway:\n  routes:\n    d:\n      verify: discord\n",
			"config.yaml:4: gateway.routes.d.public_key: verify: discord needs public_key, the application's 64-character hex Ed25519 key"},
		{"discord short key", "gateway:\n  routes:\n    d:\n      verify: discord\n      public_key: abcd\n",
			"config.yaml:5: gateway.routes.d.public_key: verify: discord needs public_key"},
		{"allowed ip", "gateway:\n  secret: s\n  routes:\n    a:\n      allowed_ips:\n        - 10.0.0.1\n        - 10.0.0.0/33\n",
			`config.yaml:7: gateway.routes.a.allowed_ips.1: "10.0.0.0/33" is not an IP address or CIDR range`},
		{"trusted proxy", "gateway:\n  trusted_proxies: [\"::1\", \"fe80::/129\"]\n",
			`config.yaml:2: gateway.trusted_proxies.1: "fe80::/129" is not an IP address or CIDR range`},
		{"route name", "gateway:\n  secret: s\n  routes:\n    \"a b\": {}\n",
			`config.yaml:4: gateway.routes.a b: route name "a b" may only use letters, digits, '.', '_' and '-'`},
		{"tunnel mode", "tunnel:\n  mode: on\n", `config.yaml:2: tunnel.mode: "on" is not one of auto, ngrok, off`},
		{"log format", "log:\n  format: xml\n", `config.yaml:2: log.format: "xml" is not one of text, json`},
		{"log level", "log:\n  level: loud\n", `config.yaml:2: log.level: "loud" is not one of debug, info, warn, error`},
		{"rate limit", "gateway:\n  rate_limit: 0\n", "config.yaml:2: gateway.rate_limit: must be positive, got 0"},
		{"max body", "gateway:\n  max_body_bytes: -1\n", "gateway.max_body_bytes: must be positive, got -1"},
		{"ttl", "gateway:\n  idempotency_ttl: 0\n", "gateway.idempotency_ttl: must be positive"},
		{"tolerance", "gateway:\n  tolerance: 0s\n", "gateway.tolerance: must be positive"},
		{"read timeout", "gateway:\n  read_timeout: 0\n", "gateway.read_timeout: must be positive"},
		{"port", "gateway:\n  port: 70000\n", "config.yaml:2: gateway.port: must be a port 0-65535, got 70000"},
		{"max count", "capture:\n  max_count: 0\n", "config.yaml:2: capture.max_count: must be positive"},
		{"max age", "capture:\n  max_age: 0\n", "capture.max_age: must be positive"},
		{"admin addr", "admin:\n  addr: localhost\n", `config.yaml:2: admin.addr: "localhost" is not HOST:PORT`},
		{"public base url", "gateway:\n  public_base_url: example.com\n", `gateway.public_base_url: "example.com" is not an http or https URL`},
		{"route rate limit", "gateway:\n  secret: s\n  routes:\n    a:\n      rate_limit: -3\n", "config.yaml:5: gateway.routes.a.rate_limit: must be positive, got -3"},
		{"route max body", "gateway:\n  secret: s\n  routes:\n    a: {max_body_bytes: 0}\n", "gateway.routes.a.max_body_bytes: must be positive"},
		{"route ttl", "gateway:\n  secret: s\n  routes:\n    a: {idempotency_ttl: 0}\n", "gateway.routes.a.idempotency_ttl: must be positive"},
		{"route tolerance", "gateway:\n  secret: s\n  routes:\n    a: {tolerance: 0}\n", "gateway.routes.a.tolerance: must be positive"},
		{"webhook url missing", "notify:\n  webhooks:\n    - id: x\n", "notify.webhooks.0.url: is required (an http or https URL)"},
		{"webhook url", "notify:\n  webhooks:\n    - url: mailto:x@y\n", `config.yaml:3: notify.webhooks.0.url: "mailto:x@y" is not an http or https URL`},
		{"webhook format", "notify:\n  webhooks:\n    - url: http://h\n      format: teams\n",
			`config.yaml:4: notify.webhooks.0.format: "teams" is not one of auto, slack, discord, generic`},
		{"webhook signing", "notify:\n  webhooks:\n    - url: http://h\n      signing: hmac\n",
			`notify.webhooks.0.signing: "hmac" is not one of , timestamped, standard`},
		{"webhook backoff", "notify:\n  webhooks:\n    - url: http://h\n      retry: {backoff: fibonacci}\n",
			`notify.webhooks.0.retry.backoff: "fibonacci" is not one of exponential, linear, none`},
		{"webhook attempts", "notify:\n  webhooks:\n    - url: http://h\n      retry: {max_attempts: -1}\n", "notify.webhooks.0.retry.max_attempts: must not be negative"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := loadYAML(t, tc.content, nil, Overrides{})
			if err == nil {
				t.Fatal("Load succeeded, want a validation error")
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error\n%v\ndoes not contain\n%s", err, tc.want)
			}
		})
	}
}

func TestValidateAccepts(t *testing.T) {
	tests := []struct{ name, content string }{
		{"global secret", "gateway:\n  secret: g\n  routes:\n    a: {}\n"},
		{"insecure", "gateway:\n  routes:\n    a: {secret: INSECURE_NO_AUTH}\n"},
		{"verify none", "gateway:\n  routes:\n    a: {verify: none}\n"},
		{"discord key only", "gateway:\n  routes:\n    d: {verify: discord, public_key: " + discordKey + "}\n"},
		{"every scheme", "gateway:\n  secret: s\n  routes:\n" + everyScheme()},
		{"every deliver", "gateway:\n  secret: s\n  routes:\n    a: {deliver: log}\n    b: {deliver: forward, deliver_extra: {url: \"http://127.0.0.1:1/x\"}}\n" +
			"    c: {deliver: slack, deliver_extra: {url: \"https://hooks.slack.com/x\"}}\n    d: {deliver: discord, deliver_extra: {url: \"https://discord.com/api/webhooks/1\"}}\n" +
			"    e: {deliver: generic, deliver_extra: {url: \"https://example.com\"}}\n"},
		{"ipv6 lists", "gateway:\n  secret: s\n  trusted_proxies: [\"::1\", \"2001:db8::/32\"]\n  routes:\n    a: {allowed_ips: [\"fe80::1\", \"0.0.0.0/0\"]}\n"},
		{"webhook defaults", "notify:\n  webhooks:\n    - url: https://example.com/h\n      signing: timestamped\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := loadYAML(t, tc.content, nil, Overrides{}); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func everyScheme() string {
	var b strings.Builder
	for _, s := range Schemes {
		if s == "discord" {
			b.WriteString("    r-" + s + ": {verify: discord, public_key: " + discordKey + "}\n")
			continue
		}
		b.WriteString("    r-" + s + ": {verify: " + s + "}\n")
	}
	return b.String()
}

func TestValidateReturnsEveryProblem(t *testing.T) {
	_, err := loadYAML(t, "gateway:\n  rate_limit: 0\n  routes:\n    a: {}\n    b: {verify: x}\ntunnel: {mode: y}\n", nil, Overrides{})
	joined, ok := err.(interface{ Unwrap() []error })
	if !ok {
		t.Fatalf("error %T is not a joined error", err)
	}
	if n := len(joined.Unwrap()); n != 5 {
		t.Fatalf("got %d problems, want 5:\n%v", n, err)
	}
	for _, e := range joined.Unwrap() {
		var ce *Error
		if !errors.As(e, &ce) || ce.File != "config.yaml" || ce.Line == 0 {
			t.Errorf("problem %v lacks file and line", e)
		}
	}
}

func TestValidateProgrammatic(t *testing.T) {
	c := Default()
	c.Gateway.Routes = Routes{{Name: "x"}}
	err := c.Validate()
	if err == nil || err.Error() != `gateway.routes.x: route "x" has no secret: set gateway.routes.x.secret or gateway.secret (or WEBHOOK_SECRET); use INSECURE_NO_AUTH only for tests` {
		t.Fatalf("Validate = %v", err)
	}
	c.Gateway.Routes[0].Secret = Secrets{"s"}
	if err := c.Validate(); err != nil {
		t.Fatalf("Validate = %v", err)
	}
}

func TestErrorFormat(t *testing.T) {
	tests := []struct {
		e    Error
		want string
	}{
		{Error{File: "config.yaml", Line: 12, Key: "gateway.routes.github-pr.secrt", Msg: "unknown key"}, "config.yaml:12: gateway.routes.github-pr.secrt: unknown key"},
		{Error{File: "config.yaml", Key: "a", Msg: "m"}, "config.yaml: a: m"},
		{Error{Line: 3, Msg: "m"}, "line 3: m"},
		{Error{Key: "WEBHOOK_PORT", Msg: "m"}, "WEBHOOK_PORT: m"},
	}
	for _, tc := range tests {
		if got := tc.e.Error(); got != tc.want {
			t.Errorf("Error() = %q, want %q", got, tc.want)
		}
	}
}
