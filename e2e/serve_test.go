package e2e

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/signature"
)

// discordSeed is RFC 8032's test 1 key, as in signatures.md.
const discordSeed = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"

func discordPublic() string {
	seed, _ := hex.DecodeString(discordSeed)
	return hex.EncodeToString(ed25519.NewKeyFromSeed(seed).Public().(ed25519.PublicKey))
}

var schemes = []string{"github", "gitlab", "stripe", "slack", "shopify", "standard", "twilio", "discord",
	"paddle", "linear", "bitbucket", "zoom", "hmac", "timestamped", "header"}

func secretFor(scheme string) string {
	switch scheme {
	case "standard":
		return "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	case "stripe":
		return "whsec_stripe_test_secret"
	case "discord":
		return discordSeed
	}
	return scheme + "-secret"
}

func everySchemeConfig() string {
	var b strings.Builder
	b.WriteString("gateway:\n  rate_limit: 10000\n  routes:\n")
	for _, s := range schemes {
		fmt.Fprintf(&b, "    %s:\n      verify: %s\n", s, s)
		if s == "discord" {
			fmt.Fprintf(&b, "      public_key: %q\n", discordPublic())
			continue
		}
		fmt.Fprintf(&b, "      secret: %q\n", secretFor(s))
	}
	return b.String()
}

// signed builds a request body and headers signed for scheme, at time at.
func signed(t *testing.T, p *proc, scheme string, body []byte, at time.Time) http.Header {
	t.Helper()
	url := "http://" + p.gateway + "/webhooks/" + scheme
	h := http.Header{"Content-Type": {"application/json"}}
	if scheme == "twilio" {
		h.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	sig, err := signature.Sign(scheme, signature.SignInput{Method: http.MethodPost, URL: url, Header: h,
		Body: body, Secret: secretFor(scheme), Timestamp: at})
	if err != nil {
		t.Fatalf("%s: sign: %v", scheme, err)
	}
	for k, v := range sig {
		h[k] = v
	}
	return h
}

func bodyFor(scheme string, at time.Time) []byte {
	switch scheme {
	case "twilio":
		return []byte("CallSid=CA123&From=%2B12349013030&To=%2B18005551212")
	case "linear":
		return []byte(fmt.Sprintf(`{"action":"create","type":"Issue","webhookTimestamp":%d}`, at.UnixMilli()))
	}
	return []byte(`{"type":"test.event","id":"evt_` + scheme + `","data":{"n":1}}`)
}

func TestServeVerifiesEveryScheme(t *testing.T) {
	p := serve(t, everySchemeConfig())
	now := time.Now()
	for _, scheme := range schemes {
		t.Run(scheme, func(t *testing.T) {
			body := bodyFor(scheme, now)
			h := signed(t, p, scheme, body, now)
			if status, answer := p.post(t, "/webhooks/"+scheme, body, h); status != 202 {
				t.Fatalf("signed: %d %s", status, answer)
			}
			tampered := append([]byte(nil), body...)
			tampered[len(tampered)-2] ^= 1
			// gitlab and header send the secret itself: the body is not signed, so tampering passes.
			bodySigned := scheme != "gitlab" && scheme != "header"
			if status, answer := p.post(t, "/webhooks/"+scheme, tampered, h); bodySigned && status != 401 {
				t.Fatalf("tampered: %d %s", status, answer)
			}
			if status, answer := p.post(t, "/webhooks/"+scheme, body, http.Header{"Content-Type": {"application/json"}}); status != 401 ||
				!contains(answer, `"reason":"missing_header"`) {
				t.Fatalf("unsigned: %d %s", status, answer)
			}
		})
	}
}

func TestServeRejectsStaleTimestamps(t *testing.T) {
	p := serve(t, everySchemeConfig())
	old := time.Now().Add(-time.Hour)
	for _, scheme := range []string{"stripe", "slack", "standard", "timestamped", "zoom", "paddle"} {
		body := bodyFor(scheme, old)
		status, answer := p.post(t, "/webhooks/"+scheme, body, signed(t, p, scheme, body, old))
		if status != 401 || !contains(answer, `"reason":"timestamp_out_of_tolerance"`) {
			t.Errorf("%s: %d %s", scheme, status, answer)
		}
	}
}

// TestKill9KeepsAnsweredRequests kills the server mid-load; every 2xx answer must be in the store
// with its exact body (4 KB, so it lives in a body segment, not in the row).
func TestKill9KeepsAnsweredRequests(t *testing.T) {
	p := serve(t, "gateway:\n  rate_limit: 100000\n  routes:\n    r:\n      secret: INSECURE_NO_AUTH\n")
	var mu sync.Mutex
	var ids []string
	sent := map[string]string{}
	pad := strings.Repeat("x", 4000)
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for w := 0; w < 16; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			client := &http.Client{Timeout: 5 * time.Second}
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				body := fmt.Sprintf(`{"n":%d,"pad":"%s"}`, i, pad)
				resp, err := client.Post("http://"+p.gateway+"/webhooks/r", "application/json",
					strings.NewReader(body))
				if err != nil {
					return // the server is gone
				}
				var answer struct{ ID string }
				_ = decodeJSON(resp, &answer)
				if resp.StatusCode == 202 {
					mu.Lock()
					ids = append(ids, answer.ID)
					sent[answer.ID] = body
					mu.Unlock()
				}
			}
		}()
	}
	time.Sleep(1500 * time.Millisecond)
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-p.done
	close(stop)
	wg.Wait()
	if len(ids) < 50 {
		t.Fatalf("only %d requests answered before the kill; the test proves nothing", len(ids))
	}
	st, err := capture.OpenExisting(filepath.Join(p.dataDir, "hooktap.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, id := range ids {
		c, err := st.Get(context.Background(), id)
		if err != nil {
			t.Fatalf("answered 202 but lost after kill -9: %s: %v (of %d)", id, err, len(ids))
		}
		if string(c.Body) != sent[id] {
			t.Fatalf("answered 202 but its body differs after kill -9: %s (%d bytes, sent %d)", id, len(c.Body), len(sent[id]))
		}
	}
	t.Logf("%d answered requests all survived kill -9", len(ids))
}

