package config

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestConvertRoundTrips checks that every example file, converted to hooktap's YAML and read
// back, gives the same routes, gateway settings and notify webhooks.
func TestConvertRoundTrips(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "formats", "*", "*"))
	if len(files) < 15 {
		t.Fatalf("only %d example files", len(files))
	}
	for _, path := range files {
		if filepath.Base(path) == HermesSubscriptionsFile {
			continue
		}
		t.Run(path, func(t *testing.T) {
			orig, err := Read(path, "")
			if err != nil {
				t.Skipf("not readable alone: %v", err)
			}
			out, err := orig.Convert()
			if err != nil {
				t.Fatal(err)
			}
			back, err := Read(writeFile(t, "config.yaml", string(out)), "")
			if err != nil {
				t.Fatalf("converted file does not load: %v\n%s", err, out)
			}
			if back.Format != FormatHooktap {
				t.Errorf("converted file read as %s", back.Format)
			}
			for _, c := range []*Config{orig, back} {
				for i := range c.Gateway.Routes {
					c.Gateway.Routes[i].Line = 0
				}
			}
			if !reflect.DeepEqual(orig.Gateway.Routes, back.Gateway.Routes) {
				t.Errorf("routes differ:\n%+v\n%+v\n%s", orig.Gateway.Routes, back.Gateway.Routes, out)
			}
			if !reflect.DeepEqual(orig.Notify.Webhooks, back.Notify.Webhooks) {
				t.Errorf("webhooks differ:\n%+v\n%+v\n%s", orig.Notify.Webhooks, back.Notify.Webhooks, out)
			}
			og, bg := orig.Gateway, back.Gateway
			og.Routes, bg.Routes = nil, nil
			if !reflect.DeepEqual(og, bg) {
				t.Errorf("gateway differs:\n%+v\n%+v", og, bg)
			}
		})
	}
}

func TestConvertHeaderListsNotes(t *testing.T) {
	c, err := Read(filepath.Join("testdata", "formats", "hermes", "config.yaml"), "")
	if err != nil {
		t.Fatal(err)
	}
	out, _ := c.Convert()
	for _, want := range []string{"# hooktap configuration converted from config.yaml (Hermes webhook platform)",
		"#   line 19   platforms.webhook.extra.routes.github-pr.skills: hooktap runs no agent",
		"# Dynamic routes stay in webhook_subscriptions.json"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("missing %q in\n%s", want, out)
		}
	}
}
