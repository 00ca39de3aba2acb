package config

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestDefault(t *testing.T) {
	c := Default()
	checks := []struct {
		name      string
		got, want any
	}{
		{"port", c.Gateway.Port, 8644},
		{"host", c.Gateway.Host, "127.0.0.1"},
		{"enabled", c.GatewayEnabled(), true},
		{"rate_limit", c.Gateway.RateLimit, 30},
		{"max_body_bytes", c.Gateway.MaxBodyBytes, int64(1 << 20)},
		{"idempotency_ttl", c.Gateway.IdempotencyTTL.D(), time.Hour},
		{"tolerance", c.Gateway.Tolerance.D(), 5 * time.Minute},
		{"read_timeout", c.Gateway.ReadTimeout.D(), 30 * time.Second},
		{"admin", c.Admin.Addr, "127.0.0.1:8645"},
		{"max_count", c.Capture.MaxCount, 100000},
		{"max_age", c.Capture.MaxAge.D(), 30 * 24 * time.Hour},
		{"tunnel", c.Tunnel.Mode, "auto"},
		{"log format", c.Log.Format, "text"},
		{"log level", c.Log.Level, "info"},
		{"listen", c.ListenAddr(), "127.0.0.1:8644"},
	}
	for _, tc := range checks {
		if !reflect.DeepEqual(tc.got, tc.want) {
			t.Errorf("%s = %v, want %v", tc.name, tc.got, tc.want)
		}
	}
}

const everyKey = `
data_dir: /srv/hooktap
gateway:
  enabled: true
  host: 0.0.0.0
  port: 9000
  secret: global-secret
  rate_limit: 60
  max_body_bytes: 2048
  idempotency_ttl: 2h
  tolerance: 10m
  public_base_url: https://hooks.example.com
  trusted_proxies: ["10.0.0.0/8", "fd00::/8", "192.0.2.1"]
  read_timeout: 45
  routes:
    github-pr:
      description: PRs
      events: ["pull_request"]
      secret: [old, new]
      verify: github
      allowed_ips: ["192.168.1.0/24", "10.0.0.1", "2001:db8::/32"]
      prompt: "PR #{number}"
      deliver: forward
      deliver_extra:
        url: http://127.0.0.1:3000/hooks
        backup_url: https://backup.example.com/hooks
        headers: {X-Team: core}
        timeout: 15s
      deliver_only: true
      rate_limit: 5
      max_body_bytes: 4096
      idempotency_ttl: 1d
      tolerance: 1m
      signature_header: X-Sig
      timestamp_header: X-Ts
      public_url: https://hooks.example.com/webhooks/github-pr
    discord-app:
      verify: discord
      public_key: "` + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef" + `"
capture:
  path: /srv/hooktap/db.sqlite
  max_count: 500
  max_age: 1w
admin:
  addr: 127.0.0.1:9001
  token: admin-token
tunnel:
  mode: ngrok
  authtoken: tok
  url: https://my.ngrok.app
  traffic_policy: policy.yml
notify:
  webhooks:
    - id: ops
      enabled: false
      url: https://hooks.slack.com/services/x
      events: [budget_warning]
      headers: {Authorization: Bearer x}
      format: slack
      secret: sign
      signing: standard
      retry: {max_attempts: 5, backoff: linear, initial: 2s}
log:
  format: json
  level: debug
  file: /tmp/hooktap.log
