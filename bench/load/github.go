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

// routeName is the route that only verifies; templateRoute adds the prompt most routes carry.
const (
	routeName     = "github"
	templateRoute = "github-prompt"
	// routePrompt is the template of templateRoute; the bare baseline renders the same text.
	routePrompt = "push to {ref}"
)

// benchRoute is one route the harness measures: its name in the table and its URL path.
type benchRoute struct {
	label string // "template" or "verify"
	name  string // the route's name in hooktap's config and the bare server's path
}

// benchRoutes are the routes -routes may name, in the default order of the table.
var benchRoutes = []benchRoute{{"template", templateRoute}, {"verify", routeName}}

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
