package cli

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/signature"
)

// capturesRun executes `hooktap captures ARGS --data-dir DIR` through the real root command.
func capturesRun(t *testing.T, dir string, args ...string) (string, string, int) {
	t.Helper()
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "config"))
	t.Setenv("HOOKTAP_CONFIG", "")
	t.Setenv("NO_COLOR", "1")
	var out, errb bytes.Buffer
	full := append([]string{"captures"}, args...)
	full = append(full, "--data-dir", dir)
	code := Main(context.Background(), full, strings.NewReader(""), &out, &errb)
	return out.String(), errb.String(), code
}

// seedCaptures writes a store in dir with a JSON, a binary and an invalid-UTF-8 capture.
func seedCaptures(t *testing.T, dir string) []*capture.Capture {
	t.Helper()
	st, err := capture.Open(filepath.Join(dir, "hooktap.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	cs := []*capture.Capture{
		{ID: "01jb3k0000000000000000000a", Method: "POST", Path: "/webhooks/inspect", Route: "inspect", Event: "push",
			ContentType: "application/json", Body: []byte(`{"zen":"it's fine","n":[1,2]}`), Status: 200,
			Headers: []capture.Header{{Name: "Content-Type", Value: "application/json"},
				{Name: "Authorization", Value: "Bearer abcdefghijklmnop-secret"}, {Name: "X-Dup", Value: "1"}, {Name: "X-Dup", Value: "2"}},
			Verification: signature.Outcome{Scheme: "github", Result: signature.Failed, Reason: signature.ReasonMismatch,
				Diagnosis: []signature.Finding{{Code: "reserialised", Message: "the body looks re-serialised"}}}},
		{ID: "01jb3k0000000000000000000b", Method: "POST", Path: "/webhooks/inspect", Route: "inspect",
			ContentType: "application/octet-stream", Body: []byte{0, 1, 2, 0xff, '\'', '\n', 0x80}, Status: 200,
			Verification: signature.Outcome{Result: signature.Skipped}},
		{ID: "01jc000000000000000000000c", Method: "PUT", Path: "/webhooks/inspect", Query: "a=1&b=two",
			ContentType: "text/plain", Body: []byte("caf\xe9 'quoted' $HOME\n"), Status: 401,
			Verification: signature.Outcome{Result: signature.Verified}},
	}
	for _, c := range cs {
		if err := st.Save(context.Background(), c); err != nil {
			t.Fatal(err)
		}
	}
	return cs
}

func TestCapturesNoStore(t *testing.T) {
	_, stderr, code := capturesRun(t, t.TempDir(), "list")
	if code != 1 || !strings.Contains(stderr, "no capture store") {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
}

func TestCapturesList(t *testing.T) {
	dir := t.TempDir()
	cs := seedCaptures(t, dir)
	out, stderr, code := capturesRun(t, dir, "list")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 4 || !strings.HasPrefix(lines[0], "TIME") {
		t.Fatalf("table:\n%s", out)
	}
	// Rows show the short form the TUI shows (the id's end), and that form works in show.
	for i, id := range []string{"01jc000000000000000000000c", cs[1].ID, cs[0].ID} {
		shown := strings.Fields(lines[i+1])[2]
		if shown != capture.ShortID(id) {
			t.Errorf("row %d %q shows id %q, want %q", i+1, lines[i+1], shown, capture.ShortID(id))
		}
		out, stderr, code := capturesRun(t, dir, "show", "#"+strings.ToUpper(shown))
		if code != 0 || !strings.Contains(out, id) {
			t.Errorf("show %s: exit %d, %s%s", shown, code, out, stderr)
		}
	}
	for _, mark := range []string{"✓", "–", "✗", "29 B", "PUT"} {
		if !strings.Contains(out, mark) {
			t.Errorf("table lacks verdict %s:\n%s", mark, out)
		}
	}

	out, _, code = capturesRun(t, dir, "list", "--verified", "false", "--json")
	var page struct {
		Captures []capture.CaptureJSON `json:"captures"`
		Next     *string               `json:"next"`
	}
	if err := json.Unmarshal([]byte(out), &page); err != nil || code != 0 || len(page.Captures) != 1 || page.Captures[0].ID != cs[0].ID {
		t.Fatalf("--json: exit %d err %v\n%s", code, err, out)
	}
	if strings.Contains(out, "abcdefghijklmnop-secret") {
		t.Error("list --json leaks the Authorization header")
	}
	_, stderr, code = capturesRun(t, dir, "list", "--verified", "maybe")
	if code != 2 || !strings.Contains(stderr, "verified") {
		t.Errorf("bad --verified: exit %d %q", code, stderr)
	}
	out, _, _ = capturesRun(t, dir, "list", "--limit", "1")
	if !strings.Contains(out, "--before "+cs[2].ID) {
		t.Errorf("--limit 1 should say how to page:\n%s", out)
	}
}

func TestCapturesShow(t *testing.T) {
	dir := t.TempDir()
	cs := seedCaptures(t, dir)
	out, stderr, code := capturesRun(t, dir, "show", "01jb3k0000000000000000000a")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"✗ failed (github, mismatch)", "doctor: reserialised", "X-Dup: 1\n  X-Dup: 2", "\"zen\": \"it's fine\"", "Authorization: ••••"} {
		if !strings.Contains(out, want) {
			t.Errorf("show lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "abcdefghijklmnop") {
		t.Error("show leaks the Authorization header without --reveal")
	}
	if out, _, _ = capturesRun(t, dir, "show", "01jb3k0000000000000000000a", "--reveal"); !strings.Contains(out, "Bearer abcdefghijklmnop-secret") {
		t.Error("--reveal does not reveal")
	}
	if out, _, _ = capturesRun(t, dir, "show", "01jb3k0000000000000000000b"); !strings.Contains(out, "00000000  00 01 02 ff") {
		t.Errorf("binary body should be a hex dump:\n%s", out)
	}
	for _, c := range cs[1:] {
		raw, _, code := capturesRun(t, dir, "show", c.ID, "--raw")
		if code != 0 || raw != string(c.Body) {
			t.Errorf("--raw %s: %q, want %q", c.ID, raw, c.Body)
		}
	}
	js, _, _ := capturesRun(t, dir, "show", "01JC", "--json")
	var got capture.CaptureJSON
	if json.Unmarshal([]byte(js), &got) != nil || got.BodyBase64 == nil || *got.BodyBase64 != base64.StdEncoding.EncodeToString(cs[2].Body) {
		t.Errorf("--json by prefix: %s", js)
	}
	_, stderr, code = capturesRun(t, dir, "show", "01jb3k")
	if code != 1 || !strings.Contains(stderr, cs[0].ID) || !strings.Contains(stderr, cs[1].ID) {
		t.Errorf("ambiguous prefix: exit %d %q", code, stderr)
	}
	_, stderr, code = capturesRun(t, dir, "show", "01zzzz")
	if code != 1 || !strings.Contains(stderr, "no capture with id") {
		t.Errorf("unknown id: exit %d %q", code, stderr)
	}
}

func TestCapturesExport(t *testing.T) {
	dir := t.TempDir()
	cs := seedCaptures(t, dir)
	raw, _, code := capturesRun(t, dir, "export", cs[0].ID, "--format", "raw")
	if code != 0 || !strings.HasPrefix(raw, "POST /webhooks/inspect HTTP/1.1\r\n") || !strings.HasSuffix(raw, string(cs[0].Body)) ||
		strings.Contains(raw, "abcdefghijklmnop") {
		t.Errorf("raw export:\n%q", raw)
	}
	har, _, code := capturesRun(t, dir, "export", cs[0].ID, cs[2].ID, "--format", "har")
	var doc struct {
		Log struct {
			Version string            `json:"version"`
			Entries []json.RawMessage `json:"entries"`
		} `json:"log"`
	}
	if code != 0 || json.Unmarshal([]byte(har), &doc) != nil || doc.Log.Version != "1.2" || len(doc.Log.Entries) != 2 {
		t.Errorf("har export: exit %d\n%s", code, har)
	}
	file := filepath.Join(dir, "one.json")
	if _, _, code = capturesRun(t, dir, "export", cs[2].ID, "--format", "json", "-o", file); code != 0 {
		t.Fatalf("export -o: exit %d", code)
	}
	if data, err := os.ReadFile(file); err != nil || !bytes.Contains(data, []byte(`"id": "`+cs[2].ID)) {
		t.Errorf("export -o wrote %q (%v)", data, err)
	}
	for _, args := range [][]string{{cs[0].ID, "--format", "xml"}, {cs[0].ID, cs[1].ID, "--format", "curl"}} {
		if _, _, code := capturesRun(t, dir, append([]string{"export"}, args...)...); code != 2 {
			t.Errorf("export %v: exit %d, want 2", args, code)
		}
	}
}

// The exported curl command, run by a real shell and curl, sends the exact bytes.
func TestCapturesExportCurlReplaysBytes(t *testing.T) {
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("curl is not installed")
	}
	dir := t.TempDir()
	cs := seedCaptures(t, dir)
	got := make(chan []byte, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- b
	}))
	defer srv.Close()
	for _, c := range cs {
		cmd, _, code := capturesRun(t, dir, "export", c.ID, "--format", "curl", "--base-url", srv.URL)
		if code != 0 {
			t.Fatalf("export curl: exit %d", code)
		}
		if out, err := exec.Command("sh", "-c", cmd).CombinedOutput(); err != nil {
			t.Fatalf("running %s: %v\n%s", cmd, err, out)
		}
		if b := <-got; !bytes.Equal(b, c.Body) {
			t.Errorf("curl for %s sent %q, want %q\n%s", c.ID, b, c.Body, cmd)
		}
	}
}

