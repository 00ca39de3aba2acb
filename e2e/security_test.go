package e2e

import (
	"bufio"
	"encoding/base64"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// secRawRequest writes one HTTP/1.1 request exactly as given (no client-side path cleaning) and
// returns the status and body of the answer.
func secRawRequest(t *testing.T, addr, method, target, host string, body string) (int, string) {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
	fmt.Fprintf(conn, "%s %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s",
		method, target, host, len(body), body)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("%s %s: %v", method, target, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// secAdminMarkers are keys only the admin API's answers carry.
var secAdminMarkers = []string{`"captures"`, `"next"`, `"routes"`, `"public_url"`, `"tunnels"`, `"received_at"`}

func TestPublicListenerNeverServesAdminAPI(t *testing.T) {
	p := serve(t, "gateway:\n  routes:\n    r:\n      secret: INSECURE_NO_AUTH\n")
	p.post(t, "/webhooks/r", []byte(`{"a":1}`), nil) // so a leaked list would not be empty
	targets := []string{
		"/api/v1/captures", "/api/v1/captures/stream", "/api/v1/routes", "/api/tunnels", "/api/requests/http",
		"/webhooks/api", "/webhook/api", "/events/webhook/api/v1",
		"/webhook/../api/v1/captures", "/webhooks/../api/v1/routes", "/events/webhook/x/../../api/v1/captures",
		"/webhooks/..%2fapi%2fv1%2fcaptures", "/webhook/%2e%2e/api/v1/captures", "/%61pi/v1/captures",
		"/api%2fv1%2fcaptures", "//api/v1/captures", "/./api/v1/captures", "/webhooks/r/../../api/v1/captures",
		"http://" + p.admin + "/api/v1/captures", "/api/v1/captures?reveal=true",
	}
	for _, target := range targets {
		for _, method := range []string{http.MethodGet, http.MethodPost} {
			for _, host := range []string{p.gateway, p.admin, "localhost"} {
				status, body := secRawRequest(t, p.gateway, method, target, host, `{}`)
				if !secPublicRefusal(status) || secLeaksAdmin(body) {
					t.Errorf("%s %s (Host %s) on the public listener: %d %s", method, target, host, status, body)
				}
			}
		}
	}
	// The same request on the admin listener does answer, so the markers above are the right ones.
	if status, body := secRawRequest(t, p.admin, http.MethodGet, "/api/v1/captures", "localhost", ""); status != 200 || !secLeaksAdmin(body) {
		t.Fatalf("admin listener: %d %s", status, body)
	}
}

// secPublicRefusal is what the gateway may answer a path that is not a route: not found, or for a
// route-shaped path, method not allowed / unknown route.
func secPublicRefusal(status int) bool {
	return status == http.StatusNotFound || status == http.StatusMethodNotAllowed || status == http.StatusBadRequest
}

func secLeaksAdmin(body string) bool {
	for _, m := range secAdminMarkers {
		if strings.Contains(body, m) {
			return true
		}
	}
	return false
}

func TestAdminRefusesRebindingHosts(t *testing.T) {
	p := serve(t, "")
	for _, host := range []string{"evil.com", "127.0.0.1.evil.com", "attacker.localhost.evil", "localhost.evil.com",
		"evil.com:" + secPort(p.admin), "127.0.0.1.nip.io", "0.0.0.0", "[::1].evil.com", "localhost@evil.com"} {
		if status, body := secRawRequest(t, p.admin, http.MethodGet, "/api/v1/captures", host, ""); !hostRefused(status, body) {
			t.Errorf("Host %q: %d %s; want 403", host, status, body)
		}
	}
	for _, host := range []string{"localhost", "localhost:" + secPort(p.admin), "127.0.0.1", p.admin, "[::1]", "[::1]:" + secPort(p.admin)} {
		if status, body := secRawRequest(t, p.admin, http.MethodGet, "/api/v1/captures", host, ""); status != http.StatusOK {
			t.Errorf("Host %q: %d %s; want 200", host, status, body)
		}
	}
}

// hostRefused: the guard's 403, or net/http's own 400 for a Host that is not even well formed.
func hostRefused(status int, body string) bool {
	return !secLeaksAdmin(body) && (status == http.StatusForbidden ||
		status == http.StatusBadRequest && strings.Contains(body, "malformed Host"))
}

func secPort(addr string) string {
	_, port, _ := net.SplitHostPort(addr)
	return port
}

// The secrets below are distinctive so that any copy of them in an output is found by grep.
const (
	secHeaderSecret = "hdrSecret-Q7zX9vK2pW"
	secCustomSecret = "customTok-M4pL8wR3yE"
	secGitlabSecret = "glToken-B6nH2jT5uIo"
	secBearerSecret = "authBearer-Z1cV5xN8aS"
	secAPIKeySecret = "apiKey-H3kD9sL1qWe"
	secQuerySecret  = "queryTok-P0oI9uY8tRe"
)

var secAllSecrets = []string{secHeaderSecret, secCustomSecret, secGitlabSecret, secBearerSecret, secAPIKeySecret, secQuerySecret}

func secSecretsConfig() string {
	return "gateway:\n  routes:\n" +
		"    hdr:\n      verify: header\n      secret: " + secHeaderSecret + "\n" +
		"    custom:\n      verify: header\n      signature_header: X-Custom-Token\n      secret: " + secCustomSecret + "\n" +
		"    gl:\n      verify: gitlab\n      secret: " + secGitlabSecret + "\n"
}

func TestSecretsNeverShownWithoutReveal(t *testing.T) {
	p := serve(t, secSecretsConfig())
	ids := secSendRequests(t, p)
	cfg := filepath.Join(p.dataDir, "config.yaml")
	cli := func(args ...string) string {
		t.Helper()
		out, stderr, code := run(t, p.dataDir, append(args, "--config", cfg, "--data-dir", p.dataDir)...)
		if code != 0 {
			t.Fatalf("hooktap %s: exit %d: %s", strings.Join(args, " "), code, stderr)
		}
		return out + stderr
	}
	outputs := map[string]string{"captures list --json": cli("captures", "list", "--json"),
		"captures list": cli("captures", "list")}
	revealed := map[string]string{"captures list --json --reveal": cli("captures", "list", "--json", "--reveal")}
	for route, id := range ids {
		outputs["show "+route] = cli("captures", "show", id)
		outputs["show --json "+route] = cli("captures", "show", "--json", id)
		revealed["show --json --reveal "+route] = cli("captures", "show", "--json", "--reveal", id)
		for _, format := range []string{"curl", "har", "json", "raw"} {
			outputs["export "+format+" "+route] = cli("captures", "export", id, "--format", format)
			revealed["export --reveal "+format+" "+route] = cli("captures", "export", id, "--format", format, "--reveal")
		}
		outputs["admin capture "+route] = secAdminGet(t, p, "/api/v1/captures/"+id)
		revealed["admin capture reveal "+route] = secAdminGet(t, p, "/api/v1/captures/"+id+"?reveal=true")
	}
	outputs["admin list"] = secAdminGet(t, p, "/api/v1/captures")
	outputs["ngrok-compatible list"] = secCompatGet(t, p, "/api/requests/http")
	for route, id := range ids {
		outputs["ngrok-compatible "+route] = secCompatGet(t, p, "/api/requests/http/"+id)
		revealed["ngrok-compatible reveal "+route] = secCompatGet(t, p, "/api/requests/http/"+id+"?reveal=1")
	}
	outputs["admin routes"] = secAdminGet(t, p, "/api/v1/routes")
	p.stop()
	outputs["serve log"] = p.output()
	for name, out := range outputs {
		for _, s := range secAllSecrets {
			if strings.Contains(out, s) {
				t.Errorf("%s shows secret %q without --reveal:\n%s", name, s, out)
			}
		}
	}
	secCheckRevealed(t, revealed, ids)
}

// secCheckRevealed: each revealed output shows the secrets its capture carried, so masking is not
// simply hiding everything (and the non-reveal check above is not vacuous).
func secCheckRevealed(t *testing.T, revealed map[string]string, ids map[string]string) {
	t.Helper()
	carried := map[string][]string{"hdr": {secHeaderSecret, secBearerSecret, secQuerySecret},
		"custom": {secCustomSecret, secAPIKeySecret}, "gl": {secGitlabSecret}}
	for name, out := range revealed {
		for route, secrets := range carried {
			if !strings.HasSuffix(name, " "+route) {
				continue
			}
			for _, s := range secrets {
				if !strings.Contains(out, s) {
					t.Errorf("%s does not show %q:\n%s", name, s, out)
				}
			}
		}
	}
	list := revealed["captures list --json --reveal"]
	for _, s := range secAllSecrets {
		if !strings.Contains(list, s) {
			t.Errorf("captures list --json --reveal does not show %q", s)
		}
	}
	if len(ids) != 3 {
		t.Fatalf("ids: %v", ids)
	}
}

// secSendRequests sends one verified request per route and returns route → capture id.
func secSendRequests(t *testing.T, p *proc) map[string]string {
	t.Helper()
	reqs := map[string]http.Header{
		"hdr":    {"X-Webhook-Secret": {secHeaderSecret}, "Authorization": {"Bearer " + secBearerSecret}},
		"custom": {"X-Custom-Token": {secCustomSecret}, "X-Api-Key": {secAPIKeySecret}},
		"gl":     {"X-Gitlab-Token": {secGitlabSecret}, "X-Gitlab-Event": {"Push Hook"}},
	}
	ids := map[string]string{}
	for route, h := range reqs {
		h.Set("Content-Type", "application/json")
		path := "/webhooks/" + route
		if route == "hdr" {
			path += "?page=1&token=" + secQuerySecret
		}
		status, body := p.post(t, path, []byte(`{"type":"secret.test"}`), h)
		if status != 202 {
			t.Fatalf("%s: %d %s", route, status, body)
		}
		id := secBetween(body, `"id":"`, `"`)
		if id == "" {
			t.Fatalf("%s: no id in %s", route, body)
		}
		ids[route] = id
	}
	return ids
}

func secBetween(s, start, end string) string {
	_, rest, ok := strings.Cut(s, start)
	if !ok {
		return ""
	}
	v, _, _ := strings.Cut(rest, end)
	return v
}

// secCompatGet is an ngrok-compatible answer with its base64 raw requests decoded and appended,
// so a secret inside them is found too.
func secCompatGet(t *testing.T, p *proc, path string) string {
	t.Helper()
	text := secAdminGet(t, p, path)
	for _, m := range regexp.MustCompile(`"raw":\s*"([A-Za-z0-9+/=]*)"`).FindAllStringSubmatch(text, -1) {
		raw, err := base64.StdEncoding.DecodeString(m[1])
		if err != nil {
			t.Fatalf("%s: raw is not base64: %v", path, err)
		}
		text += "\n" + string(raw)
	}
	if !strings.Contains(text, "HTTP/1.1\r\n") {
		t.Fatalf("%s: no raw request decoded:\n%s", path, text)
	}
	return text
}

func secAdminGet(t *testing.T, p *proc, path string) string {
	t.Helper()
	resp, err := http.Get("http://" + p.admin + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("admin %s: %d %s", path, resp.StatusCode, b)
	}
	return string(b)
}
