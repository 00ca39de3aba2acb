package tunnel

import (
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

type codedError struct{ code, msg string }

func (e codedError) Error() string {
	return e.msg + "\n\nhttps://ngrok.com/docs/errors/" + strings.ToLower(e.code)
}
func (e codedError) ErrorCode() string { return e.code }

type v2Error struct{ code string }

func (e v2Error) Error() string { return "endpoint failed" }
func (e v2Error) Code() string  { return e.code }

func TestExplain(t *testing.T) {
	dial := &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
	tests := []struct {
		name       string
		err        error
		wantHint   string
		wantReason string
	}{
		{"bad token code", fmt.Errorf("authentication failed: %w", codedError{"ERR_NGROK_105", "The authtoken you specified does not look like a proper ngrok authtoken."}), HintBadToken, "authtoken you specified"},
		{"session limit", codedError{"ERR_NGROK_108", "Your account is limited to 1 simultaneous ngrok agent sessions."}, HintSessionLimit, "simultaneous"},
		{"domain taken v2 shape", v2Error{"ERR_NGROK_334"}, HintDomain, "endpoint failed"},
		{"words only", errors.New("authentication failed: bad authtoken"), HintBadToken, "bad authtoken"},
		{"already online", errors.New("The endpoint 'https://x.ngrok.app' is already online."), HintDomain, "already online"},
		{"policy", errors.New("failed to start tunnel: invalid traffic policy"), HintTrafficPolicy, "invalid traffic policy"},
		{"unreachable", fmt.Errorf("failed to dial ngrok server with address \"127.0.0.1:1\": %w", dial), "cannot reach ngrok", "connection refused"},
		{"unknown", errors.New("something odd"), HintRetrying, "something odd"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			reason, hint := explain(tc.err)
			if !strings.Contains(hint, tc.wantHint) || !strings.Contains(reason, tc.wantReason) {
				t.Fatalf("explain = %q / %q; want reason with %q and hint %q", reason, hint, tc.wantReason, tc.wantHint)
			}
			if strings.Contains(reason, "\n") {
				t.Fatalf("reason spans lines: %q", reason)
			}
		})
	}
}

func TestLoadTrafficPolicy(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "policy.yml")
	content := "on_http_request:\n  - actions:\n      - type: deny\n"
	if err := os.WriteFile(file, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(dir, "empty.yml")
	if err := os.WriteFile(empty, []byte("  \n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, spec, want, wantErr string
	}{
		{name: "none", spec: "", want: ""},
		{name: "file", spec: file, want: content},
		{name: "inline yaml", spec: content, want: strings.TrimSpace(content)},
		{name: "inline json", spec: `{"on_http_request":[]}`, want: `{"on_http_request":[]}`},
		{name: "missing file", spec: filepath.Join(dir, "nope.yml"), wantErr: "tunnel.traffic_policy"},
		{name: "empty file", spec: empty, wantErr: "is empty"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := loadTrafficPolicy(tc.spec)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("got %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}