`

func TestLoadEveryKey(t *testing.T) {
	c := mustLoad(t, everyKey)
	g := c.Gateway
	r, ok := c.Route("github-pr")
	if !ok {
		t.Fatal("route github-pr missing")
	}
	w := c.Notify.Webhooks[0]
	checks := []struct {
		name      string
		got, want any
	}{
		{"data_dir", c.DataDir, "/srv/hooktap"},
		{"enabled", c.GatewayEnabled(), true},
		{"listen", c.ListenAddr(), "0.0.0.0:9000"},
		{"secret", g.Secret, Secrets{"global-secret"}},
		{"rate_limit", g.RateLimit, 60},
		{"max_body_bytes", g.MaxBodyBytes, int64(2048)},
		{"idempotency_ttl", g.IdempotencyTTL.D(), 2 * time.Hour},
		{"tolerance", g.Tolerance.D(), 10 * time.Minute},
		{"public_base_url", g.PublicBaseURL, "https://hooks.example.com"},
		{"trusted_proxies", g.TrustedProxies, []string{"10.0.0.0/8", "fd00::/8", "192.0.2.1"}},
		{"read_timeout", g.ReadTimeout.D(), 45 * time.Second},
		{"route count", len(g.Routes), 2},
		{"route description", r.Description, "PRs"},
		{"route events", r.Events, []string{"pull_request"}},
		{"route secret", r.Secret, Secrets{"old", "new"}},
		{"route verify", r.Verify, "github"},
		{"route allowed_ips", len(r.AllowedIPs), 3},
		{"route prompt", r.Prompt, "PR #{number}"},
		{"route deliver", r.Deliver, "forward"},
		{"route url", r.DeliverExtra.URL, "http://127.0.0.1:3000/hooks"},
		{"route backup", r.DeliverExtra.BackupURL, "https://backup.example.com/hooks"},
		{"route headers", r.DeliverExtra.Headers, map[string]string{"X-Team": "core"}},
		{"route timeout", r.DeliverExtra.Timeout.D(), 15 * time.Second},
		{"route deliver_only", r.DeliverOnly, true},
		{"route rate_limit", *r.RateLimit, 5},
		{"route max_body", *r.MaxBodyBytes, int64(4096)},
		{"route ttl", r.IdempotencyTTL.D(), 24 * time.Hour},
		{"route tolerance", r.Tolerance.D(), time.Minute},
		{"route sig header", r.SignatureHeader, "X-Sig"},
		{"route ts header", r.TimestampHeader, "X-Ts"},
		{"route public_url", r.PublicURL, "https://hooks.example.com/webhooks/github-pr"},
		{"discord key", g.Routes[1].PublicKey[:4], "0123"},
		{"store", c.StorePath(), "/srv/hooktap/db.sqlite"},
		{"max_count", c.Capture.MaxCount, 500},
		{"max_age", c.Capture.MaxAge.D(), 7 * 24 * time.Hour},
		{"admin", c.Admin, Admin{Addr: "127.0.0.1:9001", Token: "admin-token"}},
		{"tunnel", c.Tunnel, Tunnel{Mode: "ngrok", Authtoken: "tok", URL: "https://my.ngrok.app", TrafficPolicy: "policy.yml"}},
		{"webhook id", w.ID, "ops"},
		{"webhook enabled", *w.Enabled, false},
		{"webhook url", w.URL, "https://hooks.slack.com/services/x"},
		{"webhook events", w.Events, []string{"budget_warning"}},
		{"webhook headers", w.Headers, map[string]string{"Authorization": "Bearer x"}},
		{"webhook format", w.Format, "slack"},
		{"webhook secret", w.Secret, "sign"},
		{"webhook signing", w.Signing, "standard"},
		{"webhook retry", w.Retry, Retry{MaxAttempts: 5, Backoff: "linear", Initial: Duration(2 * time.Second)}},
		{"log", c.Log, Log{Format: "json", Level: "debug", File: "/tmp/hooktap.log"}},
		{"zero config", c.ZeroConfig, false},
	}
	for _, tc := range checks {
		if !reflect.DeepEqual(tc.got, tc.want) {
			t.Errorf("%s = %#v, want %#v", tc.name, tc.got, tc.want)
		}
	}
}

func TestLoadDecodeErrors(t *testing.T) {
	tests := []struct {
		name, file, content, want string
	}{
		{"unknown top key", "config.yaml", "gatway:\n  port: 1\n", "config.yaml:1: gatway: unknown key"},
		{"unknown route key", "config.yaml", "gateway:\n  routes:\n    github-pr:\n      secret: s\n      secrt: x\n",
			"config.yaml:5: gateway.routes.github-pr.secrt: unknown key"},
		{"unknown deliver_extra key", "config.yaml", "gateway:\n  routes:\n    a:\n      secret: s\n      deliver_extra: {uri: x}\n",
			"config.yaml:5: gateway.routes.a.deliver_extra.uri: unknown key"},
		{"unknown webhook key", "config.yaml", "notify:\n  webhooks:\n    - url: http://x\n      formt: slack\n",
			"config.yaml:4: notify.webhooks.0.formt: unknown key"},
		{"int type error", "config.yaml", "gateway:\n  port: abc\n", `config.yaml:2: gateway.port: expected an integer, got "abc"`},
		{"bool type error", "config.yaml", "gateway:\n  routes:\n    a:\n      deliver_only: maybe\n",
			`config.yaml:4: gateway.routes.a.deliver_only: expected true or false, got "maybe"`},
		{"list type error", "config.yaml", "gateway:\n  routes:\n    a:\n      events: push\n",
			`config.yaml:4: gateway.routes.a.events: expected a list of strings, got "push"`},
		{"bad duration", "config.yaml", "gateway:\n  idempotency_ttl: soon\n",
			`config.yaml:2: gateway.idempotency_ttl: invalid duration "soon" (use e.g. 30s, 5m, 1h, 7d, 2w or seconds)`},
		{"secret mapping", "config.yaml", "gateway:\n  secret: {a: b}\n",
			"config.yaml:2: gateway.secret: expected a secret string or a list of secret strings"},
		{"routes as list", "config.yaml", "gateway:\n  routes: [a, b]\n",
			"config.yaml:2: gateway.routes: expected a mapping of route name to route"},
		{"section not mapping", "config.yaml", "gateway: 5\n", "config.yaml:1: gateway: expected a mapping of keys"},
		{"webhooks not list", "config.yaml", "notify:\n  webhooks: {a: 1}\n", "config.yaml:2: notify.webhooks: expected a list"},
		{"duplicate route", "config.yaml", "gateway:\n  secret: s\n  routes:\n    a: {}\n    a: {}\n", "config.yaml:5: gateway.routes.a"},
		{"yaml syntax", "config.yaml", "gateway:\n  port: [1\n", "config.yaml:"},
		{"json syntax", "config.json", "{\"gateway\": {\"port\": }}", "config.json:1: invalid JSON"},
		{"json unknown key", "config.json", "{\n  \"gateway\": {\n    \"prot\": 1\n  }\n}\n", "config.json:3: gateway.prot: unknown key"},
		{"json type error", "c.json", "{\"gateway\": {\n\"port\": \"x\"}}", `c.json:2: gateway.port: expected an integer, got "x"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := writeFile(t, tc.file, tc.content)
			_, err := Load(Overrides{ConfigFile: path}, testEnv(t, nil))
			if err == nil {
				t.Fatal("Load succeeded, want an error")
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %q does not contain %q", err, tc.want)
			}
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("error %T is not a *config.Error", err)
			}
		})
	}
}