func TestCapturesPruneAndClear(t *testing.T) {
	dir := t.TempDir()
	seedCaptures(t, dir)
	if _, _, code := capturesRun(t, dir, "prune"); code != 2 {
		t.Errorf("prune without a rule: exit %d, want 2", code)
	}
	if _, _, code := capturesRun(t, dir, "prune", "--older-than", "soon"); code != 2 {
		t.Errorf("prune bad duration: exit %d, want 2", code)
	}
	if out, _, code := capturesRun(t, dir, "prune", "--keep", "2"); code != 0 || out != "deleted 1 captures\n" {
		t.Errorf("prune --keep 2: exit %d %q", code, out)
	}
	if out, _, code := capturesRun(t, dir, "prune", "--older-than", "7d", "--json"); code != 0 || strings.TrimSpace(out) != `{
  "deleted": 0
}` {
		t.Errorf("prune --older-than: exit %d %q", code, out)
	}
	if _, stderr, code := capturesRun(t, dir, "clear"); code != 2 || !strings.Contains(stderr, "--yes") {
		t.Errorf("clear without --yes: exit %d %q", code, stderr)
	}
	if out, _, code := capturesRun(t, dir, "clear", "--yes"); code != 0 || out != "deleted 2 captures\n" {
		t.Errorf("clear --yes: exit %d %q", code, out)
	}
	if out, _, _ := capturesRun(t, dir, "list"); !strings.Contains(out, "no captures") {
		t.Errorf("after clear: %q", out)
	}
}
