package config

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// loadSeed loads one of the example files of testdata/formats with env vars.
func loadSeed(t *testing.T, name string, env map[string]string) (*Config, error) {
	t.Helper()
	return Load(Overrides{ConfigFile: filepath.Join("testdata", "formats", name)}, testEnv(t, env))
}

func mustSeed(t *testing.T, name string) *Config {
	t.Helper()
	c, err := loadSeed(t, name, nil)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return c
}

// noteAt finds the note whose key ends with suffix.
func noteAt(c *Config, suffix string) (Note, bool) {
	for _, n := range c.Notes {
		if strings.HasSuffix(n.Key, suffix) {
			return n, true
		}
	}
	return Note{}, false
}

func TestHermesConfigMapsRoutes(t *testing.T) {
	c := mustSeed(t, "hermes/config.yaml")
	if c.Format != FormatHermes || c.Gateway.Port != 8644 || c.Gateway.Secret[0] != "global-fallback-secret" {
		t.Fatalf("format %q port %d secret %v", c.Format, c.Gateway.Port, c.Gateway.Secret)
	}
	pr, ok := c.Route("github-pr")
	if !ok || pr.Line != 8 || pr.Deliver != "github_comment" || !slices.Equal(pr.Events, []string{"pull_request"}) {
		t.Fatalf("github-pr = %+v", pr)
	}
	if !strings.HasPrefix(pr.Prompt, "Review this pull request:\nRepository: {repository.full_name}\n") || !strings.HasSuffix(pr.Prompt, "Action: {action}\n") {
		t.Errorf("prompt = %q", pr.Prompt)
	}
	if pr.DeliverExtra.Params["repo"] != "{repository.full_name}" || pr.DeliverExtra.Params["pr_number"] != "{number}" {
		t.Errorf("deliver_extra params = %v", pr.DeliverExtra.Params)
	}
	if pr.NotDelivered() != "not delivered by hooktap" {
		t.Errorf("github_comment note = %q", pr.NotDelivered())
	}
	skills, ok := noteAt(c, "routes.github-pr.skills")
	if !ok || skills.Line != 19 || skills.Kind != NoteIgnored || skills.Key != "platforms.webhook.extra.routes.github-pr.skills" {
		t.Errorf("skills note = %+v (%v)", skills, ok)
	}
	tg, ok := noteAt(c, "routes.deploy-notify.deliver")
	if !ok || tg.Line != 28 || tg.Kind != NoteNotDelivered || !strings.Contains(tg.Msg, "telegram: not delivered by hooktap") {
		t.Errorf("telegram note = %+v (%v)", tg, ok)
	}
	if c.DynamicRoutesFile != filepath.Join("testdata", "formats", "hermes", HermesSubscriptionsFile) {
		t.Errorf("dynamic routes file = %q", c.DynamicRoutesFile)
	}
}

