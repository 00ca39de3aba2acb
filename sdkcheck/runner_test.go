package sdkcheck

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// sdkCase is one request to check.mjs; field names follow its JSON protocol.
type sdkCase struct {
	Mode      string            `json:"mode"`
	Scheme    string            `json:"scheme"`
	Secret    string            `json:"secret,omitempty"`
	PublicKey string            `json:"publicKey,omitempty"`
	Body      []byte            `json:"body"` // encoding/json writes []byte as base64, as check.mjs expects
	URL       string            `json:"url,omitempty"`
	Timestamp int64             `json:"timestamp,omitempty"`
	ID        string            `json:"id,omitempty"`
	Headers   map[string]string `json:"headers,omitempty"`
	VerifyAt  int64             `json:"verifyAt,omitempty"`
}

// sdkResult is check.mjs's answer to one case.
type sdkResult struct {
	Headers map[string]string `json:"headers"`
	OK      bool              `json:"ok"`
	Error   string            `json:"error"`
}

var (
	setupOnce sync.Once
	nodePath  string
	setupErr  string
	setupSkip bool
)

// requireSDKs returns the node binary once node_modules is installed. Without node it fails
// under CI=true (the cross-check must run there) and skips elsewhere.
func requireSDKs(t *testing.T) string {
	t.Helper()
	setupOnce.Do(setupSDKs)
	if setupErr != "" {
		if setupSkip && os.Getenv("CI") != "true" {
			t.Skip(setupErr)
		}
		t.Fatal(setupErr)
	}
	return nodePath
}

func setupSDKs() {
	node, err := exec.LookPath("node")
	if err != nil {
		setupErr, setupSkip = "node is not on PATH: install Node.js 20+ to cross-check signatures against the providers' SDKs", true
		return
	}
	nodePath = node
	if _, err := os.Stat(filepath.Join("node_modules", ".package-lock.json")); err == nil {
		return
	}
	npm, err := exec.LookPath("npm")
	if err != nil {
		setupErr, setupSkip = "sdkcheck/node_modules is missing and npm is not on PATH: run npm ci --prefix sdkcheck", true
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, npm, "ci", "--no-audit", "--no-fund").CombinedOutput()
	if err != nil {
		setupErr = "npm ci in sdkcheck/ failed: " + err.Error() + "\n" + string(out)
	}
}

// runSDK sends a batch of cases to check.mjs and returns one result per case.
func runSDK(t *testing.T, cases []sdkCase) []sdkResult {
	t.Helper()
	node := requireSDKs(t)
	in, err := json.Marshal(cases)
	if err != nil {
		t.Fatalf("encode cases: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "check.mjs")
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node check.mjs: %v\n%s", err, stderr.String())
	}
	var res []sdkResult
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("decode check.mjs output %q: %v", out, err)
	}
	if len(res) != len(cases) {
		t.Fatalf("check.mjs answered %d results for %d cases", len(res), len(cases))
	}
	return res
}
