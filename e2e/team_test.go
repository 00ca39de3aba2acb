package e2e

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hooktap/hooktap/internal/pgtest"
	"github.com/hooktap/hooktap/internal/redistest"
)

// Team mode: two real `hooktap serve` processes on one PostgreSQL store and one Redis, as a team
// runs them behind a load balancer.

const (
	teamGitHubSecret = "team-github-secret"
	teamStripeSecret = "whsec_team_stripe_secret"
)

// teamServices returns a PostgreSQL URL confined to a fresh schema and a Redis URL confined to a
// fresh key prefix (both dropped when the test ends), or skips when the machine has neither.
func teamServices(t *testing.T) (store, redis string) {
	t.Helper()
	redis, _ = redistest.URL(t)
	return pgtest.URL(t), redis
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// teamConfig is one configuration both instances share: GitHub and Stripe routes forwarding to
// target (limited only by what the machine takes), and a route limited to 10 a minute.
func teamConfig(target, suffix string) string {
	return fmt.Sprintf(`
gateway:
  routes:
    gh-%[2]s:
      verify: github
      secret: %[3]s
      deliver: forward
      deliver_extra: { url: "%[1]s/github" }
      rate_limit: 1000000
    st-%[2]s:
      verify: stripe
      secret: %[4]s
      deliver: forward
      deliver_extra: { url: "%[1]s/stripe" }
      rate_limit: 1000000
    lim-%[2]s:
      secret: INSECURE_NO_AUTH
      rate_limit: 10
`, target, suffix, teamGitHubSecret, teamStripeSecret)
}

// serveTeam starts one instance with its own data dir on the shared store and Redis.
func serveTeam(t *testing.T, cfg, store, redis string) *proc {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "config.yaml")
	writeFile(t, path, cfg)
	cmd := exec.Command(binary, "serve", "--data-dir", dir, "--config", path, "--addr", "127.0.0.1:0",
		"--admin-addr", "127.0.0.1:0", "--tunnel", "off", "--store", store, "--redis", redis)
	cmd.Env = cleanEnv(dir)
	return launch(t, cmd, dir)
}

// deliveryCounter is a forward target counting deliveries per GitHub/Stripe event id.
type deliveryCounter struct {
	mu   sync.Mutex
	byID map[string]int
	down atomic.Bool
}

func (d *deliveryCounter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if d.down.Load() {
		http.Error(w, "down for maintenance", http.StatusServiceUnavailable)
		return
	}
	body, _ := io.ReadAll(r.Body)
	var ev struct {
		ID string `json:"id"`
	}
	_ = json.Unmarshal(body, &ev)
	d.mu.Lock()
	d.byID[ev.ID]++
	d.mu.Unlock()
}

func (d *deliveryCounter) counts() map[string]int {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := make(map[string]int, len(d.byID))
	for k, v := range d.byID {
		out[k] = v
	}
	return out
}

func startCounter(t *testing.T) (*deliveryCounter, string) {
	t.Helper()
	c := &deliveryCounter{byID: map[string]int{}}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: c, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return c, "http://" + ln.Addr().String()
}

// githubDelivery is a signed GitHub push with delivery id id.
func githubDelivery(id string) ([]byte, http.Header) {
	body := fmt.Appendf(nil, `{"id":%q,"ref":"refs/heads/main","repository":{"full_name":"team/app"}}`, id)
	return body, http.Header{"X-Github-Event": {"push"}, "X-Github-Delivery": {id},
		"Content-Type":        {"application/json"},
		"X-Hub-Signature-256": {hubSig(teamGitHubSecret, body)}}
}

// stripeEvent is a signed Stripe event with id id.
func stripeEvent(id string) ([]byte, http.Header) {
	body := fmt.Appendf(nil, `{"id":%q,"object":"event","type":"invoice.paid"}`, id)
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	m := hmac.New(sha256.New, []byte(teamStripeSecret))
	m.Write([]byte(ts + "." + string(body)))
	return body, http.Header{"Content-Type": {"application/json"},
		"Stripe-Signature": {"t=" + ts + ",v1=" + hex.EncodeToString(m.Sum(nil))}}
}

