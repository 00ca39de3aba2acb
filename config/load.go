package config

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v4"
)

// Overrides are the command-line flags; a non-empty field wins over env and file.
type Overrides struct {
	ConfigFile string
	DataDir    string
	// Store is the capture store's URL (--store).
	Store     string
	Addr      string
	AdminAddr string
	Tunnel    string
	LogFormat string
	LogFile   string
	Debug     bool
	// NotifyConfig is a JSON (or YAML) file of outgoing webhooks: {"webhooks":[…]}.
	NotifyConfig string
	// ConfigFormat forces the config file's format (one of Formats) instead of recognising it
	// by its shape.
	ConfigFormat string
	// Forward makes the zero-config route forward to an app (--forward-to).
	Forward Forward
	// Redis is --redis: the shared state of several instances (gateway.redis).
	Redis string
}

// Load builds the configuration: defaults, then the file, then env, then flags, then Validate.
// env is usually os.Getenv; every error is an *Error or an errors.Join of them.
func Load(ov Overrides, env func(string) string) (*Config, error) {
	if env == nil {
		env = func(string) string { return "" }
	}
	cfg := Default()
	path, explicit := configPath(ov, env)
	cfg.searched = path
	if err := cfg.loadFile(path, explicit, ov.ConfigFormat); err != nil {
		return nil, err
	}
	var fromDotenv []string
	if cfg.Format == FormatHermes {
		env, fromDotenv = hermesDotenv(cfg.File, env)
	}
	if err := cfg.applyEnv(env); err != nil {
		return nil, inDotenv(err, fromDotenv)
	}
	for _, k := range fromDotenv {
		for key, src := range cfg.setBy {
			if src == k {
				cfg.setBy[key] = k + " in .env"
			}
		}
	}
	if err := cfg.applyOverrides(ov); err != nil {
		return nil, err
	}
	if err := cfg.loadNotifyFile(ov.NotifyConfig); err != nil {
		return nil, err
	}
	if cfg.DataDir == "" {
		cfg.DataDir = DefaultDataDir(env)
	}
	cfg.fillImplicit()
	cfg.deliveryNotes()
	cfg.applyZeroConfig()
	if err := cfg.applyForward(ov.Forward); err != nil {
		return nil, err
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &cfg, nil
}

// inDotenv names .env as the source of the env problems whose variable came from it.
func inDotenv(err error, fromDotenv []string) error {
	joined, ok := err.(interface{ Unwrap() []error })
	if !ok {
		return err
	}
	for _, e := range joined.Unwrap() {
		var ce *Error
		if errors.As(e, &ce) && slices.Contains(fromDotenv, ce.Key) {
			ce.Key += " in .env"
		}
	}
	return err
}

// configPath picks the file to read and whether the user named it (then it must exist).
func configPath(ov Overrides, env func(string) string) (string, bool) {
	if ov.ConfigFile != "" {
		return ov.ConfigFile, true
	}
	if p := env("HOOKTAP_CONFIG"); p != "" {
		return p, true
	}
	return DefaultConfigFile(env), false
}

// loadFile reads and decodes the config file; a missing default file means zero config.
func (c *Config) loadFile(path string, explicit bool, format string) error {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) && !explicit {
		return nil
	}
	if err != nil {
		return &Error{File: path, Msg: "cannot read config file: " + unwrapPathError(err)}
	}
	c.File = path
	return c.decode(data, path, format)
}

