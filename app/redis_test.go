package app

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hooktap/hooktap/internal/redistest"

	"github.com/hooktap/hooktap/config"
)

// redisConfig writes a config whose gateway.redis is redisURL.
func redisConfig(t *testing.T, redisURL string) (path, dir string) {
	t.Helper()
	dir = t.TempDir()
	yaml := fmt.Sprintf("gateway:\n  secret: %s\n  redis: %q\n  routes:\n    gh: {}\n", secret, redisURL)
	path = filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	return path, dir
}

// Two `hooktap serve` apps on one Redis (gateway.redis) process one delivery id once, and each
// reports itself ready; without gateway.redis the state stays in process.
func TestTwoAppsShareRedis(t *testing.T) {
	redisURL, prefix := redistest.URL(t)
	pathA, dirA := redisConfig(t, redisURL)
	pathB, dirB := redisConfig(t, redisURL)
	a, bb := runApp(t, pathA, dirA), runApp(t, pathB, dirB)
	if a.Shared == nil || a.Shared.Prefix() != prefix {
		t.Fatalf("gateway.redis not wired: %v", a.Shared)
	}
	body := `{"zen":"hi"}`
	send := func(app *App) (int, string) {
		m := hmac.New(sha256.New, []byte(secret))
		m.Write([]byte(body))
		req, _ := http.NewRequest(http.MethodPost, "http://"+app.GatewayAddr()+"/webhooks/gh", strings.NewReader(body))
		req.Header.Set("X-GitHub-Event", "push")
		req.Header.Set("X-GitHub-Delivery", "app-d-1")
		req.Header.Set("X-Hub-Signature-256", "sha256="+hex.EncodeToString(m.Sum(nil)))
		return do(t, req)
	}
	if status, answer := send(a); status != 202 {
		t.Fatalf("first instance: %d %s", status, answer)
	}
	if status, answer := send(bb); status != 200 || answer != `{"status":"duplicate"}` {
		t.Fatalf("second instance: %d %s, want 200 duplicate", status, answer)
	}
	for _, app := range []*App{a, bb} {
		req, _ := http.NewRequest(http.MethodGet, "http://"+app.GatewayAddr()+"/ready", nil)
		if status, answer := do(t, req); status != 200 || answer != `{"status":"ready"}` {
			t.Fatalf("ready: %d %s", status, answer)
		}
	}
}

// A Redis URL go-redis refuses stops the app before anything is served, naming the key.
func TestBadRedisURLNamesTheKey(t *testing.T) {
	dir := t.TempDir()
	cfg, err := config.Load(config.Overrides{DataDir: dir, Addr: "127.0.0.1:0", AdminAddr: "127.0.0.1:0",
		Tunnel: "off", Redis: "redis://:hunter2hunter2hunter2@127.0.0.1:6379/0?bogus=1"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = New(cfg, slog.New(slog.DiscardHandler))
	if err == nil || !strings.HasPrefix(err.Error(), "gateway.redis: ") || !strings.Contains(err.Error(), "bogus") {
		t.Fatalf("got %v, want a gateway.redis error naming the option", err)
	}
	if strings.Contains(err.Error(), "hunter2") {
		t.Fatalf("the password shows: %v", err)
	}
}
