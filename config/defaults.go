package config

import (
	"net"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// Defaults of the gateway, store, notify and admin API (docs/config.md lists them).
const (
	DefaultHost           = "127.0.0.1"
	DefaultPort           = 8644
	DefaultAdminAddr      = "127.0.0.1:8645"
	DefaultRateLimit      = 30
	DefaultMaxBodyBytes   = 1 << 20
	DefaultIdempotencyTTL = time.Hour
	DefaultTolerance      = 5 * time.Minute
	DefaultReadTimeout    = 30 * time.Second
	DefaultMaxCount       = 100000
	DefaultMaxAge         = 30 * 24 * time.Hour
	DefaultMaxBytes       = 2 << 30
	DefaultDeliverTimeout = 10 * time.Second
	DefaultRetryAttempts  = 3
	DefaultRetryInitial   = time.Second
)

// Default returns a configuration holding every default and no routes.
func Default() Config {
	enabled := true
	return Config{
		Gateway: Gateway{
			Enabled:        &enabled,
			Host:           DefaultHost,
			Port:           DefaultPort,
			RateLimit:      DefaultRateLimit,
			MaxBodyBytes:   DefaultMaxBodyBytes,
			IdempotencyTTL: Duration(DefaultIdempotencyTTL),
			Tolerance:      Duration(DefaultTolerance),
			ReadTimeout:    Duration(DefaultReadTimeout),
		},
		Capture: Capture{MaxCount: DefaultMaxCount, MaxAge: Duration(DefaultMaxAge), MaxBytes: DefaultMaxBytes},
		Admin:   Admin{Addr: DefaultAdminAddr},
		Tunnel:  Tunnel{Mode: "auto"},
		Log:     Log{Format: "text", Level: "info"},
	}
}

// DefaultDataDir is $HOOKTAP_DATA_DIR, else $XDG_DATA_HOME/hooktap, else ~/.local/share/hooktap.
func DefaultDataDir(env func(string) string) string {
	if d := env("HOOKTAP_DATA_DIR"); d != "" {
		return d
	}
	if d := env("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "hooktap")
	}
	return filepath.Join(homeDir(env), ".local", "share", "hooktap")
}

// DefaultConfigFile is $XDG_CONFIG_HOME/hooktap/config.yaml, else ~/.config/hooktap/config.yaml.
func DefaultConfigFile(env func(string) string) string {
	if d := env("XDG_CONFIG_HOME"); d != "" {
		return filepath.Join(d, "hooktap", "config.yaml")
	}
	return filepath.Join(homeDir(env), ".config", "hooktap", "config.yaml")
}

// homeDir prefers $HOME from env so tests can point it at a temporary directory.
func homeDir(env func(string) string) string {
	if h := env("HOME"); h != "" {
		return h
	}
	if h, err := os.UserHomeDir(); err == nil {
		return h
	}
	return "."
}

// SubscriptionsPath is where dynamic routes (`hooktap webhook subscribe`) live.
func (c *Config) SubscriptionsPath() string { return filepath.Join(c.DataDir, "subscriptions.json") }

// ListenAddr is the public listener's host:port.
func (c *Config) ListenAddr() string {
	return net.JoinHostPort(c.Gateway.Host, strconv.Itoa(c.Gateway.Port))
}

// GatewayEnabled reports whether the public listener should start (WEBHOOK_ENABLED, gateway.enabled).
func (c *Config) GatewayEnabled() bool { return c.Gateway.Enabled == nil || *c.Gateway.Enabled }

// Route finds a route by name.
func (c *Config) Route(name string) (Route, bool) {
	for _, r := range c.Gateway.Routes {
		if r.Name == name {
			return r, true
		}
	}
	return Route{}, false
}