// unwrapPathError drops the path the *fs.PathError repeats, since Error already names the file.
func unwrapPathError(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// decode parses YAML or JSON (YAML is a superset, so one parser keeps line numbers for both),
// recognises the format by its shape unless one is forced, and reads it into c.
func (c *Config) decode(data []byte, file, format string) error {
	root, err := parseDocument(data, file)
	if err != nil || root == nil {
		c.Format = FormatHooktap
		return err
	}
	if format == "" {
		format = detectFormat(root)
	}
	c.Format = format
	name := filepath.Base(file)
	if format == FormatHooktap {
		d := &decoder{file: name, lines: map[string]int{}}
		errs := d.node(root, reflect.ValueOf(c).Elem(), "")
		c.lines = d.lines
		return errors.Join(errs...)
	}
	adapt, ok := adapters[format]
	if !ok {
		return &Error{Key: "--config-format", Msg: fmt.Sprintf("%q is not one of %s", format, strings.Join(Formats, ", "))}
	}
	d := &decoder{file: name, lines: map[string]int{}}
	return adapt(c, d, root, file)
}

// adapters read each foreign format's parsed file into the Config.
var adapters = map[string]func(c *Config, d *decoder, root *yaml.Node, path string) error{
	FormatHermes: readHermes, FormatClawdbot: readClawdbot, FormatGreentic: readGreentic, FormatGozen: readGozen,
}

// decodeInto decodes one YAML (or JSON) document into target, refusing unknown keys; errors name
// the file, line and dotted key. It returns the line of every key it saw.
func decodeInto(data []byte, file string, target reflect.Value) (map[string]int, error) {
	root, err := parseDocument(data, file)
	if err != nil || root == nil {
		return nil, err
	}
	d := &decoder{file: filepath.Base(file), lines: map[string]int{}}
	if errs := d.node(root, target, ""); len(errs) > 0 {
		return d.lines, errors.Join(errs...)
	}
	return d.lines, nil
}

// parseDocument parses one YAML (or JSON) document; nil for a file with nothing in it.
func parseDocument(data []byte, file string) (*yaml.Node, error) {
	name := filepath.Base(file)
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, nil
	}
	switch {
	case json.Valid(data):
		// Tabs are valid JSON whitespace but not YAML indentation; inside valid JSON strings
		// they are always escaped, so turning raw tabs into spaces changes no value or line.
		data = bytes.ReplaceAll(data, []byte("\t"), []byte(" "))
	case strings.HasSuffix(strings.ToLower(file), ".json"):
		// The YAML parser accepts some invalid JSON; a .json file is held to JSON's rules.
		return nil, jsonSyntax(data, name)
	}
	loader, err := yaml.NewLoader(bytes.NewReader(data))
	if err != nil {
		return nil, syntaxError(err, name, data)
	}
	var root yaml.Node
	if err := loader.Load(&root); errors.Is(err, io.EOF) {
		return nil, nil // only comments: the same as an empty file
	} else if err != nil {
		return nil, syntaxError(err, name, data)
	}
	var extra yaml.Node
	if err := loader.Load(&extra); !errors.Is(err, io.EOF) {
		return nil, &Error{File: name, Line: extra.Line, Msg: "a config file holds one YAML document; remove the extra '---' section"}
	}
	return &root, nil
}

// loadNotifyFile adds the webhooks of a --notify-config file ({"webhooks":[…]}).
func (c *Config) loadNotifyFile(path string) error {
	if path == "" {
		return nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return &Error{File: filepath.Base(path), Msg: "cannot read the notify config: " + unwrapPathError(err)}
	}
	var n Notify
	if _, err := decodeInto(data, path, reflect.ValueOf(&n).Elem()); err != nil {
		return err
	}
	c.Notify.Webhooks = append(c.Notify.Webhooks, n.Webhooks...)
	return nil
}

// syntaxError reports a parse failure with the line the library found it on.
func syntaxError(err error, file string, data []byte) error {
	msg := err.Error()
	line := 0
	if _, rest, ok := strings.Cut(msg, "line "); ok {
		digits, _, _ := strings.Cut(rest, ":")
		line, _ = strconv.Atoi(digits)
	}
	kind := "invalid YAML"
	if isJSON(data, file) {
		kind = "invalid JSON"
	}
	return &Error{File: file, Line: line, Msg: kind + ": " + yamlErrPrefix.ReplaceAllString(msg, "")}
}

// jsonSyntax reports a JSON syntax error at its line; the YAML parser would accept some of them.
func jsonSyntax(data []byte, file string) error {
	var v any
	err := json.Unmarshal(data, &v)
	var se *json.SyntaxError
	if !errors.As(err, &se) {
		return &Error{File: file, Msg: "invalid JSON: " + unwrapPathError(err)}
	}
	line := 1 + bytes.Count(data[:min(int(se.Offset), len(data))], []byte("\n"))
	return &Error{File: file, Line: line, Msg: "invalid JSON: " + se.Error()}
}

// isJSON reports whether the file is JSON by name or by its first character.
func isJSON(data []byte, file string) bool {
	t := bytes.TrimSpace(data)
	return strings.HasSuffix(strings.ToLower(file), ".json") || (len(t) > 0 && t[0] == '{')
}

// fillImplicit sets the defaults that live inside lists and maps (routes, webhooks), which
// Default cannot pre-fill.
func (c *Config) fillImplicit() {
	for i := range c.Gateway.Routes {
		if c.Gateway.Routes[i].Deliver == "" {
			c.Gateway.Routes[i].Deliver = "log"
		}
	}
	for i := range c.Notify.Webhooks {
		w := &c.Notify.Webhooks[i]
		if w.Format == "" {
			w.Format = "auto"
		}
		if w.Retry.MaxAttempts == 0 {
			w.Retry.MaxAttempts = DefaultRetryAttempts
		}
		if w.Retry.Backoff == "" {
			w.Retry.Backoff = "exponential"
		}
		if w.Retry.Initial == 0 {
			w.Retry.Initial = Duration(DefaultRetryInitial)
		}
	}
}

