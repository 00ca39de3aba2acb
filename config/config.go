// Package config loads hooktap's configuration: defaults, then the YAML (or JSON) file, then
// environment variables, then flags; Validate names the file, line and key of every problem.
package config

import "time"

// InsecureNoAuth is the literal secret that turns verification off for a route (tests only).
const InsecureNoAuth = "INSECURE_NO_AUTH"

// InspectRoute is the route zero-config mode serves.
const InspectRoute = "inspect"

// Config is the whole configuration.
type Config struct {
	Gateway Gateway `yaml:"gateway" json:"gateway"`
	Capture Capture `yaml:"capture" json:"capture"`
	Admin   Admin   `yaml:"admin" json:"admin"`
	Tunnel  Tunnel  `yaml:"tunnel" json:"tunnel"`
	Notify  Notify  `yaml:"notify" json:"notify"`
	Log     Log     `yaml:"log" json:"log"`

	// File is the config file that was loaded ("" when none); DataDir the resolved data dir.
	File    string `yaml:"-" json:"-"`
	DataDir string `yaml:"data_dir" json:"data_dir"`
	// ZeroConfig is true when no routes were configured and the inspect route was added.
	ZeroConfig bool `yaml:"-" json:"-"`
	// Format is the file's format (FormatHooktap, FormatHermes, …); Notes list what hooktap
	// read from it but does not do as the original system would.
	Format string `yaml:"-" json:"-"`
	Notes  []Note `yaml:"-" json:"-"`
	// DynamicRoutesFile is a routes file of the original system watched for changes (Hermes'
	// webhook_subscriptions.json beside its config), "" when there is none.
	DynamicRoutesFile string `yaml:"-" json:"-"`

	// lines maps each dotted key read from File to its line; setBy names the env variable or
	// flag that replaced a key's value. Validate uses both to say where a bad value came from.
	lines map[string]int
	setBy map[string]string
	// names maps a hooktap key to the key of the foreign file it came from, so problems are
	// reported in the words of the file the user wrote.
	names map[string]string
	// searched is the config file Load looked for, whether or not it existed.
	searched string
}

// Gateway configures the public listener and its routes.
type Gateway struct {
	Enabled        *bool    `yaml:"enabled" json:"enabled"`
	Host           string   `yaml:"host" json:"host"`
	Port           int      `yaml:"port" json:"port"`
	Secret         Secrets  `yaml:"secret" json:"secret"`
	RateLimit      int      `yaml:"rate_limit" json:"rate_limit"`
	MaxBodyBytes   int64    `yaml:"max_body_bytes" json:"max_body_bytes"`
	IdempotencyTTL Duration `yaml:"idempotency_ttl" json:"idempotency_ttl"`
	Tolerance      Duration `yaml:"tolerance" json:"tolerance"`
	PublicBaseURL  string   `yaml:"public_base_url" json:"public_base_url"`
	TrustedProxies []string `yaml:"trusted_proxies" json:"trusted_proxies"`
	ReadTimeout    Duration `yaml:"read_timeout" json:"read_timeout"`
	// CatchAll names the route that serves every route name no route has (/webhook/<any-id>,
	// /events/webhook/<any-tenant>/<event>); "" means such names are 404.
	CatchAll string `yaml:"catch_all" json:"catch_all"`
	Routes   Routes `yaml:"routes" json:"routes"`
	// Redis is the URL of the Redis that keeps idempotency keys and route rate limits for several
	// instances (team mode); "" keeps them in process.
	Redis string `yaml:"redis" json:"redis"`
}

// Route is one named webhook endpoint. Pointer fields are per-route overrides of the gateway's.
type Route struct {
	Name            string       `yaml:"-" json:"-"`
	Description     string       `yaml:"description" json:"description"`
	Events          []string     `yaml:"events" json:"events"`
	Secret          Secrets      `yaml:"secret" json:"secret"`
	Verify          string       `yaml:"verify" json:"verify"`
	AllowedIPs      []string     `yaml:"allowed_ips" json:"allowed_ips"`
	Prompt          string       `yaml:"prompt" json:"prompt"`
	Deliver         string       `yaml:"deliver" json:"deliver"`
	DeliverExtra    DeliverExtra `yaml:"deliver_extra" json:"deliver_extra"`
	DeliverOnly     bool         `yaml:"deliver_only" json:"deliver_only"`
	RateLimit       *int         `yaml:"rate_limit" json:"rate_limit"`
	MaxBodyBytes    *int64       `yaml:"max_body_bytes" json:"max_body_bytes"`
	IdempotencyTTL  *Duration    `yaml:"idempotency_ttl" json:"idempotency_ttl"`
	Tolerance       *Duration    `yaml:"tolerance" json:"tolerance"`
	SignatureHeader string       `yaml:"signature_header" json:"signature_header"`
	TimestampHeader string       `yaml:"timestamp_header" json:"timestamp_header"`
	PublicKey       string       `yaml:"public_key" json:"public_key"`
	PublicURL       string       `yaml:"public_url" json:"public_url"`
	// Signatures verify one route for several providers, each with its own scheme and secret:
	// a request is checked by the rule whose signature header it carries.
	Signatures []SignatureRule `yaml:"signatures" json:"signatures"`
	// Line is where the route is declared in the config file (0 when it is not from a file).
	Line int `yaml:"-" json:"-"`
	// Open marks the zero-config inspect route: it accepts everything and records no_secret.
	Open bool `yaml:"-" json:"-"`
}

