package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestVerifyCommand(t *testing.T) {
	env := newCraftEnv(t)
	body := filepath.Join(env.dir, "body.txt")
	os.WriteFile(body, []byte("Hello, World!"), 0o600)
	const sig = "X-Hub-Signature-256: sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
	out, stderr, code := env.run(t, "", "verify", "--scheme", "github", "--secret", "It's a Secret to Everybody", "--header", sig, "--body", body)
	if code != 0 || !strings.Contains(out, "verified") {
		t.Fatalf("test vector: exit %d\n%s%s", code, out, stderr)
	}
	out, _, code = env.run(t, "Hello, World!\n", "verify", "--secret", "It's a Secret to Everybody", "--header", sig, "--body", "-", "--json")
	var o struct {
		Scheme, Result, Reason, Detail string
		Diagnosis                      []struct{ Code, Message string }
	}
	if code != 1 || json.Unmarshal([]byte(out), &o) != nil || o.Scheme != "github" || o.Result != "failed" || o.Reason != "mismatch" {
		t.Fatalf("trailing newline: exit %d\n%s", code, out)
	}
	if len(o.Diagnosis) == 0 || o.Diagnosis[0].Code != "trailing_newline" {
		t.Errorf("doctor did not name the trailing newline: %+v", o.Diagnosis)
	}
	out, _, code = env.run(t, "", "verify", "--scheme", "github", "--secret", "wrong", "--secret", "It's a Secret to Everybody", "--header", sig, "--body", body)
	if code != 0 || !strings.Contains(out, "--secret#2") {
		t.Fatalf("rotation: exit %d\n%s", code, out)
	}

	if _, stderr, code := env.run(t, "", "send", "github", "ping", "--route", "github-pr"); code != 0 {
		t.Fatalf("send: %s", stderr)
	}
	id := env.newest(t).ID
	if out, stderr, code := env.run(t, "", "verify", "--capture", id); code != 0 {
		t.Fatalf("--capture with the route's secret: exit %d\n%s%s", code, out, stderr)
	}
	if out, _, code := env.run(t, "", "verify", "--capture", id, "--secret", "rotated"); code != 1 || !strings.Contains(out, "mismatch") {
		t.Fatalf("--capture with another secret: exit %d\n%s", code, out)
	}
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"verify", "--secret", "s", "--header", sig}, 2, "--body"},
		{[]string{"verify", "--secret", "s", "--header", "nocolon", "--body", body}, 2, "Name: value"},
		{[]string{"verify", "--secret", "s", "--body", body}, 2, "--scheme"},
		{[]string{"verify", "--scheme", "nope", "--secret", "s", "--body", body}, 2, "unknown scheme"},
		{[]string{"verify", "--scheme", "github", "--header", sig, "--body", body}, 2, "--secret is required"},
		{[]string{"verify", "--capture", "01zzzzzz", "--secret", "s"}, 1, "no capture with id"},
		{[]string{"verify", "--scheme", "github", "--secret", "s", "--body", filepath.Join(env.dir, "missing")}, 1, "no such file"},
	} {
		_, stderr, code := env.run(t, "", tc.args...)
		if code != tc.code || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, stderr %q", tc.args[1:], code, stderr)
		}
	}
}
