package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestReadPathHARIsValid(t *testing.T) {
	p := serve(t, readPathConfig)
	ids := sendAll(t, p, readPathRequests())
	path := filepath.Join(p.dataDir, "session.har")
	args := append([]string{"captures", "export"}, ids...)
	if _, stderr, code := run(t, p.dataDir, append(args, "--format", "har", "-o", path, "--data-dir", p.dataDir)...); code != 0 {
		t.Fatalf("export har: exit %d %s", code, stderr)
	}
	validateHAR(t, path, len(ids))
}

// validateHAR checks the fields HAR 1.2 requires, with their types, for want entries.
func validateHAR(t *testing.T, path string, want int) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatalf("HAR is not JSON: %v", err)
	}
	log := harObject(t, doc, "log")
	if v, _ := log["version"].(string); v != "1.2" {
		t.Errorf("log.version %v, want 1.2", log["version"])
	}
	harFields(t, "log.creator", harObject(t, log, "creator"), "name:s", "version:s")
	entries, _ := log["entries"].([]any)
	if len(entries) != want {
		t.Fatalf("%d entries, want %d", len(entries), want)
	}
	for i, e := range entries {
		entry, _ := e.(map[string]any)
		where := fmt.Sprintf("entries[%d]", i)
		harFields(t, where, entry, "startedDateTime:s", "time:n", "request:o", "response:o", "cache:o", "timings:o")
		if _, err := time.Parse(time.RFC3339Nano, fmt.Sprint(entry["startedDateTime"])); err != nil {
			t.Errorf("%s.startedDateTime: %v", where, err)
		}
		req, resp := harObject(t, entry, "request"), harObject(t, entry, "response")
		harFields(t, where+".request", req, "method:s", "url:s", "httpVersion:s", "cookies:a", "headers:a",
			"queryString:a", "headersSize:n", "bodySize:n")
		harFields(t, where+".response", resp, "status:n", "statusText:s", "httpVersion:s", "cookies:a",
			"headers:a", "content:o", "redirectURL:s", "headersSize:n", "bodySize:n")
		harFields(t, where+".response.content", harObject(t, resp, "content"), "size:n", "mimeType:s")
		harFields(t, where+".timings", harObject(t, entry, "timings"), "send:n", "wait:n", "receive:n")
		for j, h := range req["headers"].([]any) {
			harFields(t, fmt.Sprintf("%s.request.headers[%d]", where, j), h.(map[string]any), "name:s", "value:s")
		}
	}
}

func harObject(t *testing.T, m map[string]any, key string) map[string]any {
	t.Helper()
	o, ok := m[key].(map[string]any)
	if !ok {
		t.Fatalf("HAR: %q is %T, want an object", key, m[key])
	}
	return o
}

// harFields checks each "name:kind" (s string, n number, o object, a array) is present with that type.
func harFields(t *testing.T, where string, m map[string]any, specs ...string) {
	t.Helper()
	for _, spec := range specs {
		name, kind, _ := strings.Cut(spec, ":")
		v, present := m[name]
		ok := present
		switch kind {
		case "s":
			_, ok = v.(string)
		case "n":
			_, ok = v.(float64)
		case "o":
			_, ok = v.(map[string]any)
		case "a":
			_, ok = v.([]any)
		}
		if !ok {
			t.Errorf("HAR %s.%s: %T %v, want kind %s", where, name, v, v, kind)
		}
	}
}
