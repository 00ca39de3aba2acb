package config

import (
	"strings"
	"testing"
)

// gateway.redis comes from the file, HOOKTAP_REDIS replaces it, --redis replaces both.
func TestRedisPrecedence(t *testing.T) {
	file := "gateway:\n  redis: redis://file:6379/0\n  routes:\n    a: {secret: s}\n"
	tests := []struct {
		name string
		env  map[string]string
		ov   Overrides
		want string
	}{
		{"file", nil, Overrides{}, "redis://file:6379/0"},
		{"env", map[string]string{"HOOKTAP_REDIS": "redis://env:6379/1"}, Overrides{}, "redis://env:6379/1"},
		{"flag", map[string]string{"HOOKTAP_REDIS": "redis://env:6379/1"}, Overrides{Redis: "rediss://flag:6380/2"}, "rediss://flag:6380/2"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := loadYAML(t, file, tc.env, tc.ov)
			if err != nil {
				t.Fatal(err)
			}
			if c.Gateway.Redis != tc.want {
				t.Errorf("got %q, want %q", c.Gateway.Redis, tc.want)
			}
		})
	}
	if c := mustLoad(t, "gateway:\n  routes:\n    a: {secret: s}\n"); c.Gateway.Redis != "" {
		t.Errorf("default %q, want none (in-process state)", c.Gateway.Redis)
	}
}

// A bad Redis URL is named by its key (or the variable or flag that set it), password masked.
func TestRedisValidation(t *testing.T) {
	tests := []struct {
		name, file string
		env        map[string]string
		ov         Overrides
		want       string
	}{
		{"scheme", "gateway:\n  redis: http://cache:6379\n", nil, Overrides{},
			`config.yaml:2: gateway.redis: "http://cache:6379" is not a redis://, rediss:// or unix:// URL`},
		{"no host", "gateway:\n  redis: redis://\n", nil, Overrides{}, `gateway.redis: "redis://" names no host`},
		{"database", "gateway:\n  redis: redis://:hunter2hunter2hunter2@cache:6379/zero\n", nil, Overrides{},
			`gateway.redis: "redis://:••••@cache:6379/zero": the path must be a database number (/0), not "/zero"`},
		{"env", "", map[string]string{"HOOKTAP_REDIS": "cache:6379"}, Overrides{},
			`gateway.redis (from HOOKTAP_REDIS): "cache:6379" is not a redis://, rediss:// or unix:// URL`},
		{"flag", "", nil, Overrides{Redis: "unix://"}, `gateway.redis (from --redis): "unix://" names no socket`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := loadYAML(t, tc.file, tc.env, tc.ov)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v\nwant %s", err, tc.want)
			}
			if strings.Contains(err.Error(), "hunter2") {
				t.Fatalf("the password shows: %v", err)
			}
		})
	}
	for _, ok := range []string{"redis://127.0.0.1:6379/0", "rediss://user:pw@cache.example:6380", "unix:///run/redis.sock?db=1",
		"redis://cache/3?prefix=staging:&dial_timeout=1s"} {
		if _, err := loadYAML(t, "gateway:\n  redis: "+ok+"\n", nil, Overrides{}); err != nil {
			t.Errorf("%s refused: %v", ok, err)
		}
	}
}