func TestLoadCollectsEveryDecodeError(t *testing.T) {
	_, err := loadYAML(t, "gateway:\n  port: x\n  rate: 1\nlogs: {}\n", nil, Overrides{})
	for _, want := range []string{"config.yaml:2: gateway.port", "config.yaml:3: gateway.rate: unknown key", "config.yaml:4: logs: unknown key"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v does not contain %q", err, want)
		}
	}
}

func TestRouteOrderAndLines(t *testing.T) {
	c := mustLoad(t, "gateway:\n  secret: s\n  routes:\n    zeta: {}\n    alpha: {}\n    mid.dle_1-x: {}\n")
	var names []string
	var lines []int
	for _, r := range c.Gateway.Routes {
		names = append(names, r.Name)
		lines = append(lines, r.Line)
	}
	if want := []string{"zeta", "alpha", "mid.dle_1-x"}; !reflect.DeepEqual(names, want) {
		t.Errorf("order = %v, want %v", names, want)
	}
	if want := []int{4, 5, 6}; !reflect.DeepEqual(lines, want) {
		t.Errorf("lines = %v, want %v", lines, want)
	}
	if r, _ := c.Route("alpha"); r.Deliver != "log" {
		t.Errorf("default deliver = %q, want log", r.Deliver)
	}
	if _, ok := c.Route("missing"); ok {
		t.Error("Route(missing) found a route")
	}
}

func TestJSONConfig(t *testing.T) {
	content := "{\n\t\"gateway\": {\n\t\t\"secret\": [\"a\", \"b\"],\n\t\t\"idempotency_ttl\": 90,\n" +
		"\t\t\"routes\": {\"z\": {\"events\": [\"push\"]}, \"a\": {\"secret\": \"x\"}}\n\t}\n}\n"
	for _, name := range []string{"config.json", "config.yaml"} {
		t.Run(name, func(t *testing.T) {
			c, err := Load(Overrides{ConfigFile: writeFile(t, name, content)}, testEnv(t, nil))
			if err != nil {
				t.Fatal(err)
			}
			if got := []string{c.Gateway.Routes[0].Name, c.Gateway.Routes[1].Name}; !reflect.DeepEqual(got, []string{"z", "a"}) {
				t.Errorf("route order %v", got)
			}
			if c.Gateway.IdempotencyTTL.D() != 90*time.Second || len(c.Gateway.Secret) != 2 {
				t.Errorf("ttl %v secrets %v", c.Gateway.IdempotencyTTL, c.Gateway.Secret)
			}
			if c.Gateway.Routes[1].Line != 5 {
				t.Errorf("route a line = %d, want 5", c.Gateway.Routes[1].Line)
			}
		})
	}
}