// postStatus sends one request and returns its status, or 0 when the connection failed (the
// instance was killed): a failed request was never acknowledged.
func postStatus(gateway, path string, body []byte, h http.Header) int {
	req, err := http.NewRequest(http.MethodPost, "http://"+gateway+path, strings.NewReader(string(body)))
	if err != nil {
		return 0
	}
	req.Header = h.Clone()
	client := &http.Client{Timeout: 10 * time.Second}
	resp, err := client.Do(req)
	if err != nil {
		return 0
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode
}

// sharedCapture is what the tests read of a capture listed from the shared store.
type sharedCapture struct {
	ID         string `json:"id"`
	Route      string `json:"route"`
	DeliveryID string `json:"delivery_id"`
	Status     int    `json:"status"`
}

// listShared lists every capture in the shared store through the CLI, page by page, as a
// developer would.
func listShared(t *testing.T, store string) []sharedCapture {
	t.Helper()
	dir := t.TempDir()
	var all []sharedCapture
	before := ""
	for {
		args := []string{"captures", "list", "--store", store, "--json", "--limit", "1000", "--data-dir", dir}
		if before != "" {
			args = append(args, "--before", before)
		}
		out, errOut, code := run(t, dir, args...)
		if code != 0 {
			t.Fatalf("captures list --store (exit %d): %s", code, errOut)
		}
		var page struct {
			Captures []sharedCapture `json:"captures"`
			Next     *string         `json:"next"`
		}
		if err := json.Unmarshal([]byte(out), &page); err != nil {
			t.Fatalf("captures list --json: %v\n%s", err, out)
		}
		all = append(all, page.Captures...)
		if page.Next == nil {
			return all
		}
		before = *page.Next
	}
}

func waitFor(t *testing.T, what string, within time.Duration, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("after %s: %s", within, what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// Deliveries spread over two instances are all in the shared store and each is forwarded once;
// one delivery id sent to both is processed once; a route's limit holds across both.
func TestTeamTwoInstancesShareStoreAndState(t *testing.T) {
	store, redis := teamServices(t)
	target, targetURL := startCounter(t)
	suffix := randomHex(3)
	cfg := teamConfig(targetURL, suffix)
	a, b := serveTeam(t, cfg, store, redis), serveTeam(t, cfg, store, redis)
	instances := []*proc{a, b}

	const n = 40
	for i := range n {
		p := instances[i%2]
		var body []byte
		var h http.Header
		path := "/webhooks/gh-" + suffix
		if i%4 < 2 {
			body, h = githubDelivery(fmt.Sprintf("gh-%d", i))
		} else {
			body, h = stripeEvent(fmt.Sprintf("evt_%d", i))
			path = "/webhooks/st-" + suffix
		}
		if status := postStatus(p.gateway, path, body, h); status != http.StatusAccepted {
			t.Fatalf("request %d to instance %d: status %d\n%s", i, i%2, status, p.output())
		}
	}
	waitFor(t, "every capture is listed from the shared store", 10*time.Second, func() bool {
		return len(listShared(t, store)) == n
	})

	// The same GitHub delivery to both instances: processed (and forwarded) once.
	body, h := githubDelivery("gh-twice")
	first := postStatus(a.gateway, "/webhooks/gh-"+suffix, body, h)
	second := postStatus(b.gateway, "/webhooks/gh-"+suffix, body, h)
	if first != http.StatusAccepted || second/100 != 2 || second == http.StatusAccepted {
		t.Fatalf("one delivery id sent to both instances: %d then %d, want 202 then a duplicate 2xx", first, second)
	}

	waitFor(t, "every accepted event reaches the target", 15*time.Second, func() bool {
		return len(target.counts()) == n+1
	})
	for id, c := range target.counts() {
		if c != 1 {
			t.Errorf("event %s was forwarded %d times", id, c)
		}
	}

	// A limit of 10 a minute holds across both instances.
	accepted, began := 0, time.Now()
	for i := range 20 {
		p := instances[i%2]
		status := postStatus(p.gateway, "/webhooks/lim-"+suffix, fmt.Appendf(nil, `{"n":%d}`, i), http.Header{"Content-Type": {"application/json"}})
		switch status {
		case http.StatusAccepted:
			accepted++
		case http.StatusTooManyRequests:
		default:
			t.Fatalf("limited route, request %d: status %d", i, status)
		}
	}
	// The budget earns one request back every 6 s; a slow machine may have earned some.
	if refilled := int(time.Since(began) / (6 * time.Second)); accepted < 10 || accepted > 10+refilled {
		t.Fatalf("a limit of 10/min across two instances accepted %d of 20", accepted)
	}
}

// kill -9 of one instance under load loses nothing it answered 2xx: every such capture is in the
// shared store, and the deliveries it still owed are completed by the other instance.
func TestTeamKill9LosesNothingAcknowledged(t *testing.T) {
	store, redis := teamServices(t)
	target, targetURL := startCounter(t)
	target.down.Store(true) // deliveries pile up in the outbox while the load runs
	suffix := randomHex(3)
	cfg := teamConfig(targetURL, suffix)
	a, b := serveTeam(t, cfg, store, redis), serveTeam(t, cfg, store, redis)

	var (
		mu       sync.Mutex
		acked    []string
		statuses = map[int]int{}
		wg       sync.WaitGroup
		seq      atomic.Int64
		stop     = make(chan struct{})
	)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				id := fmt.Sprintf("gh-load-%d", seq.Add(1))
				body, h := githubDelivery(id)
				status := postStatus(a.gateway, "/webhooks/gh-"+suffix, body, h)
				mu.Lock()
				statuses[status]++
				if status == http.StatusAccepted {
					acked = append(acked, id)
				}
				mu.Unlock()
			}
		}()
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		mu.Lock()
		n, seen := len(acked), fmt.Sprint(statuses)
		mu.Unlock()
		if n >= 200 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("instance A acknowledged %d deliveries in 20 s; answers by status: %s\n%s", n, seen, a.output())
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err := a.cmd.Process.Kill(); err != nil { // SIGKILL, mid-load
		t.Fatal(err)
	}
	<-a.done
	close(stop)
	wg.Wait()
	t.Logf("instance A acknowledged %d deliveries before kill -9", len(acked))

	stored := map[string]bool{}
	for _, c := range listShared(t, store) {
		stored[c.DeliveryID] = true
	}
	for _, id := range acked {
		if !stored[id] {
			t.Fatalf("delivery %s was answered 202 by instance A but is not in the shared store", id)
		}
	}

	target.down.Store(false)
	waitFor(t, "instance B completes every delivery instance A acknowledged", 90*time.Second, func() bool {
		got := target.counts()
		for _, id := range acked {
			if got[id] == 0 {
				return false
			}
		}
		return true
	})
	if !strings.Contains(b.output(), "hooktap started") {
		t.Fatalf("instance B log:\n%s", b.output())
	}
}