func TestConfigErrorsExit2(t *testing.T) {
	dir := t.TempDir()
	cases := []struct{ name, yaml, want string }{
		{"typo", "gateway:\n  routes:\n    gh:\n      secrt: x\n", "config.yaml:4: gateway.routes.gh.secrt: unknown key"},
		{"no secret", "gateway:\n  routes:\n    gh:\n      verify: github\n", `route "gh" has no secret`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, "config.yaml")
			writeFile(t, path, tc.yaml)
			_, stderr, code := run(t, dir, "serve", "--config", path, "--data-dir", dir)
			if code != 2 || !contains(stderr, tc.want) {
				t.Fatalf("exit %d, stderr %q; want 2 and %q", code, stderr, tc.want)
			}
		})
	}
}

// TestCommandsFindTheRunningGateway: serve listens on a random port; send, with only the same
// data dir and config, reaches it through the runtime file serve writes.
func TestCommandsFindTheRunningGateway(t *testing.T) {
	yaml := "gateway:\n  routes:\n    gh:\n      secret: s3cret\n      verify: github\n"
	p := serve(t, yaml)
	cfg := filepath.Join(p.dataDir, "config.yaml")
	out, stderr, code := run(t, p.dataDir, "send", "github", "push", "--route", "gh", "--config", cfg, "--data-dir", p.dataDir)
	if code != 0 || !contains(out, "202") || !contains(out, p.gateway) {
		t.Fatalf("send: exit %d\nstdout %s\nstderr %s", code, out, stderr)
	}
	p.stop()
	if _, err := os.Stat(filepath.Join(p.dataDir, "runtime.json")); !os.IsNotExist(err) {
		t.Fatalf("runtime.json left behind after a clean stop: %v", err)
	}
}
