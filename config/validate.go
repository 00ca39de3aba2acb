package config

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/hooktap/hooktap/mask"
)

// Accepted values of the enumerated keys.
var (
	Schemes      = []string{"github", "gitlab", "stripe", "slack", "shopify", "standard", "twilio", "discord", "paddle", "linear", "bitbucket", "zoom", "hmac", "timestamped", "header", "none"}
	DeliverModes = []string{"log", "forward", "slack", "discord", "generic"}
	TunnelModes  = []string{"auto", "ngrok", "off"}
	LogFormats   = []string{"text", "json"}
	LogLevels    = []string{"debug", "info", "warn", "error"}
	NotifyFormat = []string{"auto", "slack", "discord", "generic"}
	Signings     = []string{"", "timestamped", "standard"}
	Backoffs     = []string{"exponential", "linear", "none"}
)

var (
	routeNameRE = regexp.MustCompile(`^[A-Za-z0-9._-]+$`)
	hex64RE     = regexp.MustCompile(`^[0-9a-fA-F]{64}$`)
)

// problems collects validation errors, locating each by the key's origin.
type problems struct {
	c    *Config
	errs []error
}

// add records a problem with key, located at the key's file line or the env/flag that set it.
func (p *problems) add(key, format string, args ...any) {
	e := &Error{Key: p.c.originalKey(key), Msg: fmt.Sprintf(format, args...)}
	if src, ok := p.c.setBy[key]; ok {
		e.Key = key + " (from " + src + ")"
	} else if line := p.c.nearestLine(key); line > 0 {
		e.File, e.Line = p.c.fileName(), line
	}
	p.errs = append(p.errs, e)
}

// nearestLine is the line of key, or of its closest parent the file has (a missing key is
// reported where it should have been written).
func (c *Config) nearestLine(key string) int {
	for k := key; k != ""; {
		if line, ok := c.lines[k]; ok {
			return line
		}
		i := strings.LastIndexByte(k, '.')
		if i < 0 {
			break
		}
		k = k[:i]
	}
	return 0
}

// addAt records a problem at an explicit line of the file (routes know their own line).
func (p *problems) addAt(line int, key, format string, args ...any) {
	e := &Error{Key: p.c.originalKey(key), Msg: fmt.Sprintf(format, args...)}
	if line > 0 {
		e.File, e.Line = p.c.fileName(), line
	}
	p.errs = append(p.errs, e)
}

// oneOf checks an enumerated value and lists the accepted ones when it is wrong.
func (p *problems) oneOf(key, v string, allowed []string) {
	if !slices.Contains(allowed, v) {
		p.add(key, "%q is not one of %s", v, strings.Join(allowed, ", "))
	}
}

// positive checks a limit is above zero.
func (p *problems) positive(key string, v int64) {
	if v <= 0 {
		p.add(key, "must be positive, got %d", v)
	}
}

// fileName is the base name of the loaded file, as Error reports it.
func (c *Config) fileName() string {
	if c.File == "" {
		return ""
	}
	return baseName(c.File)
}

// Validate checks the whole configuration and returns every problem (errors.Join of *Error).
func (c *Config) Validate() error {
	p := &problems{c: c}
	c.validateGateway(p)
	c.validateGlobal(p)
	for _, r := range c.Gateway.Routes {
		c.validateRoute(p, r)
	}
	if ca := c.Gateway.CatchAll; ca != "" {
		if _, ok := c.Route(ca); !ok {
			p.add("gateway.catch_all", "%q is not a configured route", ca)
		}
	}
	for i, w := range c.Notify.Webhooks {
		validateWebhook(p, "notify.webhooks."+strconv.Itoa(i), w)
	}
	return errors.Join(p.errs...)
}

