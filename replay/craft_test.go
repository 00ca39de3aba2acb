package replay

import (
	"encoding/json"
	"io/fs"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/hooktap/hooktap/signature"
)

// secretFor returns a secret each scheme accepts (Standard Webhooks wants whsec_ + base64).
// Discord signs with an Ed25519 private key seed (RFC 8032's first test key).
func secretFor(scheme string) string {
	switch scheme {
	case "standard":
		return "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	case "discord":
		return "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"
	}
	return "test-secret-0123456789"
}

// testURL is where the tests' crafted deliveries go; Twilio signs it.
const testURL = "http://127.0.0.1:8644/webhooks/x"

func verifyCrafted(t *testing.T, p *providerSpec, c *Crafted, secret string, now time.Time) signature.Outcome {
	t.Helper()
	if p.Scheme == "discord" { // the receiver holds the public key
		secret, _ = signature.DiscordPublicKey(secret)
	}
	return signature.Verify(
		signature.Request{Method: c.Method, URL: testURL, Header: c.Header, Body: c.Body},
		signature.Params{Scheme: p.Scheme, Secrets: []signature.Secret{{Label: "r#1", Value: secret}},
			SignatureHeader: p.signatureHeader, TimestampHeader: p.timestampHeader,
			Now: func() time.Time { return now }})
}