// applyEnv layers the environment variables of docs/config.md; a bad value names its variable.
func (c *Config) applyEnv(env func(string) string) error {
	var errs []error
	if v := env("WEBHOOK_ENABLED"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			errs = append(errs, &Error{Key: "WEBHOOK_ENABLED", Msg: fmt.Sprintf("expected true or false, got %q", v)})
		} else {
			c.Gateway.Enabled = &b
			c.markSet("gateway.enabled", "WEBHOOK_ENABLED")
		}
	}
	if v := env("WEBHOOK_PORT"); v != "" {
		p, err := strconv.Atoi(v)
		if err != nil || p < 0 || p > 65535 {
			errs = append(errs, &Error{Key: "WEBHOOK_PORT", Msg: fmt.Sprintf("expected a port 0-65535, got %q", v)})
		} else {
			c.Gateway.Port = p
			c.markSet("gateway.port", "WEBHOOK_PORT")
		}
	}
	if v := env("WEBHOOK_SECRET"); v != "" {
		c.Gateway.Secret = Secrets{v}
		c.markSet("gateway.secret", "WEBHOOK_SECRET")
	}
	for _, s := range c.stringSettings() {
		c.setString(s.dst, s.key, s.env, env(s.env))
	}
	if v := env("HOOKTAP_ADDR"); v != "" {
		if err := c.setAddr(v, "HOOKTAP_ADDR"); err != nil {
			errs = append(errs, &Error{Key: "HOOKTAP_ADDR", Msg: err.Error()})
		}
	}
	return errors.Join(errs...)
}

// stringSetting ties a string key to the env variable and flag that can replace it.
type stringSetting struct {
	dst            *string
	key, env, flag string
}

// stringSettings lists the plain string keys env and flags may override.
func (c *Config) stringSettings() []stringSetting {
	return []stringSetting{
		{&c.Tunnel.Authtoken, "tunnel.authtoken", "NGROK_AUTHTOKEN", ""},
		{&c.DataDir, "data_dir", "HOOKTAP_DATA_DIR", "--data-dir"},
		{&c.Capture.Store, "capture.store", "HOOKTAP_STORE", "--store"},
		{&c.Admin.Addr, "admin.addr", "HOOKTAP_ADMIN_ADDR", "--admin-addr"},
		{&c.Admin.Token, "admin.token", "HOOKTAP_ADMIN_TOKEN", ""},
		{&c.Tunnel.Mode, "tunnel.mode", "HOOKTAP_TUNNEL", "--tunnel"},
		{&c.Log.Format, "log.format", "HOOKTAP_LOG_FORMAT", "--log-format"},
		{&c.Log.File, "log.file", "", "--log-file"},
		{&c.Gateway.Redis, "gateway.redis", "HOOKTAP_REDIS", "--redis"},
	}
}

// applyOverrides layers the flags, which win over everything else.
func (c *Config) applyOverrides(ov Overrides) error {
	if ov.Addr != "" {
		if err := c.setAddr(ov.Addr, "--addr"); err != nil {
			return &Error{Key: "--addr", Msg: err.Error()}
		}
	}
	flags := map[string]string{"--data-dir": ov.DataDir, "--store": ov.Store, "--admin-addr": ov.AdminAddr,
		"--tunnel": ov.Tunnel, "--log-format": ov.LogFormat, "--log-file": ov.LogFile, "--redis": ov.Redis}
	for _, s := range c.stringSettings() {
		if s.flag != "" {
			c.setString(s.dst, s.key, s.flag, flags[s.flag])
		}
	}
	if ov.Debug {
		c.Log.Level = "debug"
		c.markSet("log.level", "--debug")
	}
	return nil
}

// setString assigns v to dst when v is set, remembering which variable or flag did it.
func (c *Config) setString(dst *string, key, source, v string) {
	if v != "" && source != "" {
		*dst = v
		c.markSet(key, source)
	}
}

// markSet records that source (an env variable or flag) gave key its value.
func (c *Config) markSet(key, source string) {
	if c.setBy == nil {
		c.setBy = map[string]string{}
	}
	c.setBy[key] = source
}

// setAddr splits HOST:PORT into gateway.host and gateway.port.
func (c *Config) setAddr(addr, source string) error {
	host, port, err := splitHostPort(addr)
	if err != nil {
		return err
	}
	c.Gateway.Host, c.Gateway.Port = host, port
	c.markSet("gateway.host", source)
	c.markSet("gateway.port", source)
	return nil
}

// applyZeroConfig adds the inspect route when no routes are configured.
func (c *Config) applyZeroConfig() {
	if len(c.Gateway.Routes) > 0 {
		return
	}
	c.ZeroConfig = true
	c.Gateway.Routes = Routes{{
		Name:        InspectRoute,
		Open:        true,
		Description: "zero-config route: accepts and captures everything",
	}}
}
