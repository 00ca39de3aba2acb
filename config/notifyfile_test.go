package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestNotifyConfigFileAddsWebhooks(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "webhooks.json")
	seed := `{"webhooks":[{"id":"ops","enabled":true,"url":"https://hooks.slack.com/services/T/B/X",
  "events":["budget_warning"],"format":"auto","retry":{"max_attempts":5,"backoff":"linear"}}]}`
	if err := os.WriteFile(file, []byte(seed), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := Load(Overrides{DataDir: dir, NotifyConfig: file}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(cfg.Notify.Webhooks); n != 1 || cfg.Notify.Webhooks[0].ID != "ops" || cfg.Notify.Webhooks[0].Retry.MaxAttempts != 5 {
		t.Fatalf("webhooks %+v", cfg.Notify.Webhooks)
	}
	if err := os.WriteFile(file, []byte("{\"webhooks\":[{\"id\":\"ops\",\n\"urll\":\"x\"}]}"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = Load(Overrides{DataDir: dir, NotifyConfig: file}, nil)
	if err == nil || !strings.Contains(err.Error(), "webhooks.json:2: webhooks.0.urll: unknown key") {
		t.Fatalf("error %v", err)
	}
}
