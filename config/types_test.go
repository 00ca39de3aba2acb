package config

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v4"
)

func TestParseDuration(t *testing.T) {
	tests := []struct {
		in      string
		want    time.Duration
		wantErr bool
	}{
		{"1h", time.Hour, false},
		{"30s", 30 * time.Second, false},
		{"1h30m", 90 * time.Minute, false},
		{"7d", 7 * 24 * time.Hour, false},
		{"2w", 14 * 24 * time.Hour, false},
		{"90", 90 * time.Second, false},
		{" 5m ", 5 * time.Minute, false},
		{"0", 0, false},
		{"", 0, true},
		{"soon", 0, true},
		{"-5", 0, true},
		{"1.5d", 0, true},
		{"99999999999999999999", 0, true},
		{"9999999999999999w", 0, true},
	}
	for _, tc := range tests {
		got, err := ParseDuration(tc.in)
		if (err != nil) != tc.wantErr || got.D() != tc.want {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v, err=%v", tc.in, got.D(), err, tc.want, tc.wantErr)
		}
	}
}

func TestDurationText(t *testing.T) {
	tests := []struct {
		d    Duration
		want string
	}{
		{Duration(48 * time.Hour), `"2d"`},
		{Duration(90 * time.Second), `"1m30s"`},
		{Duration(time.Hour), `"1h"`},
		{Duration(10 * time.Minute), `"10m"`},
		{Duration(90 * time.Minute), `"1h30m"`},
		{Duration(1500 * time.Millisecond), `"1.5s"`},
		{Duration(20 * time.Second), `"20s"`},
		{0, `"0s"`},
	}
	for _, tc := range tests {
		b, err := json.Marshal(tc.d)
		if err != nil || string(b) != tc.want {
			t.Errorf("Marshal(%v) = %s, %v; want %s", tc.d.D(), b, err, tc.want)
		}
		var back Duration
		if err := json.Unmarshal(b, &back); err != nil || back != tc.d {
			t.Errorf("round trip of %s = %v, %v", b, back.D(), err)
		}
	}
	var n Duration
	if err := json.Unmarshal([]byte("30"), &n); err != nil || n.D() != 30*time.Second {
		t.Errorf("Unmarshal(30) = %v, %v", n.D(), err)
	}
	if err := json.Unmarshal([]byte(`"later"`), &n); err == nil {
		t.Error("Unmarshal(later) succeeded")
	}
	if err := yaml.Load([]byte("[1]"), &n); err == nil {
		t.Error("yaml list as duration succeeded")
	}
}

func TestSecretsForms(t *testing.T) {
	tests := []struct {
		yaml, json string
		want       Secrets
	}{
		{"one", `"one"`, Secrets{"one"}},
		{"[a, b]", `["a","b"]`, Secrets{"a", "b"}},
	}
	for _, tc := range tests {
		var fromYAML, fromJSON Secrets
		if err := yaml.Load([]byte(tc.yaml), &fromYAML); err != nil || !reflect.DeepEqual(fromYAML, tc.want) {
			t.Errorf("yaml %q = %v, %v", tc.yaml, fromYAML, err)
		}
		if err := json.Unmarshal([]byte(tc.json), &fromJSON); err != nil || !reflect.DeepEqual(fromJSON, tc.want) {
			t.Errorf("json %s = %v, %v", tc.json, fromJSON, err)
		}
	}
	var s Secrets
	if err := json.Unmarshal([]byte(`{"a":1}`), &s); err == nil {
		t.Error("json object as secrets succeeded")
	}
	if err := yaml.Load([]byte("[{a: 1}]"), &s); err == nil {
		t.Error("yaml list of mappings as secrets succeeded")
	}
}

func TestRoutesMarshalKeepsOrder(t *testing.T) {
	c := mustLoad(t, "gateway:\n  secret: s\n  routes:\n    zeta: {events: [push]}\n    alpha: {verify: github}\n")
	b, err := json.Marshal(c.Gateway.Routes)
	if err != nil {
		t.Fatal(err)
	}
	if z, a := strings.Index(string(b), `"zeta"`), strings.Index(string(b), `"alpha"`); z < 0 || a < z {
		t.Fatalf("JSON order wrong: %s", b)
	}
	var back Routes
	if err := json.Unmarshal(b, &back); err != nil || len(back) != 2 || back[0].Name != "zeta" || back[1].Verify != "github" {
		t.Fatalf("JSON round trip = %+v, %v", back, err)
	}
	y, err := yaml.Dump(c.Gateway.Routes)
	if err != nil {
		t.Fatal(err)
	}
	var fromYAML Routes
	if err := yaml.Load(y, &fromYAML); err != nil || fromYAML[0].Name != "zeta" || fromYAML[1].Name != "alpha" {
		t.Fatalf("YAML round trip of %s = %+v, %v", y, fromYAML, err)
	}
	if err := json.Unmarshal([]byte(`{"a":{"bogus":1}}`), &back); err == nil || !strings.Contains(err.Error(), "gateway.routes.a.bogus: unknown key") {
		t.Errorf("unknown key in JSON routes: %v", err)
	}
}
