package cli

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/notify"
)

func TestSendRefusedByTheReceiverExitsNonZero(t *testing.T) {
	env := newCraftEnv(t)
	out, _, code := env.run(t, "", "send", "github", "push", "--route", "github-pr", "--secret", "not-the-secret")
	if code != 1 || !strings.Contains(out, "401") {
		t.Fatalf("a 401 answer: exit %d\n%s", code, out)
	}
	if _, _, code := env.run(t, "", "send", "github", "push", "--route", "github-pr", "--tamper"); code != 0 {
		t.Fatalf("--tamper asks for the 401: exit %d, want 0", code)
	}
	if _, _, code := env.run(t, "", "send", "github", "push", "--route", "github-pr"); code != 0 {
		t.Fatalf("an accepted send: exit %d", code)
	}
}

func TestSendPrintEndsWithTheSignedBytes(t *testing.T) {
	env := newCraftEnv(t)
	out, _, code := env.run(t, "", "send", "github", "push", "--route", "github-pr", "--print")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	_, body, ok := strings.Cut(out, "\n\n")
	if !ok || strings.HasSuffix(out, "\n") || !strings.HasSuffix(body, "}") {
		t.Fatalf("--print must end with the body's last byte, got tail %q", out[max(len(out)-20, 0):])
	}
}

func TestSendDuplicateHintNamesSendsOwnFlags(t *testing.T) {
	env := newCraftEnv(t)
	env.run(t, "", "send", "github", "push", "--route", "github-pr")
	out, _, _ := env.run(t, "", "send", "github", "push", "--route", "github-pr", "--duplicate")
	if strings.Contains(out, "--resign") || strings.Contains(out, "--edit") {
		t.Fatalf("send's output names replay's flags:\n%s", out)
	}
}

func TestSendWithNoGatewayHintsAndStoresNothing(t *testing.T) {
	dir := t.TempDir()
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	cfgFile := filepath.Join(dir, "config.yaml")
	yaml := fmt.Sprintf("gateway:\n  port: %d\n  routes:\n    github-pr:\n      secret: gh-secret\n      verify: github\n", port)
	if err := os.WriteFile(cfgFile, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	env := &craftEnv{dir: dir, configFile: cfgFile}
	_, stderr, code := env.run(t, "", "send", "github", "push", "--route", "github-pr")
	if code != 1 || !strings.Contains(stderr, "start `hooktap`") {
		t.Fatalf("exit %d, stderr %q; want a hint to start hooktap", code, stderr)
	}
	st, err := capture.Open(filepath.Join(dir, "hooktap.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if n, err := st.Count(context.Background(), capture.Filter{}); err != nil || n != 0 {
		t.Fatalf("%d captures stored for a send nothing received (%v)", n, err)
	}
}

func TestAttemptLineSaysWhyNoAnswerCame(t *testing.T) {
	refused := attemptLine(notify.Attempt{N: 1, Error: "dial tcp 127.0.0.1:9: connect: connection refused"})
	if strings.Contains(refused, "in 0s") || !strings.Contains(refused, "connection refused") {
		t.Fatalf("refused: %q", refused)
	}
	if got := attemptLine(notify.Attempt{N: 2, Status: 503, Error: "Service Unavailable", Duration: 40 * time.Millisecond}); !strings.Contains(got, "503") || !strings.Contains(got, "40ms") {
		t.Fatalf("503: %q", got)
	}
}