// validateGateway checks the listener and its default limits.
func (c *Config) validateGateway(p *problems) {
	g := c.Gateway
	if g.Port < 0 || g.Port > 65535 {
		p.add("gateway.port", "must be a port 0-65535, got %d", g.Port)
	}
	p.positive("gateway.rate_limit", int64(g.RateLimit))
	p.positive("gateway.max_body_bytes", g.MaxBodyBytes)
	p.positive("gateway.idempotency_ttl", int64(g.IdempotencyTTL))
	p.positive("gateway.tolerance", int64(g.Tolerance))
	p.positive("gateway.read_timeout", int64(g.ReadTimeout))
	if g.PublicBaseURL != "" {
		checkURL(p, "gateway.public_base_url", g.PublicBaseURL)
	}
	if g.Redis != "" {
		checkRedisURL(p, "gateway.redis", g.Redis)
	}
	for i, v := range g.TrustedProxies {
		if !isIPOrCIDR(v) {
			p.add("gateway.trusted_proxies."+strconv.Itoa(i), "%q is not an IP address or CIDR range", v)
		}
	}
}

// validateGlobal checks the capture, admin, tunnel and log sections.
func (c *Config) validateGlobal(p *problems) {
	p.positive("capture.max_count", int64(c.Capture.MaxCount))
	p.positive("capture.max_age", int64(c.Capture.MaxAge))
	p.positive("capture.max_bytes", int64(c.Capture.MaxBytes))
	if c.Capture.Store != "" {
		if _, _, err := ParseStore(c.Capture.Store); err != nil {
			p.add("capture.store", "%v", err)
		}
	}
	if _, _, err := splitHostPort(c.Admin.Addr); err != nil {
		p.add("admin.addr", "%v", err)
	}
	p.oneOf("tunnel.mode", c.Tunnel.Mode, TunnelModes)
	p.oneOf("log.format", c.Log.Format, LogFormats)
	p.oneOf("log.level", c.Log.Level, LogLevels)
}

// checkURL requires an absolute http or https URL.
func checkURL(p *problems, key, raw string) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		p.add(key, "%q is not an http or https URL", raw)
	}
}

// checkRedisURL accepts the forms go-redis reads: redis://[user:password@]host[:port][/db],
// rediss:// (TLS) and unix:///path; its query options are checked when the connection is made.
// The message masks the password.
func checkRedisURL(p *problems, key, raw string) {
	u, err := url.Parse(raw)
	shown := mask.URL(raw)
	switch {
	case err != nil:
		p.add(key, "%q is not a URL (redis://host:6379/0)", shown)
	case u.Scheme == "unix":
		if u.Path == "" {
			p.add(key, "%q names no socket (unix:///run/redis.sock)", shown)
		}
	case u.Scheme != "redis" && u.Scheme != "rediss":
		p.add(key, "%q is not a redis://, rediss:// or unix:// URL", shown)
	case u.Host == "":
		p.add(key, "%q names no host (redis://host:6379/0)", shown)
	default:
		if db := strings.Trim(u.Path, "/"); db != "" {
			if n, err := strconv.Atoi(db); err != nil || n < 0 {
				p.add(key, "%q: the path must be a database number (/0), not %q", shown, u.Path)
			}
		}
	}
}

// isIPOrCIDR accepts an IPv4 or IPv6 address or prefix.
func isIPOrCIDR(s string) bool {
	if _, err := netip.ParseAddr(s); err == nil {
		return true
	}
	_, err := netip.ParsePrefix(s)
	return err == nil
}

// splitHostPort parses HOST:PORT with a numeric port in range.
func splitHostPort(addr string) (string, int, error) {
	host, portStr, err := net.SplitHostPort(addr)
	if err != nil {
		return "", 0, fmt.Errorf("%q is not HOST:PORT", addr)
	}
	port, err := strconv.Atoi(portStr)
	if err != nil || port < 0 || port > 65535 {
		return "", 0, fmt.Errorf("%q has an invalid port (0-65535)", addr)
	}
	return host, port, nil
}

// baseName is the last element of a slash or backslash separated path.
func baseName(path string) string {
	if i := strings.LastIndexAny(path, `/\`); i >= 0 {
		return path[i+1:]
	}
	return path
}
