package cli

import (
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hooktap/hooktap/admin"
	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/config"
)

// adminOver serves the admin API over the store in dir on 127.0.0.1:0 and returns its URL.
func adminOver(t *testing.T, dir, token string) string {
	t.Helper()
	st, err := capture.Open(filepath.Join(dir, "hooktap.db"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := config.Default()
	cfg.Admin.Token = token
	hs := httptest.NewServer(admin.New(admin.Deps{Config: &cfg, Store: st}).Handler())
	t.Cleanup(func() { hs.CloseClientConnections(); hs.Close(); st.Close() })
	return hs.URL
}

// The same command prints the same bytes whether it reads the store or a hooktap serving it:
// masked by the one rule once, never twice; revealed alike.
func TestRemoteCommandsAgreeWithLocal(t *testing.T) {
	server := t.TempDir()
	cs := seedCaptures(t, server)
	url := adminOver(t, server, "tok")
	elsewhere := t.TempDir()
	id := cs[0].ID
	for _, args := range [][]string{
		{"list", "--json"},
		{"list", "--json", "--reveal"},
		{"list", "--limit", "2"},
		{"show", id, "--json"},
		{"show", id, "--raw"},
		{"export", id, "--format", "json"},
		{"export", id, "--format", "curl", "--reveal", "--base-url", "http://127.0.0.1:8644"},
		{"export", cs[0].ID, cs[1].ID, "--format", "har"},
	} {
		local, lerr, lcode := capturesRun(t, server, args...)
		remote, rerr, rcode := capturesRun(t, elsewhere, append(args, "--remote", url, "--token", "tok")...)
		if lcode != 0 || rcode != 0 || local != remote {
			t.Errorf("captures %v: local (exit %d) and --remote (exit %d) differ:\n%s%s\n---\n%s%s", args, lcode, rcode, local, lerr, remote, rerr)
		}
	}
}

func TestRemoteUsageErrors(t *testing.T) {
	server := t.TempDir()
	seedCaptures(t, server)
	url := adminOver(t, server, "tok")
	dir := t.TempDir()
	for _, tt := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"list", "--remote", "127.0.0.1:8645"}, 2, "admin API's URL"},
		{[]string{"list", "--remote", "http://u:p@127.0.0.1:8645"}, 2, "--token"},
		{[]string{"list", "--remote", url, "--store", "sqlite:x.db"}, 2, "give one of them"},
		{[]string{"list", "--remote", url}, 1, "HOOKTAP_ADMIN_TOKEN"},
		{[]string{"show", "7zzzzz", "--remote", url, "--token", "tok"}, 1, "no capture with id"},
	} {
		_, stderr, code := capturesRun(t, dir, tt.args...)
		if code != tt.code || !strings.Contains(stderr, tt.want) {
			t.Errorf("captures %v: exit %d, want %d; stderr %q, want it to say %q", tt.args, code, tt.code, stderr, tt.want)
		}
	}
}