func TestHermesEnvAndLimits(t *testing.T) {
	c, err := loadSeed(t, "hermes/gitlab.yaml", map[string]string{"WEBHOOK_PORT": "9100", "WEBHOOK_SECRET": "from-env"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Gateway.Port != 9100 || c.Gateway.Secret[0] != "from-env" {
		t.Errorf("env not applied: port %d secret %v", c.Gateway.Port, c.Gateway.Secret)
	}
	if r, _ := c.Route("gitlab-mr"); r.Deliver != "log" || r.NotDelivered() != "" {
		t.Errorf("gitlab-mr deliver %q note %q", r.Deliver, r.NotDelivered())
	}
	if c := mustSeed(t, "hermes/rate-limit.yaml"); c.Gateway.RateLimit != 60 || !c.ZeroConfig {
		t.Errorf("rate_limit = %d, zero config %v", c.Gateway.RateLimit, c.ZeroConfig)
	}
	if c := mustSeed(t, "hermes/body-limit.yaml"); c.Gateway.MaxBodyBytes != 2097152 {
		t.Errorf("max_body_bytes = %d", c.Gateway.MaxBodyBytes)
	}
}

func TestHermesRouteWithoutSecretNamesHermesKeys(t *testing.T) {
	_, err := loadSeed(t, "hermes/forum-topic.yaml", nil)
	want := `forum-topic.yaml:3: webhooks.routes.alerts: route "alerts" has no secret: set webhooks.routes.alerts.secret or webhooks.secret`
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("err = %v, want %q", err, want)
	}
	c, err := loadSeed(t, "hermes/forum-topic.yaml", map[string]string{"WEBHOOK_SECRET": "s"})
	if err != nil {
		t.Fatal(err)
	}
	if r, _ := c.Route("alerts"); r.DeliverExtra.Params["message_thread_id"] != "42" || r.Prompt != "Alert: {__raw__}" {
		t.Errorf("alerts = %+v", r)
	}
}

func TestForeignUnknownKeysAreErrors(t *testing.T) {
	tests := []struct{ name, file, body, want string }{
		{"hermes route", "config.yaml", "platforms:\n  webhook:\n    extra:\n      secret: s\n      routes:\n        a:\n          promt: x\n",
			"config.yaml:7: platforms.webhook.extra.routes.a.promt: unknown key"},
		{"hermes extra", "config.yaml", "platforms:\n  webhook:\n    extra:\n      prot: 1\n", "config.yaml:4: platforms.webhook.extra.prot: unknown key"},
		{"clawdbot incoming", "c.json", "{\"webhooks\": {\"incoming\": {\n\"secrt\": \"x\"}}}", "c.json:2: webhooks.incoming.secrt: unknown key"},
		{"clawdbot handler", "c.json", "{\"webhooks\": {\"handlers\": [{\"id\": \"a\",\n\"acton\": \"forward\"}]}}", "c.json:2: webhooks.handlers.0.acton: unknown key"},
		{"greentic", "a.json", "{\"events-webhook\": {\n\"secret\": \"x\"}}", "a.json:2: events-webhook.secret: unknown key"},
		{"greentic signature", "a.json", "{\"events-webhook\": {\"signatures\": {\"github\": {\n\"hdr\": \"x\"}}}}", "a.json:2: events-webhook.signatures.github.hdr: unknown key"},
		{"gozen", "w.json", "{\"webhooks\": [{\"url\": \"https://x.example\",\n\"evnts\": []}]}", "w.json:2: webhooks.0.evnts: unknown key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(Overrides{ConfigFile: writeFile(t, tt.file, tt.body)}, testEnv(t, nil))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestForeignOtherSettingsAreListedNotErrors(t *testing.T) {
	body := "model: gpt\nplatforms:\n  telegram:\n    enabled: true\n  webhook:\n    enabled: true\n    extra:\n      secret: s\n      routes:\n        a: {cron_job: nightly}\n"
	c, err := Load(Overrides{ConfigFile: writeFile(t, "config.yaml", body)}, testEnv(t, nil))
	if err != nil {
		t.Fatal(err)
	}
	for key, line := range map[string]int{"model": 1, "platforms.telegram": 3, "platforms.webhook.extra.routes.a.cron_job": 10} {
		n, ok := noteAt(c, key)
		if !ok || n.Line != line || n.Kind != NoteIgnored {
			t.Errorf("%s: note %+v (%v), want line %d", key, n, ok, line)
		}
	}
}

func TestClawdbotIncomingIsACatchAllHeaderRoute(t *testing.T) {
	c := mustSeed(t, "clawdbot/incoming.json")
	r, ok := c.Route(c.Gateway.CatchAll)
	if c.Format != FormatClawdbot || !ok || c.Gateway.Port != 3011 || r.Verify != "header" || r.Effective(c.Gateway).Secrets[0].Value != "your-webhook-secret" {
		t.Fatalf("format %q catch-all %q port %d route %+v", c.Format, c.Gateway.CatchAll, c.Gateway.Port, r)
	}
	c = mustSeed(t, "clawdbot/secret.json")
	if r, _ := c.Route("incoming"); r.SignatureHeader != "X-Webhook-Secret" {
		t.Errorf("secretHeader not mapped: %+v", r)
	}
	_, err := loadSeed(t, "clawdbot/allowed-ips.json", map[string]string{"WEBHOOK_SECRET": "s"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = loadSeed(t, "clawdbot/allowed-ips.json", nil)
	if err == nil || !strings.Contains(err.Error(), "allowed-ips.json:3: webhooks.incoming: ") || !strings.Contains(err.Error(), "set webhooks.incoming.secret") {
		t.Errorf("no secret: err = %v", err)
	}
}

func TestClawdbotHandlersAndOutgoing(t *testing.T) {
	c, err := loadSeed(t, "clawdbot/github.json", map[string]string{"WEBHOOK_SECRET": "s"})
	if err != nil {
		t.Fatal(err)
	}
	r, ok := c.Route("github")
	if !ok || r.Deliver != "send_message" || r.Prompt != "🔔 {{event.action}}: {{event.pull_request.title}}" || r.DeliverExtra.Params["peer"] != "dev-channel" {
		t.Fatalf("github handler = %+v", r)
	}
	c, err = loadSeed(t, "clawdbot/alerts.json", map[string]string{"WEBHOOK_SECRET": "s"})
	if err != nil {
		t.Fatal(err)
	}
	if r, _ := c.Route("alerts"); r.NotDelivered() != "not run by hooktap" || r.DeliverExtra.Params["agentId"] != "oncall" {
		t.Errorf("alerts = %+v", r)
	}
	c = mustSeed(t, "clawdbot/outgoing.json")
	w := c.Notify.Webhooks[0]
	if w.ID != "slack-notify" || !slices.Equal(w.Events, []string{"message_received", "agent_response"}) || w.Retry.MaxAttempts != DefaultRetryAttempts {
		t.Errorf("outgoing = %+v", w)
	}
	_, err = loadSeed(t, "clawdbot/retry.json", nil)
	if err == nil || !strings.Contains(err.Error(), "retry.json:4: webhooks.outgoing.0.url: is required") {
		t.Errorf("retry excerpt without url: %v", err)
	}
	_, err = loadSeed(t, "clawdbot/session.json", map[string]string{"WEBHOOK_SECRET": "s"})
	if err == nil || !strings.Contains(err.Error(), "webhooks.handlers.0.action: expected one of") {
		t.Errorf("handler without action: %v", err)
	}
}

func TestGreenticSignatures(t *testing.T) {
	c := mustSeed(t, "greentic/signatures.json")
	r, ok := c.Route(c.Gateway.CatchAll)
	if c.Format != FormatGreentic || !ok || c.Gateway.PublicBaseURL != "https://your-domain.com" || len(r.Signatures) != 2 {
		t.Fatalf("format %q route %+v", c.Format, r)
	}
	gh, st := r.Signatures[0], r.Signatures[1]
	if gh.Name != "github" || gh.Verify != "github" || gh.Secret[0] != "your-github-secret" || st.Verify != "stripe" || st.Secret[0] != "whsec_xxx" {
		t.Errorf("signatures = %+v", r.Signatures)
	}
	c = mustSeed(t, "greentic/answers.json")
	r, _ = c.Route(greenticRoute)
	if n, ok := noteAt(c, "events-webhook"); !r.Effective(c.Gateway).Insecure || !ok || n.Line != 2 || n.Kind != NoteDiffers {
		t.Errorf("no secrets: route %+v note %+v", r, n)
	}
}

func TestGozenFileAsConfig(t *testing.T) {
	c := mustSeed(t, "gozen/conditional.json")
	if c.Format != FormatGozen || len(c.Notify.Webhooks) != 3 || !c.ZeroConfig {
		t.Fatalf("format %q webhooks %d", c.Format, len(c.Notify.Webhooks))
	}
	if !slices.Equal(c.Notify.Webhooks[2].Events, []string{"failover", "provider_up"}) {
		t.Errorf("third webhook events = %v", c.Notify.Webhooks[2].Events)
	}
	h := mustSeed(t, "gozen/headers.json").Notify.Webhooks[0].Headers
	if h["X-API-Key"] != "your-api-key" || h["X-Webhook-Source"] != "gozen" || h["Authorization"] != "Bearer YOUR_SECRET_TOKEN" {
		t.Errorf("headers = %v", h)
	}
}

func TestForcedFormat(t *testing.T) {
	path := filepath.Join("testdata", "formats", "gozen", "headers.json")
	_, err := Load(Overrides{ConfigFile: path, ConfigFormat: FormatHooktap}, testEnv(t, nil))
	if err == nil || !strings.Contains(err.Error(), "headers.json:2: webhooks: unknown key") {
		t.Errorf("forced hooktap: %v", err)
	}
	_, err = Load(Overrides{ConfigFile: path, ConfigFormat: "yaml"}, testEnv(t, nil))
	if err == nil || !strings.Contains(err.Error(), "--config-format") {
		t.Errorf("bad format: %v", err)
	}
}

func TestHermesDotenvBesideTheConfig(t *testing.T) {
	dir := t.TempDir()
	writeAt(t, filepath.Join(dir, "config.yaml"), "platforms:\n  webhook:\n    extra:\n      routes:\n        a: {events: [push]}\n")
	writeAt(t, filepath.Join(dir, ".env"), "OPENROUTER_API_KEY=sk-or-x\nWEBHOOK_ENABLED=true\nWEBHOOK_PORT=8650 # default\nexport WEBHOOK_SECRET=\"your-global-secret\"\n")
	c, err := Load(Overrides{ConfigFile: filepath.Join(dir, "config.yaml")}, testEnv(t, nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.Gateway.Port != 8650 || c.Gateway.Secret[0] != "your-global-secret" || c.setBy["gateway.secret"] != "WEBHOOK_SECRET in .env" {
		t.Errorf("port %d secret %v set by %q", c.Gateway.Port, c.Gateway.Secret, c.setBy["gateway.secret"])
	}
	c, err = Load(Overrides{ConfigFile: filepath.Join(dir, "config.yaml")}, testEnv(t, map[string]string{"WEBHOOK_SECRET": "exported"}))
	if err != nil || c.Gateway.Secret[0] != "exported" {
		t.Errorf("the environment must win over .env: %v %v", c.Gateway.Secret, err)
	}
	writeAt(t, filepath.Join(dir, ".env"), "WEBHOOK_PORT=eighty\n")
	_, err = Load(Overrides{ConfigFile: filepath.Join(dir, "config.yaml")}, testEnv(t, nil))
	if err == nil || !strings.Contains(err.Error(), "WEBHOOK_PORT in .env: expected a port") {
		t.Errorf("a bad .env value: %v", err)
	}
}

func TestNativeDropinKeys(t *testing.T) {
	c := mustLoad(t, `gateway:
  secret: s
  catch_all: any
  routes:
    any: {deliver: telegram, deliver_extra: {params: {chat_id: "{chat.id}"}}}
    chat: {deliver: slack}
    multi:
      signatures:
        - {name: gh, verify: github, secret: a}
        - {name: tok, verify: header, secret: b, signature_header: X-Token}
`)
	if n, ok := noteAt(c, "routes.chat.deliver"); !ok || n.Line != 6 || !strings.Contains(n.Msg, "set deliver_extra.url") {
		t.Errorf("slack without a URL: %+v (%v)", n, ok)
	}
	if n, ok := noteAt(c, "routes.any.deliver"); !ok || !strings.Contains(n.Msg, "(with chat_id rendered)") {
		t.Errorf("telegram: %+v (%v)", n, ok)
	}
	if got := CredentialHeaders(c.Gateway.Routes); !slices.Contains(got, "X-Token") {
		t.Errorf("a rule's token header is not masked: %v", got)
	}
	for body, want := range map[string]string{
		"gateway:\n  secret: s\n  catch_all: nope\n  routes:\n    a: {}\n":                                                    `config.yaml:3: gateway.catch_all: "nope" is not a configured route`,
		"gateway:\n  routes:\n    a:\n      secret: s\n      signatures: [{name: x, verify: github, secret: t}]\n":            "a route with signatures takes its schemes and secrets from them",
		"gateway:\n  routes:\n    a:\n      signatures:\n        - {name: x, verify: none, secret: t}\n        - {name: y}\n": "gateway.routes.a.signatures.1.secret: signature rule \"y\" has no secret",
	} {
		_, err := loadYAML(t, body, nil, Overrides{})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: err = %v, want %q", body, err, want)
		}
	}
}
