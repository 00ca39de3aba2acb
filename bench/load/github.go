package main

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"net/http"
	"sync/atomic"
)

// pushPayload is a real-shaped GitHub push delivery of about 7.6 KB.
//
//go:embed testdata/github_push.json
var pushPayload []byte

// routeName is the one route the harness configures in hooktap.
const routeName = "github"

// githubSign returns the X-Hub-Signature-256 value GitHub sends for body.
func githubSign(secret string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// newSecret makes a fresh random secret for one harness run, so nothing fixed is ever configured.
func newSecret() string {
	return "bench-" + rand.Text()
}

// githubTarget sends the push payload to url correctly signed, each request with a fresh
// X-GitHub-Delivery so hooktap's idempotency check never answers from its dedupe table.
func githubTarget(url, secret string, seq *atomic.Uint64) target {
	h := http.Header{}
	h.Set("Content-Type", "application/json")
	h.Set("User-Agent", "GitHub-Hookshot/bench")
	h.Set("X-GitHub-Event", "push")
	h.Set("X-GitHub-Hook-ID", "123456789")
	h.Set("X-Hub-Signature-256", githubSign(secret, pushPayload))
	return target{url: url, body: pushPayload, header: h, seq: seq, seqHdr: "X-GitHub-Delivery",
		seqPrefix: "bench-" + rand.Text()[:8] + "-"}
}
