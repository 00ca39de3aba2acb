package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hooktap/hooktap/internal/pgtest"
)

const storeConfig = "gateway:\n  routes:\n    r:\n      secret: INSECURE_NO_AUTH\n"

// Captures received by `serve --store postgres://…` are listed by `captures list --store` (and
// HOOKTAP_STORE) from another data directory: they live in PostgreSQL, not in the local file.
func TestStorePostgresCapturesList(t *testing.T) {
	pg := pgtest.WithPassword(t, pgtest.URL(t), "e2e-s3cret")
	p := serve(t, storeConfig, "--store", pg)
	if out := p.output(); strings.Contains(out, "e2e-s3cret") || !strings.Contains(out, "postgres://") {
		t.Errorf("serve's log shows the password or no store URL:\n%s", out)
	}
	var sent []string
	for _, n := range []string{"n=1", "n=2", "n=3"} {
		if code, answer := p.post(t, "/webhooks/r?"+n, []byte(`{}`), nil); code != 202 {
			t.Fatalf("POST: %d %s", code, answer)
		}
		sent = append(sent, n)
	}
	other := t.TempDir()
	viaFlag, stderr, code := run(t, other, "captures", "list", "--json", "--data-dir", other, "--store", pg)
	if code != 0 {
		t.Fatalf("captures list --store: exit %d\n%s", code, stderr)
	}
	if got := listedQueries(t, viaFlag); !slices.Equal(got, []string{sent[2], sent[1], sent[0]}) {
		t.Errorf("captures list --store listed %v, want the three sent, newest first", got)
	}
	viaEnv, stderr, code := runWithEnv(t, other, []string{"HOOKTAP_STORE=" + pg}, "captures", "list", "--json", "--data-dir", other)
	if code != 0 || viaEnv != viaFlag {
		t.Errorf("HOOKTAP_STORE: exit %d, output differs from --store: %q\n%s", code, viaEnv, stderr)
	}
	// The serving instance's own SQLite file (kept for notify) holds no capture.
	local, stderr, code := run(t, other, "captures", "list", "--json", "--data-dir", p.dataDir)
	if code != 0 || len(listedQueries(t, local)) != 0 {
		t.Errorf("the local file lists captures (exit %d): %s %s", code, local, stderr)
	}
}

// A store URL hooktap cannot use is a usage error naming the key; an unreachable server is an
// error, not a hang; neither shows the password.
func TestStoreBadURL(t *testing.T) {
	dir := t.TempDir()
	_, stderr, code := run(t, dir, "captures", "list", "--data-dir", dir, "--store", "mysql://root:hunter2@db/x")
	if code != 2 || !strings.Contains(stderr, "capture.store (from --store)") || !strings.Contains(stderr, `"mysql"`) {
		t.Errorf("unsupported scheme: exit %d\n%s", code, stderr)
	}
	_, stderr, code = runWithEnv(t, dir, []string{"HOOKTAP_STORE=postgres:root:hunter2@db"}, "captures", "list", "--data-dir", dir)
	if code != 2 || !strings.Contains(stderr, "capture.store (from HOOKTAP_STORE)") {
		t.Errorf("malformed URL in HOOKTAP_STORE: exit %d\n%s", code, stderr)
	}
	start := time.Now()
	_, stderr, code = run(t, dir, "captures", "list", "--data-dir", dir,
		"--store", "postgres://root:hunter2@127.0.0.1:1/x?sslmode=disable&connect_timeout=5")
	if code == 0 || !strings.Contains(stderr, "127.0.0.1") || time.Since(start) > 30*time.Second {
		t.Errorf("unreachable server: exit %d after %v\n%s", code, time.Since(start), stderr)
	}
	if strings.Contains(stderr, "hunter2") {
		t.Errorf("an error shows the password:\n%s", stderr)
	}
}

// listedQueries are the query strings of the captures `captures list --json` printed.
func listedQueries(t *testing.T, out string) []string {
	t.Helper()
	var list struct {
		Captures []captureJSON `json:"captures"`
	}
	if err := json.Unmarshal([]byte(out), &list); err != nil {
		t.Fatalf("captures list --json: %v\n%s", err, out)
	}
	var qs []string
	for _, c := range list.Captures {
		qs = append(qs, c.Query)
	}
	return qs
}

// runWithEnv is run with extra environment variables.
func runWithEnv(t *testing.T, dir string, env []string, args ...string) (string, string, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Env = append(cleanEnv(dir), env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		return out.String(), errb.String(), ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return out.String(), errb.String(), 0
}
