package config

import (
	"errors"
	"fmt"
	"net/url"
)

// Forward is `--forward-to URL` with an optional `--provider P --secret S`: the zero-config route
// forwards every delivery to URL, after verifying it when a scheme is given.
type Forward struct {
	// URL is the app that receives every delivery, byte-exact.
	URL string
	// Verify is the signature scheme to check before forwarding ("" = accept everything).
	Verify string
	// Secret verifies (for discord, the application's public key).
	Secret string
	// SignatureHeader and TimestampHeader name the headers of the configurable schemes.
	SignatureHeader, TimestampHeader string
}

// applyForward turns the zero-config route into a forwarder. Delivery happens before the
// answer (deliver_only), so each capture carries the app's answer and the sender sees 200 or 502.
func (c *Config) applyForward(f Forward) error {
	if f.URL == "" {
		if f.Verify != "" || f.Secret != "" {
			return errors.New("--provider and --secret go with --forward-to URL")
		}
		return nil
	}
	if u, err := url.Parse(f.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("--forward-to %q is not an http(s) URL, e.g. http://127.0.0.1:3000/hook", f.URL)
	}
	if !c.ZeroConfig {
		return fmt.Errorf("--forward-to forwards the zero-config route, but %s configures routes: give a route deliver: forward and deliver_extra.url instead", c.ConfigPath())
	}
	if (f.Verify == "") != (f.Secret == "") {
		return errors.New("--provider and --secret go together: the scheme to verify and the secret it needs")
	}
	r := &c.Gateway.Routes[0]
	r.Deliver, r.DeliverExtra.URL, r.DeliverOnly = "forward", f.URL, true
	r.Description = "zero-config route: forwards every delivery to " + f.URL
	if f.Verify == "" {
		return nil
	}
	r.Open, r.Verify = false, f.Verify
	r.SignatureHeader, r.TimestampHeader = f.SignatureHeader, f.TimestampHeader
	if f.Verify == "discord" {
		r.PublicKey = f.Secret
	} else {
		r.Secret = Secrets{f.Secret}
	}
	r.Description += ", verified as " + f.Verify
	return nil
}