// DeliverExtra holds the delivery target's settings.
type DeliverExtra struct {
	URL       string            `yaml:"url" json:"url"`
	BackupURL string            `yaml:"backup_url" json:"backup_url"`
	Headers   map[string]string `yaml:"headers" json:"headers"`
	Timeout   Duration          `yaml:"timeout" json:"timeout"`
	// Params are the settings of a target hooktap does not deliver to (a chat id, a repository),
	// templated like the prompt and recorded in the capture's note.
	Params map[string]string `yaml:"params" json:"params"`
}

// SignatureRule is one provider's verification on a route with several (Greentic's signatures).
type SignatureRule struct {
	Name            string  `yaml:"name" json:"name"`
	Verify          string  `yaml:"verify" json:"verify"`
	Secret          Secrets `yaml:"secret" json:"secret"`
	SignatureHeader string  `yaml:"signature_header" json:"signature_header"`
	TimestampHeader string  `yaml:"timestamp_header" json:"timestamp_header"`
}

// Capture configures the store.
type Capture struct {
	// Store is the store's URL: sqlite:PATH or a path (the embedded default), or postgres://…
	// for a store several instances share (see ParseStore). Empty means Path.
	Store    string   `yaml:"store" json:"store"`
	Path     string   `yaml:"path" json:"path"`
	MaxCount int      `yaml:"max_count" json:"max_count"`
	MaxAge   Duration `yaml:"max_age" json:"max_age"`
	// MaxBytes bounds the store's data; past it the oldest captures go first.
	MaxBytes ByteSize `yaml:"max_bytes" json:"max_bytes"`
}

// Admin configures the loopback admin API.
type Admin struct {
	Addr  string `yaml:"addr" json:"addr"`
	Token string `yaml:"token" json:"token"`
}

// Tunnel configures the embedded ngrok tunnel.
type Tunnel struct {
	Mode          string `yaml:"mode" json:"mode"` // auto | ngrok | off
	Authtoken     string `yaml:"authtoken" json:"authtoken"`
	URL           string `yaml:"url" json:"url"`
	TrafficPolicy string `yaml:"traffic_policy" json:"traffic_policy"`
}

// Notify configures outgoing alert webhooks ({"webhooks":[…]}).
type Notify struct {
	Webhooks []Webhook `yaml:"webhooks" json:"webhooks"`
}

// Webhook is one outgoing alert target.
type Webhook struct {
	ID      string            `yaml:"id" json:"id"`
	Enabled *bool             `yaml:"enabled" json:"enabled"`
	URL     string            `yaml:"url" json:"url"`
	Events  []string          `yaml:"events" json:"events"`
	Headers map[string]string `yaml:"headers" json:"headers"`
	Format  string            `yaml:"format" json:"format"`
	Secret  string            `yaml:"secret" json:"secret"`
	Signing string            `yaml:"signing" json:"signing"`
	Retry   Retry             `yaml:"retry" json:"retry"`
}

// Retry configures a webhook's retries.
type Retry struct {
	MaxAttempts int      `yaml:"max_attempts" json:"max_attempts"`
	Backoff     string   `yaml:"backoff" json:"backoff"`
	Initial     Duration `yaml:"initial" json:"initial"`
}

// Log configures logging.
type Log struct {
	Format string `yaml:"format" json:"format"` // text | json
	Level  string `yaml:"level" json:"level"`
	File   string `yaml:"file" json:"file"`
}

// Duration is a time.Duration that reads "1h", "30s", "7d" or a number of seconds.
type Duration time.Duration

// Secrets is one secret or a list of them (rotation); YAML accepts a string or a sequence.
type Secrets []string

// ConfigPath is the file this configuration comes from, or where one would be read from: the
// place to tell a user to add routes.
func (c *Config) ConfigPath() string {
	if c.File != "" {
		return c.File
	}
	return c.searched
}
