package config

import (
	"reflect"
	"testing"
	"time"

	"github.com/hooktap/hooktap/signature"
)

func TestEffective(t *testing.T) {
	c := mustLoad(t, `gateway:
  secret: [g1, g2]
  rate_limit: 10
  routes:
    own: {secret: only, rate_limit: 3, max_body_bytes: 100, idempotency_ttl: 2m, tolerance: 1m}
    rotated: {secret: [old, new, ""]}
    global: {}
    insecure: {secret: INSECURE_NO_AUTH}
`)
	base := RouteSettings{RateLimit: 10, MaxBodyBytes: 1 << 20, IdempotencyTTL: time.Hour, Tolerance: 5 * time.Minute}
	tests := []struct {
		route string
		want  func(RouteSettings) RouteSettings
	}{
		{"own", func(s RouteSettings) RouteSettings {
			s.Secrets = []signature.Secret{{Label: "own#1", Value: "only"}}
			s.RateLimit, s.MaxBodyBytes, s.IdempotencyTTL, s.Tolerance = 3, 100, 2*time.Minute, time.Minute
			return s
		}},
		{"rotated", func(s RouteSettings) RouteSettings {
			s.Secrets = []signature.Secret{{Label: "rotated#1", Value: "old"}, {Label: "rotated#2", Value: "new"}}
			return s
		}},
		{"global", func(s RouteSettings) RouteSettings {
			s.Secrets = []signature.Secret{{Label: "global#1", Value: "g1"}, {Label: "global#2", Value: "g2"}}
			return s
		}},
		{"insecure", func(s RouteSettings) RouteSettings { s.Insecure = true; return s }},
	}
	for _, tc := range tests {
		r, ok := c.Route(tc.route)
		if !ok {
			t.Fatalf("route %s missing", tc.route)
		}
		if got, want := r.Effective(c.Gateway), tc.want(base); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: Effective = %+v, want %+v", tc.route, got, want)
		}
	}
}

func TestZeroConfig(t *testing.T) {
	tests := []struct {
		name    string
		content string
		env     map[string]string
	}{
		{"no file", "", nil},
		{"empty file", "\n", nil},
		{"comments only", "# nothing yet\n", nil},
		{"gateway without routes", "gateway:\n  port: 9100\n", nil},
		{"global secret set", "", map[string]string{"WEBHOOK_SECRET": "s"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ov := Overrides{}
			if tc.content != "" {
				ov.ConfigFile = writeFile(t, "config.yaml", tc.content)
			}
			c, err := Load(ov, testEnv(t, tc.env))
			if err != nil {
				t.Fatal(err)
			}
			if !c.ZeroConfig || len(c.Gateway.Routes) != 1 {
				t.Fatalf("ZeroConfig %v routes %+v", c.ZeroConfig, c.Gateway.Routes)
			}
			r, ok := c.Route(InspectRoute)
			if !ok {
				t.Fatal("inspect route missing")
			}
			s := r.Effective(c.Gateway)
			if !s.NoSecret || s.Insecure || len(s.Secrets) != 0 {
				t.Errorf("Effective = %+v, want NoSecret only", s)
			}
		})
	}
	c := mustLoad(t, "gateway:\n  secret: s\n  routes:\n    a: {}\n")
	if c.ZeroConfig {
		t.Error("a config with routes is marked zero-config")
	}
}
