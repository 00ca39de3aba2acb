package config

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestEnvAndFlagPrecedence(t *testing.T) {
	file := "gateway:\n  port: 9000\n  host: 127.0.0.2\n  secret: file-secret\n  routes:\n    a: {}\n" +
		"admin: {addr: 127.0.0.1:7000}\ntunnel: {mode: off}\nlog: {format: text}\n"
	tests := []struct {
		name string
		env  map[string]string
		ov   Overrides
		get  func(*Config) string
		want string
	}{
		{"file port", nil, Overrides{}, (*Config).ListenAddr, "127.0.0.2:9000"},
		{"env port", map[string]string{"WEBHOOK_PORT": "9100"}, Overrides{}, (*Config).ListenAddr, "127.0.0.2:9100"},
		{"env addr", map[string]string{"HOOKTAP_ADDR": "0.0.0.0:9200", "WEBHOOK_PORT": "9100"}, Overrides{}, (*Config).ListenAddr, "0.0.0.0:9200"},
		{"flag addr", map[string]string{"HOOKTAP_ADDR": "0.0.0.0:9200"}, Overrides{Addr: "127.0.0.1:9300"}, (*Config).ListenAddr, "127.0.0.1:9300"},
		{"file secret", nil, Overrides{}, func(c *Config) string { return c.Gateway.Secret[0] }, "file-secret"},
		{"env secret", map[string]string{"WEBHOOK_SECRET": "env-secret"}, Overrides{}, func(c *Config) string { return c.Gateway.Secret[0] }, "env-secret"},
		{"env token", map[string]string{"NGROK_AUTHTOKEN": "ngrok"}, Overrides{}, func(c *Config) string { return c.Tunnel.Authtoken }, "ngrok"},
		{"file admin", nil, Overrides{}, func(c *Config) string { return c.Admin.Addr }, "127.0.0.1:7000"},
		{"env admin", map[string]string{"HOOKTAP_ADMIN_ADDR": "127.0.0.1:7100"}, Overrides{}, func(c *Config) string { return c.Admin.Addr }, "127.0.0.1:7100"},
		{"flag admin", map[string]string{"HOOKTAP_ADMIN_ADDR": "127.0.0.1:7100"}, Overrides{AdminAddr: "127.0.0.1:7200"}, func(c *Config) string { return c.Admin.Addr }, "127.0.0.1:7200"},
		{"env admin token", map[string]string{"HOOKTAP_ADMIN_TOKEN": "t"}, Overrides{}, func(c *Config) string { return c.Admin.Token }, "t"},
		{"env tunnel", map[string]string{"HOOKTAP_TUNNEL": "ngrok"}, Overrides{}, func(c *Config) string { return c.Tunnel.Mode }, "ngrok"},
		{"flag tunnel", map[string]string{"HOOKTAP_TUNNEL": "ngrok"}, Overrides{Tunnel: "auto"}, func(c *Config) string { return c.Tunnel.Mode }, "auto"},
		{"env log", map[string]string{"HOOKTAP_LOG_FORMAT": "json"}, Overrides{}, func(c *Config) string { return c.Log.Format }, "json"},
		{"flag log", map[string]string{"HOOKTAP_LOG_FORMAT": "json"}, Overrides{LogFormat: "text"}, func(c *Config) string { return c.Log.Format }, "text"},
		{"flag log file", nil, Overrides{LogFile: "/tmp/x.log"}, func(c *Config) string { return c.Log.File }, "/tmp/x.log"},
		{"flag debug", nil, Overrides{Debug: true}, func(c *Config) string { return c.Log.Level }, "debug"},
		{"env data dir", map[string]string{"HOOKTAP_DATA_DIR": "/env/data"}, Overrides{}, func(c *Config) string { return c.DataDir }, "/env/data"},
		{"flag data dir", map[string]string{"HOOKTAP_DATA_DIR": "/env/data"}, Overrides{DataDir: "/flag/data"}, (*Config).StorePath, filepath.Join("/flag/data", "hooktap.db")},
		{"gateway on", nil, Overrides{}, func(c *Config) string { return boolText(c.GatewayEnabled()) }, "true"},
		{"gateway off", map[string]string{"WEBHOOK_ENABLED": "false"}, Overrides{}, func(c *Config) string { return boolText(c.GatewayEnabled()) }, "false"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := loadYAML(t, file, tc.env, tc.ov)
			if err != nil {
				t.Fatal(err)
			}
			if got := tc.get(c); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func boolText(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

func TestEnvErrors(t *testing.T) {
	tests := []struct {
		env  map[string]string
		ov   Overrides
		want string
	}{
		{map[string]string{"WEBHOOK_ENABLED": "maybe"}, Overrides{}, `WEBHOOK_ENABLED: expected true or false, got "maybe"`},
		{map[string]string{"WEBHOOK_PORT": "http"}, Overrides{}, `WEBHOOK_PORT: expected a port 0-65535, got "http"`},
		{map[string]string{"WEBHOOK_PORT": "70000"}, Overrides{}, "WEBHOOK_PORT"},
		{map[string]string{"HOOKTAP_ADDR": "nohost"}, Overrides{}, `HOOKTAP_ADDR: "nohost" is not HOST:PORT`},
		{nil, Overrides{Addr: "127.0.0.1:x"}, `--addr: "127.0.0.1:x" has an invalid port`},
		{map[string]string{"HOOKTAP_TUNNEL": "always"}, Overrides{}, `tunnel.mode (from HOOKTAP_TUNNEL): "always" is not one of auto, ngrok, off`},
		{nil, Overrides{LogFormat: "xml"}, `log.format (from --log-format): "xml" is not one of text, json`},
		{map[string]string{"HOOKTAP_ADMIN_ADDR": "8645"}, Overrides{}, `admin.addr (from HOOKTAP_ADMIN_ADDR): "8645" is not HOST:PORT`},
	}
	for _, tc := range tests {
		_, err := loadYAML(t, "tunnel: {mode: off}\n", tc.env, tc.ov)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("env %v flags %+v: error %v, want %q", tc.env, tc.ov, err, tc.want)
		}
	}
}

func TestConfigFileResolution(t *testing.T) {
	xdg := t.TempDir()
	writeAt(t, filepath.Join(xdg, "hooktap", "config.yaml"), "gateway: {port: 9001, secret: s, routes: {x: {}}}\n")
	home := t.TempDir()
	writeAt(t, filepath.Join(home, ".config", "hooktap", "config.yaml"), "gateway: {port: 9002}\n")
	named := writeFile(t, "named.yaml", "gateway: {port: 9003}\n")
	tests := []struct {
		name string
		env  map[string]string
		ov   Overrides
		port int
		err  string
	}{
		{"xdg", map[string]string{"XDG_CONFIG_HOME": xdg}, Overrides{}, 9001, ""},
		{"home", map[string]string{"HOME": home}, Overrides{}, 9002, ""},
		{"env file", map[string]string{"HOOKTAP_CONFIG": named, "XDG_CONFIG_HOME": xdg}, Overrides{}, 9003, ""},
		{"flag file", map[string]string{"HOOKTAP_CONFIG": "/nope.yaml"}, Overrides{ConfigFile: named}, 9003, ""},
		{"absent default", map[string]string{"XDG_CONFIG_HOME": t.TempDir()}, Overrides{}, 8644, ""},
		{"missing named", nil, Overrides{ConfigFile: filepath.Join(t.TempDir(), "gone.yaml")}, 0, "gone.yaml: cannot read config file"},
		{"missing env file", map[string]string{"HOOKTAP_CONFIG": "/no/such/hooktap.yaml"}, Overrides{}, 0, "hooktap.yaml: cannot read config file"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Load(tc.ov, testEnv(t, tc.env))
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.Gateway.Port != tc.port {
				t.Errorf("port %d, want %d", c.Gateway.Port, tc.port)
			}
		})
	}
}

func TestDataDirs(t *testing.T) {
	tests := []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"HOOKTAP_DATA_DIR": "/d", "XDG_DATA_HOME": "/x"}, "/d"},
		{map[string]string{"XDG_DATA_HOME": "/x"}, filepath.Join("/x", "hooktap")},
		{map[string]string{"HOME": "/home/u"}, filepath.Join("/home/u", ".local", "share", "hooktap")},
	}
	for _, tc := range tests {
		env := func(k string) string { return tc.env[k] }
		if got := DefaultDataDir(env); got != tc.want {
			t.Errorf("DefaultDataDir(%v) = %q, want %q", tc.env, got, tc.want)
		}
	}
	if got := DefaultConfigFile(func(k string) string { return map[string]string{"HOME": "/h"}[k] }); got != filepath.Join("/h", ".config", "hooktap", "config.yaml") {
		t.Errorf("DefaultConfigFile = %q", got)
	}
	c, err := Load(Overrides{}, testEnv(t, map[string]string{"XDG_DATA_HOME": "/xdg"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.DataDir != filepath.Join("/xdg", "hooktap") || c.StorePath() != filepath.Join("/xdg", "hooktap", "hooktap.db") {
		t.Errorf("DataDir %q StorePath %q", c.DataDir, c.StorePath())
	}
	if c.SubscriptionsPath() != filepath.Join("/xdg", "hooktap", "subscriptions.json") {
		t.Errorf("SubscriptionsPath %q", c.SubscriptionsPath())
	}
}
