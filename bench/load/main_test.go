package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hooktap/hooktap/config"
)

func TestParseConns(t *testing.T) {
	tests := []struct {
		in      string
		want    []int
		wantErr bool
	}{
		{"1,16,64", []int{1, 16, 64}, false},
		{" 8 ", []int{8}, false},
		{"0", nil, true},
		{"1,,2", nil, true},
		{"x", nil, true},
		{"2000", nil, true},
	}
	for _, tt := range tests {
		got, err := parseConns(tt.in)
		if (err != nil) != tt.wantErr || !slices.Equal(got, tt.want) {
			t.Errorf("parseConns(%q) = %v, %v; want %v, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestParseFlagsRejectsBadValues(t *testing.T) {
	for _, args := range [][]string{{"-duration", "0s"}, {"-cpu", "-1"}, {"-fill", "-5"}, {"extra"}} {
		if _, err := parseFlags(args); err == nil {
			t.Errorf("parseFlags(%q) accepted bad input", args)
		}
	}
	o, err := parseFlags(nil)
	if err != nil || !slices.Equal(o.conns, []int{1, 16, 64}) || o.cpus != 1 {
		t.Errorf("defaults = %+v, %v", o, err)
	}
}

// TestHooktapConfigIsValid loads the harness's config with hooktap's own loader, so a config
// change that breaks the harness fails here rather than at the start of a long run.
func TestHooktapConfigIsValid(t *testing.T) {
	for _, maxCount := range []int{0, 2_000_000} {
		path := filepath.Join(t.TempDir(), "config.yaml")
		if err := os.WriteFile(path, []byte(hooktapConfig("abc", maxCount)), 0o600); err != nil {
			t.Fatal(err)
		}
		cfg, err := config.Load(config.Overrides{ConfigFile: path, DataDir: t.TempDir()}, nil)
		if err != nil {
			t.Fatalf("max_count %d: %v", maxCount, err)
		}
		rs := cfg.Gateway.Routes
		if len(rs) != 2 || rs[0].Name != routeName || rs[1].Name != templateRoute {
			t.Fatalf("routes = %+v", rs)
		}
		for _, r := range rs {
			if r.Verify != "github" || !slices.Equal([]string(r.Secret), []string{"abc"}) {
				t.Errorf("route %s = %+v", r.Name, r)
			}
		}
		if rs[0].Prompt != "" || rs[1].Prompt != routePrompt {
			t.Errorf("prompts %q, %q; want none and %q", rs[0].Prompt, rs[1].Prompt, routePrompt)
		}
		if maxCount > 0 && (cfg.Capture.MaxCount != maxCount || cfg.Capture.MaxBytes != 1<<40) {
			t.Errorf("capture.max_count = %d, max_bytes = %d; want %d and 1 TiB", cfg.Capture.MaxCount, cfg.Capture.MaxBytes, maxCount)
		}
	}
}

func TestGithubSignMatchesGitHubsExample(t *testing.T) {
	// The worked example from GitHub's "Validating webhook deliveries" documentation.
	got := githubSign("It's a Secret to Everybody", []byte("Hello, World!"))
	want := "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
	if got != want {
		t.Errorf("githubSign = %s, want %s", got, want)
	}
}

func TestPushPayloadIsAboutSevenPointSixKB(t *testing.T) {
	if n := len(pushPayload); n < 7000 || n > 8200 || !strings.Contains(string(pushPayload), `"ref"`) {
		t.Errorf("push payload is %d bytes", n)
	}
}

func TestCPUTimeGrowsWithWork(t *testing.T) {
	pid := os.Getpid()
	before, err := cpuTime(pid)
	if err != nil {
		t.Skip("no /proc:", err)
	}
	for end := time.Now().Add(60 * time.Millisecond); time.Now().Before(end); {
	}
	after, err := cpuTime(pid)
	if err != nil || after <= before {
		t.Errorf("cpu time %s then %s (%v): want it to grow after 60ms of spinning", before, after, err)
	}
	if _, err := cpuTime(1 << 30); err == nil {
		t.Error("cpuTime of a missing process succeeded")
	}
}

func TestPeakRSS(t *testing.T) {
	rss, err := peakRSS(os.Getpid())
	if err != nil {
		t.Skip("no /proc:", err)
	}
	if rss < 1<<20 || rss > 1<<34 {
		t.Errorf("peak RSS %d bytes is implausible", rss)
	}
}

// The fill's store size counts the body segments beside the database, where most bytes are.
func TestStoreSizeCountsBodySegments(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hooktap.db")
	files := map[string]int{path: 4096, path + "-wal": 100, filepath.Join(path+".bodies", "00000001.seg"): 9000}
	if err := os.Mkdir(path+".bodies", 0o700); err != nil {
		t.Fatal(err)
	}
	for name, n := range files {
		if err := os.WriteFile(name, make([]byte, n), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if got := storeSize(path); got != 4096+100+9000 {
		t.Fatalf("storeSize = %d, want %d", got, 4096+100+9000)
	}
}
