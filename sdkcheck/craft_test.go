package sdkcheck

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	// The test runs the hooktap binary built from this module; importing the commands makes
	// go test's cache depend on them, so a cached pass never outlives a change to craft.
	_ "github.com/hooktap/hooktap/cli"
	"github.com/hooktap/hooktap/signature"
)

// craftCase is one `hooktap send` whose delivery an official SDK must accept.
type craftCase struct {
	provider, event string
	sdk             string // check.mjs's scheme name
	secret          string
}

// craftCases covers every craftable provider whose SDK can verify a delivery.
var craftCases = []craftCase{
	{"github", "push", "github", "It's a Secret to Everybody"},
	{"github", "pull_request", "github", "It's a Secret to Everybody"},
	{"stripe", "payment_intent.succeeded", "stripe", "whsec_test_secret_for_sdkcheck"},
	{"stripe", "checkout.session.completed", "stripe", "whsec_test_secret_for_sdkcheck"},
	{"shopify", "orders/create", "shopify", "shpss_sdkcheck_secret"},
	{"slack", "event_callback", "slack", "8f742231b10e8888abcd99yyyzzz85a5"},
	{"standard", "generic", "standard", standardSecret},
	{"twilio", "message.received", "twilio", "12345"},
	{"twilio", "call.incoming", "twilio", "12345"},
	{"paddle", "transaction.completed", "paddle", "pdl_ntfset_01hv8x2af0yy7kz2s4xy0cksjy_sdkcheck"},
	{"paddle", "subscription.created", "paddle", "pdl_ntfset_01hv8x2af0yy7kz2s4xy0cksjy_sdkcheck"},
	{"linear", "Issue.create", "linear", "lin_wh_sdkcheck_secret"},
	{"linear", "Comment.create", "linear", "lin_wh_sdkcheck_secret"},
	{"discord", "ping", "discord", discordSeed},
	{"discord", "application_command", "discord", discordSeed},
}

// publicKeyFor is the key a Discord receiver holds (derived from the seed hooktap signs with);
// other schemes need none.
func publicKeyFor(t *testing.T, c craftCase) string {
	if c.sdk != "discord" {
		return ""
	}
	pub, err := signature.DiscordPublicKey(c.secret)
	if err != nil || pub != discordPublic {
		t.Fatalf("public key of %s = %s, %v", c.secret, pub, err)
	}
	return pub
}

// TestCraftedDeliveriesAcceptedBySDK runs the real `hooktap send PROVIDER EVENT --to URL` for
// each case against a local receiver, then asks the provider's official SDK to verify exactly
// what arrived: the full path a developer uses to test their own handler. A --tamper send must
// be rejected by the same SDK.
func TestCraftedDeliveriesAcceptedBySDK(t *testing.T) {
	bin := buildHooktap(t)
	rec := newRecorder(t)
	for start := 0; start < len(craftCases); {
		end := start + 1
		for end < len(craftCases) && craftCases[end].provider == craftCases[start].provider {
			end++
		}
		verifySent(t, bin, rec, craftCases[start:end])
		start = end
	}
}

// verifySent sends each case as is and with --tamper, and has the SDK verify what arrived.
func verifySent(t *testing.T, bin string, rec *recorder, group []craftCase) {
	var cases []sdkCase
	for _, c := range group {
		for _, tamper := range []bool{false, true} {
			got := rec.send(t, bin, c, tamper)
			cases = append(cases, sdkCase{Mode: "verify", Scheme: c.sdk, Secret: c.secret, Body: got.body,
				URL: got.url, Headers: flatten(got.header), PublicKey: publicKeyFor(t, c), VerifyAt: paddleSignedAt(got)})
		}
	}
	results := runSDK(t, cases)
	for i, c := range group {
		t.Run(c.provider+"/"+c.event, func(t *testing.T) {
			good, bad := results[2*i], results[2*i+1]
			if !good.OK {
				t.Errorf("the %s SDK rejected `hooktap send %s %s`: %s (headers %v)", c.sdk, c.provider, c.event, good.Error, cases[2*i].Headers)
			}
			if bad.OK {
				t.Errorf("the %s SDK accepted `hooktap send %s %s --tamper`", c.sdk, c.provider, c.event)
			}
		})
	}
}

// paddleSignedAt is a Paddle delivery's signing time plus a second: Paddle's SDK allows only
// 5 s between signing and verifying, which a loaded machine starting node can exceed, so its
// clock is held there. Other deliveries return 0 (the real clock).
func paddleSignedAt(d delivery) int64 {
	ts, ok := strings.CutPrefix(d.header.Get("Paddle-Signature"), "ts=")
	if !ok {
		return 0
	}
	ts, _, _ = strings.Cut(ts, ";")
	n, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return 0
	}
	return n + 1
}

// delivery is one request as the receiver saw it.
type delivery struct {
	url    string
	header http.Header
	body   []byte
}

// recorder is a local receiver that keeps the last request it was sent.
type recorder struct {
	srv  *httptest.Server
	mu   sync.Mutex
	last *delivery
}

func newRecorder(t *testing.T) *recorder {
	r := &recorder{}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, err := io.ReadAll(req.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		r.mu.Lock()
		r.last = &delivery{url: "http://" + req.Host + req.URL.RequestURI(), header: req.Header.Clone(), body: body}
		r.mu.Unlock()
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(r.srv.Close)
	return r
}

// send runs hooktap send for c and returns what the receiver got.
func (r *recorder) send(t *testing.T, bin string, c craftCase, tamper bool) delivery {
	t.Helper()
	r.mu.Lock()
	r.last = nil
	r.mu.Unlock()
	args := []string{"send", c.provider, c.event, "--to", r.srv.URL + "/hooks/" + c.provider, "--secret", c.secret}
	if tamper {
		args = append(args, "--tamper")
	}
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "XDG_CONFIG_HOME="+t.TempDir(), "XDG_DATA_HOME="+t.TempDir(), "NO_COLOR=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("hooktap %v: %v\n%s", args, err, out)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.last == nil {
		t.Fatalf("hooktap %v sent nothing", args)
	}
	return *r.last
}

// buildHooktap builds the binary from this module into the test's temp dir.
func buildHooktap(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "hooktap")
	if out, err := exec.Command("go", "build", "-o", bin, "..").CombinedOutput(); err != nil {
		t.Fatalf("build hooktap: %v\n%s", err, out)
	}
	return bin
}