func TestFixturesAreRealisticJSON(t *testing.T) {
	// Real deliveries of these providers are several KB; the others are small by nature.
	big := map[string]bool{"github": true, "gitlab": true, "stripe": true, "shopify": true}
	seen := 0
	err := fs.WalkDir(fixtureFS, "fixtures", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		seen++
		b, _ := fixtureFS.ReadFile(path)
		if strings.HasSuffix(path, ".form") {
			if _, err := url.ParseQuery(strings.TrimSpace(string(b))); err != nil || !strings.Contains(string(b), "AccountSid=") {
				t.Errorf("%s is not a Twilio form body: %v", path, err)
			}
		} else if !json.Valid(b) {
			t.Errorf("%s is not valid JSON", path)
		}
		provider := strings.Split(path, "/")[1]
		if big[provider] && len(b) < 1024 {
			t.Errorf("%s is %d bytes; the real payload is over 1 KB", path, len(b))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := 0
	for _, p := range Providers() {
		want += len(p.Events)
		for _, e := range p.Events {
			if _, err := Fixture(p.Name, e); err != nil {
				t.Errorf("no fixture for %s %s: %v", p.Name, e, err)
			}
		}
	}
	if seen != want {
		t.Errorf("%d fixture files, %d events listed", seen, want)
	}
}

func TestEveryCraftedEventVerifies(t *testing.T) {
	now := time.Date(2026, 11, 22, 10, 30, 0, 0, time.UTC)
	for _, p := range providers {
		for _, event := range p.Events {
			t.Run(p.Name+"/"+event, func(t *testing.T) {
				secret := secretFor(p.Scheme)
				c, err := Craft(p.Name, event, CraftOptions{Secret: secret, Now: now, URL: testURL})
				if err != nil {
					t.Fatalf("Craft: %v", err)
				}
				if !p.form && !json.Valid(c.Body) {
					t.Fatalf("crafted body is not JSON")
				}
				if o := verifyCrafted(t, &p, c, secret, now); o.Result != signature.Verified {
					t.Fatalf("crafted event does not verify: %+v", o)
				}
				if o := verifyCrafted(t, &p, c, secret+"x", now); o.Result != signature.Failed {
					t.Fatalf("verifies with the wrong secret: %+v", o)
				}
				tampered, err := Craft(p.Name, event, CraftOptions{Secret: secret, Now: now, Tamper: true, URL: testURL})
				if err != nil {
					t.Fatal(err)
				}
				if o := verifyCrafted(t, &p, tampered, secret, now); p.Scheme != "gitlab" && o.Result != signature.Failed {
					t.Fatalf("tampered event verifies: %+v", o)
				}
			})
		}
	}
}

func TestStaleFailsOnTimestampedSchemes(t *testing.T) {
	now := time.Date(2026, 11, 22, 10, 30, 0, 0, time.UTC)
	for _, p := range providers {
		t.Run(p.Name, func(t *testing.T) {
			secret := secretFor(p.Scheme)
			c, err := Craft(p.Name, p.Events[0], CraftOptions{Secret: secret, Now: now, Stale: 10 * time.Minute, URL: testURL})
			if err != nil {
				t.Fatal(err)
			}
			o := verifyCrafted(t, &p, c, secret, now)
			if SignsTimestamp(p.Scheme) {
				if o.Reason != signature.ReasonTimestampTolerance {
					t.Fatalf("stale %s event: got %+v, want timestamp_out_of_tolerance", p.Name, o)
				}
				return
			}
			if len(c.Warnings) == 0 {
				t.Fatalf("--stale on %s should warn that it cannot fail", p.Scheme)
			}
		})
	}
}

func TestFreshIDsAndHeaders(t *testing.T) {
	now := time.Now()
	a, _ := Craft("github", "push", CraftOptions{Secret: "s", Now: now})
	b, _ := Craft("github", "push", CraftOptions{Secret: "s", Now: now})
	if a.DeliveryID == b.DeliveryID || a.Header.Get("X-GitHub-Delivery") != a.DeliveryID {
		t.Fatalf("delivery ids not fresh or not in X-GitHub-Delivery: %q %q", a.DeliveryID, b.DeliveryID)
	}
	if a.Header.Get("X-GitHub-Event") != "push" || !strings.HasPrefix(a.Header.Get("User-Agent"), "GitHub-Hookshot/") {
		t.Fatalf("github headers wrong: %v", a.Header)
	}
	s, _ := Craft("stripe", "payment_intent.succeeded", CraftOptions{Secret: "whsec_x", Now: now})
	var ev struct {
		ID      string `json:"id"`
		Created int64  `json:"created"`
	}
	if err := json.Unmarshal(s.Body, &ev); err != nil || ev.ID != s.DeliveryID || !strings.HasPrefix(ev.ID, "evt_") || ev.Created != now.Unix() {
		t.Fatalf("stripe body id/created not fresh: %+v (delivery %s) %v", ev, s.DeliveryID, err)
	}
	g, _ := Craft("gitlab", "merge_request", CraftOptions{Secret: "tok"})
	if g.Header.Get("X-Gitlab-Event") != "Merge Request Hook" || g.Header.Get("X-Gitlab-Event-UUID") != g.DeliveryID {
		t.Fatalf("gitlab headers wrong: %v", g.Header)
	}
	sh, _ := Craft("shopify", "orders/create", CraftOptions{Secret: "s"})
	if sh.Header.Get("X-Shopify-Topic") != "orders/create" || sh.Header.Get("X-Shopify-Webhook-Id") != sh.DeliveryID {
		t.Fatalf("shopify headers wrong: %v", sh.Header)
	}
	dup, _ := Craft("costkatana", "cost.alert", CraftOptions{Secret: "s", DeliveryID: "evt_same"})
	if !strings.Contains(string(dup.Body), `"event_id":"evt_same"`) {
		t.Fatalf("duplicate delivery id not reused in the body: %s", dup.Body)
	}
}

func TestCraftSetsAndErrors(t *testing.T) {
	c, err := Craft("github", "pull_request", CraftOptions{Secret: "s", Sets: []string{
		"pull_request.title=Fix the doctor", "number=7", "pull_request.labels.0.name=urgent",
		"new.nested.flag=true", `pull_request.user={"login":"x"}`,
	}})
	if err != nil {
		t.Fatal(err)
	}
	var v struct {
		Number      int `json:"number"`
		PullRequest struct {
			Title  string                  `json:"title"`
			Labels []struct{ Name string } `json:"labels"`
			User   map[string]any          `json:"user"`
		} `json:"pull_request"`
		New struct{ Nested struct{ Flag bool } } `json:"new"`
	}
	if err := json.Unmarshal(c.Body, &v); err != nil {
		t.Fatal(err)
	}
	if v.Number != 7 || v.PullRequest.Title != "Fix the doctor" || v.PullRequest.Labels[0].Name != "urgent" ||
		!v.New.Nested.Flag || len(v.PullRequest.User) != 1 {
		t.Fatalf("sets not applied: %+v", v)
	}
	if !strings.HasPrefix(string(c.Body), `{"action":"opened","number":7,`) {
		t.Fatalf("key order not kept: %.60s", c.Body)
	}
	bad := []struct{ provider, event, set, want string }{
		{"nope", "push", "", "valid providers: github, gitlab"},
		{"github", "nope", "", "valid events: ping, push"},
		{"github", "push", "ref.x=1", "ref is a string"},
		{"github", "push", "commits.9.id=1", "past the end"},
		{"github", "push", "commits.x=1", "is an array"},
		{"github", "push", "noequals", "want path=value"},
	}
	for _, tc := range bad {
		var sets []string
		if tc.set != "" {
			sets = []string{tc.set}
		}
		_, err := Craft(tc.provider, tc.event, CraftOptions{Secret: "s", Sets: sets})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Craft(%s %s %s) error %v, want %q", tc.provider, tc.event, tc.set, err, tc.want)
		}
	}
	if _, err := Craft("github", "push", CraftOptions{}); err == nil {
		t.Errorf("Craft without a secret should fail")
	}
}

func TestCraftBodyAndOversize(t *testing.T) {
	own := []byte("{\"hello\":\"world\"}\n")
	c, err := Craft("github", "push", CraftOptions{Secret: "s", Body: own})
	if err != nil || string(c.Body) != string(own) {
		t.Fatalf("--body not used as is: %q %v", c.Body, err)
	}
	big, err := Craft("costkatana", "budget.exceeded", CraftOptions{Secret: "s", OversizeTo: 2 << 20})
	if err != nil {
		t.Fatal(err)
	}
	if len(big.Body) != 2<<20 || !json.Valid(big.Body) {
		t.Fatalf("oversize body: %d bytes, valid JSON %v", len(big.Body), json.Valid(big.Body))
	}
	p, _ := findProvider("costkatana")
	if o := verifyCrafted(t, p, big, "s", time.Now()); o.Result != signature.Verified {
		t.Fatalf("oversize body not signed after padding: %+v", o)
	}
}

func TestProvidersListEveryRequiredEvent(t *testing.T) {
	required := map[string][]string{
		"github":     {"ping", "push", "pull_request", "issues", "release", "workflow_run"},
		"gitlab":     {"push", "merge_request"},
		"stripe":     {"payment_intent.succeeded", "payment_intent.payment_failed", "checkout.session.completed"},
		"shopify":    {"orders/create"},
		"slack":      {"event_callback"},
		"standard":   {"generic"},
		"costkatana": {"cost.alert", "budget.warning", "budget.exceeded"},
	}
	for name, events := range required {
		p, ok := findProvider(name)
		if !ok {
			t.Fatalf("provider %s missing", name)
		}
		for _, e := range events {
			if !p.hasEvent(e) {
				t.Errorf("%s lacks %s", name, e)
			}
		}
	}
}

func TestLastDelivery(t *testing.T) {
	dir := t.TempDir() + "/data"
	if got := LastDelivery(dir, "github"); got != "" {
		t.Fatalf("empty dir: %q", got)
	}
	RememberDelivery(dir, "github", "a")
	RememberDelivery(dir, "stripe", "evt_b")
	RememberDelivery(dir, "github", "c")
	if LastDelivery(dir, "github") != "c" || LastDelivery(dir, "stripe") != "evt_b" {
		t.Fatalf("remembered %q %q", LastDelivery(dir, "github"), LastDelivery(dir, "stripe"))
	}
}
