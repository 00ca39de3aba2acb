package e2e

import (
	"net"
	"testing"
)

// An admin address off loopback is bad usage, found before anything is opened: exit 2.
func TestAdminAddrOffLoopbackIsUsageError(t *testing.T) {
	dir := t.TempDir()
	_, stderr, code := run(t, dir, "serve", "--data-dir", dir, "--addr", "127.0.0.1:0", "--tunnel", "off",
		"--admin-addr", "0.0.0.0:8645")
	if code != 2 || !contains(stderr, "loopback") {
		t.Fatalf("exit %d, stderr %q; want exit 2 naming loopback", code, stderr)
	}
}

// A start that fails after the store opened (the admin port taken) says why, and nothing about
// retention running against a closed database.
func TestFailedStartLogsNoStoreErrors(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	dir := t.TempDir()
	for range 3 {
		_, stderr, code := run(t, dir, "serve", "--data-dir", dir, "--addr", "127.0.0.1:0", "--tunnel", "off",
			"--admin-addr", busy.Addr().String())
		if code != 1 || !contains(stderr, "address already in use") {
			t.Fatalf("exit %d, stderr %q; want exit 1 naming the busy address", code, stderr)
		}
		for _, bad := range []string{"retention", "database is closed", "store close"} {
			if contains(stderr, bad) {
				t.Fatalf("a failed start logged %q:\n%s", bad, stderr)
			}
		}
	}
}
