package capture

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// received is what the recording server saw of one request.
type received struct {
	method, uri string
	header      http.Header
	body        []byte
}

func recordingServer(t *testing.T) (*httptest.Server, <-chan received) {
	t.Helper()
	got := make(chan received, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		got <- received{r.Method, r.RequestURI, r.Header.Clone(), body}
	}))
	t.Cleanup(srv.Close)
	return srv, got
}

func TestExportCurlDeliversExactBytes(t *testing.T) {
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("curl not installed")
	}
	every := make([]byte, 256)
	for i := range every {
		every[i] = byte(i)
	}
	tests := []struct {
		name   string
		method string
		body   []byte
	}{
		{"json text", "POST", []byte("{\"msg\": \"it's 100% \\\\ done\\n\", \"é\": \"日本\"}\n")},
		{"binary every byte", "POST", every},
		{"invalid utf-8", "PUT", []byte("caf\xe9 \xff\xfe 'quote' %s \\x00")},
		{"empty", "GET", nil},
		{"empty post", "POST", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, got := recordingServer(t)
			c := &Capture{Method: tt.method, Path: "/hook/x", Query: "a=1&b=two", Body: tt.body,
				Headers: []Header{{"Host", "example.org"}, {"X-Dup", "1"}, {"Content-Type", "application/x-test"},
					{"X-Dup", "2"}, {"X-Empty", ""}, {"Content-Length", "999"}}}
			cmd := ExportCurl(c, srv.URL, JSONOptions{})
			out, err := exec.Command("sh", "-c", cmd).CombinedOutput()
			if err != nil {
				t.Fatalf("%v: %s\ncommand: %s", err, out, cmd)
			}
			r := <-got
			if r.method != tt.method || r.uri != "/hook/x?a=1&b=two" || !bytes.Equal(r.body, tt.body) {
				t.Fatalf("server got %s %s body %q, want %s body %q", r.method, r.uri, r.body, tt.method, tt.body)
			}
			if !slices.Equal(r.header.Values("X-Dup"), []string{"1", "2"}) || r.header.Get("Content-Type") != "application/x-test" {
				t.Fatalf("headers %v", r.header)
			}
			if _, ok := r.header["X-Empty"]; !ok {
				t.Fatalf("empty header lost: %v", r.header)
			}
		})
	}
}

func TestExportCurlMasksAndAddsNoContentType(t *testing.T) {
	srv, got := recordingServer(t)
	c := &Capture{Method: "POST", Path: "/", Body: []byte("x=1"),
		Headers: []Header{{"Authorization", "Bearer a-very-secret-token-1234"}}}
	cmd := ExportCurl(c, srv.URL, JSONOptions{})
	if strings.Contains(cmd, "a-very-secret") || !strings.Contains(cmd, "••••1234") {
		t.Fatalf("secret not masked: %s", cmd)
	}
	if out, err := exec.Command("sh", "-c", cmd).CombinedOutput(); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if r := <-got; r.header.Get("Content-Type") != "" || r.header.Get("Expect") != "" {
		t.Fatalf("curl added headers the capture did not have: %v", r.header)
	}
	if cmd := ExportCurl(c, srv.URL, JSONOptions{Reveal: true}); !strings.Contains(cmd, "a-very-secret-token-1234") {
		t.Fatalf("Reveal must keep the value: %s", cmd)
	}
}

func TestExportRawParses(t *testing.T) {
	c := fullCapture()
	raw := ExportRaw(c, JSONOptions{Reveal: true})
	req, err := http.ReadRequest(bufio.NewReader(bytes.NewReader(raw)))
	if err != nil {
		t.Fatalf("ReadRequest: %v\n%q", err, raw)
	}
	body, _ := io.ReadAll(req.Body)
	if req.Method != "POST" || req.RequestURI != "/webhooks/github-pr?a=1&a=2&b" || !bytes.Equal(body, c.Body) {
		t.Fatalf("raw parsed as %s %s %q", req.Method, req.RequestURI, body)
	}
	if !slices.Equal(req.Header.Values("X-Dup"), []string{"one", "two", "three"}) {
		t.Fatalf("headers %v", req.Header)
	}
	if !bytes.HasPrefix(raw, []byte("POST /webhooks/github-pr?a=1&a=2&b HTTP/1.1\r\nHost: a1b2.ngrok.app\r\nX-Dup: one\r\n")) {
		t.Fatalf("raw does not keep header order: %q", raw)
	}
}

func TestExportHAR(t *testing.T) {
	text := &Capture{ID: "a", Method: "POST", Path: "/p", Query: "x=1&y=%20z", ContentType: "application/json",
		Headers: []Header{{"Host", "h.example"}, {"Cookie", "sid=secret-session-cookie"}}, Body: []byte(`{"k":1}`),
		Status: 202, ResponseBody: []byte("ok")}
	bin := fullCapture()
	out, err := ExportHAR([]*Capture{text, bin}, JSONOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Log struct {
			Version string `json:"version"`
			Creator struct{ Name string }
			Entries []struct {
				StartedDateTime string
				Request         struct {
					Method, URL string
					Headers     []struct{ Name, Value string }
					QueryString []struct{ Name, Value string }
					PostData    struct{ MimeType, Text, Encoding string }
				}
				Response struct{ Status int }
				Timings  *struct{ Wait float64 }
			}
		}
	}
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	l := doc.Log
	if l.Version != "1.2" || l.Creator.Name != "hooktap" || len(l.Entries) != 2 || l.Entries[0].Timings == nil {
		t.Fatalf("HAR log = %+v", l)
	}
	e0, e1 := l.Entries[0].Request, l.Entries[1].Request
	if e0.URL != "http://h.example/p?x=1&y=%20z" || e0.PostData.Text != `{"k":1}` || e0.PostData.Encoding != "" ||
		e0.QueryString[1].Value != " z" || l.Entries[0].Response.Status != 202 {
		t.Fatalf("text entry = %+v", e0)
	}
	if strings.Contains(string(out), "secret-session") {
		t.Fatal("cookie not masked in HAR")
	}
	decoded, err := base64.StdEncoding.DecodeString(e1.PostData.Text)
	if e1.PostData.Encoding != "base64" || err != nil || !bytes.Equal(decoded, bin.Body) {
		t.Fatalf("binary entry postData = %+v", e1.PostData)
	}
}
