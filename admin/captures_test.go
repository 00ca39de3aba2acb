package admin

import (
	"bytes"
	"encoding/base64"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/hooktap/hooktap/capture"
	"github.com/hooktap/hooktap/signature"
)

func TestListFilters(t *testing.T) {
	e := newTestEnv(t, nil)
	a := e.save(t, sample("github-pr", "push", signature.Verified, 200, `{"n":1}`))
	b := e.save(t, sample("github-pr", "pull_request", signature.Failed, 401, `{"n":2,"needle":"Haystack"}`))
	c := e.save(t, sample("internal", "deploy", signature.Skipped, 200, `{"n":3}`))
	d := e.save(t, sample("internal", "push", signature.Verified, 202, `{"n":4}`))

	tests := []struct {
		query string
		want  []string
	}{
		{"", []string{d.ID, c.ID, b.ID, a.ID}},
		{"?route=github-pr", []string{b.ID, a.ID}},
		{"?event=push", []string{d.ID, a.ID}},
		{"?verified=true", []string{d.ID, a.ID}},
		{"?verified=false", []string{b.ID}},
		{"?status=200", []string{c.ID, a.ID}},
		{"?status=4xx", []string{b.ID}},
		{"?status=2XX&method=post", []string{d.ID, c.ID, a.ID}},
		{"?method=GET", []string{}},
		{"?q=%22needle%22%3A", []string{b.ID}},
		{"?q=haystack", []string{b.ID}},
		{"?q=%2Fwebhooks%2Finternal", []string{d.ID, c.ID}},
		{"?route=internal&event=push", []string{d.ID}},
		{"?route=nope", []string{}},
		{"?before=" + c.ID, []string{b.ID, a.ID}},
	}
	for _, tt := range tests {
		var got listBody
		if code := e.get(t, "/api/v1/captures"+tt.query, &got); code != http.StatusOK {
			t.Fatalf("%s: status %d", tt.query, code)
		}
		if !slices.Equal(ids(got.Captures), tt.want) {
			t.Errorf("%s: got %v, want %v", tt.query, ids(got.Captures), tt.want)
		}
		if got.Next != nil {
			t.Errorf("%s: next = %q, want null", tt.query, *got.Next)
		}
	}
}

func TestListPaging(t *testing.T) {
	e := newTestEnv(t, nil)
	var want []string
	for range 7 {
		want = append([]string{e.save(t, sample("github-pr", "push", signature.Verified, 200, "{}")).ID}, want...)
	}
	var got []string
	path := "/api/v1/captures?limit=3"
	for pages := 0; ; pages++ {
		if pages > 5 {
			t.Fatal("paging does not end")
		}
		var page listBody
		if code := e.get(t, path, &page); code != http.StatusOK {
			t.Fatalf("status %d", code)
		}
		got = append(got, ids(page.Captures)...)
		if page.Next == nil {
			break
		}
		path = "/api/v1/captures?limit=3&before=" + *page.Next
	}
	if !slices.Equal(got, want) {
		t.Fatalf("paged ids %v, want %v", got, want)
	}
	var list listBody
	e.get(t, "/api/v1/captures", &list)
	if list.Captures[0].BodyBase64 != nil {
		t.Error("list answers should leave out the body")
	}
}

func TestListBadParams(t *testing.T) {
	e := newTestEnv(t, nil)
	tests := []struct {
		query, param, msg string
	}{
		{"verified=maybe", "verified", `invalid value for verified: "maybe" (want verified:true or verified:false)`},
		{"status=abc", "status", `invalid value for status: "abc"`},
		{"status=99", "status", "such as status:401, or a class such as status:4xx"},
		{"status=4yy", "status", `"4yy"`},
		{"method=GET!", "method", "an HTTP method"},
		{"limit=0", "limit", "from 1 to 1000"},
		{"limit=1001", "limit", "from 1 to 1000"},
		{"limit=ten", "limit", `"ten"`},
		{"before=not-an-id!", "before", "a capture id"},
		{"reveal=perhaps", "reveal", "reveal"},
		{"verfied=true", "verfied", "unknown parameter"},
		{"route=a&route=b", "route", "more than once"},
		{"q=" + strings.Repeat("x", 2000), "q", "longer than"},
	}
	for _, tt := range tests {
		var got errBody
		code := e.get(t, "/api/v1/captures?"+tt.query, &got)
		if code != http.StatusBadRequest || got.Param != tt.param || !strings.Contains(got.Error, tt.msg) {
			t.Errorf("%s: %d %+v, want 400 param %s containing %q", tt.query[:min(len(tt.query), 30)], code, got, tt.param, tt.msg)
		}
	}
}

func TestGetByIDAndPrefix(t *testing.T) {
	e := newTestEnv(t, nil)
	one := e.save(t, &capture.Capture{ID: "01jb3k0000000000000000000a", Method: "POST", Path: "/webhooks/x", Body: []byte("a")})
	e.save(t, &capture.Capture{ID: "01jb3k0000000000000000000b", Method: "POST", Path: "/webhooks/x", Body: []byte("b")})
	solo := e.save(t, &capture.Capture{ID: "01jc000000000000000000000c", Method: "POST", Path: "/webhooks/x", Body: []byte("c")})

	var got capture.CaptureJSON
	if code := e.get(t, "/api/v1/captures/"+one.ID, &got); code != http.StatusOK || got.ID != one.ID {
		t.Fatalf("full id: %d %q", code, got.ID)
	}
	if code := e.get(t, "/api/v1/captures/01JC", &got); code != http.StatusOK || got.ID != solo.ID {
		t.Fatalf("unique prefix: %d %q", code, got.ID)
	}
	var amb errBody
	if code := e.get(t, "/api/v1/captures/01jb3k", &amb); code != http.StatusConflict || len(amb.Candidates) != 2 {
		t.Fatalf("ambiguous prefix: %d %+v", code, amb)
	}
	for _, id := range []string{"01zz", "nope!", strings.Repeat("0", 30)} {
		var nf errBody
		if code := e.get(t, "/api/v1/captures/"+id, &nf); code != http.StatusNotFound || !strings.Contains(nf.Error, "no capture") {
			t.Errorf("unknown id %q: %d %+v", id, code, nf)
		}
	}
}

func TestBodiesByteExact(t *testing.T) {
	e := newTestEnv(t, nil)
	bodies := map[string][]byte{
		"text":    []byte("héllo\r\nworld\n"),
		"binary":  {0x00, 0xff, 0x10, 0x80, 0x00, 0x1f},
		"invalid": []byte("ok \xc3\x28 not utf-8"),
		"empty":   {},
	}
	for name, body := range bodies {
		c := e.save(t, &capture.Capture{Method: "POST", Path: "/webhooks/x", Body: body,
			Headers: []capture.Header{{Name: "X-A", Value: "1"}, {Name: "x-a", Value: "2"}, {Name: "X-B", Value: "3"}}})
		var got capture.CaptureJSON
		if code := e.get(t, "/api/v1/captures/"+c.ID, &got); code != http.StatusOK {
			t.Fatalf("%s: status %d", name, code)
		}
		raw, err := base64.StdEncoding.DecodeString(*got.BodyBase64)
		if err != nil || !bytes.Equal(raw, body) {
			t.Errorf("%s: body_base64 gives %q, want %q", name, raw, body)
		}
		isText := name == "text" || name == "empty"
		if (got.BodyText != nil) != isText || (isText && *got.BodyText != string(body)) {
			t.Errorf("%s: body_text = %v, want present=%v", name, got.BodyText, isText)
		}
		want := [][2]string{{"X-A", "1"}, {"x-a", "2"}, {"X-B", "3"}}
		if !slices.Equal(got.Headers, want) {
			t.Errorf("%s: headers %v, want %v", name, got.Headers, want)
		}
	}
}

func TestMaskingAndReveal(t *testing.T) {
	e := newTestEnv(t, nil)
	c := e.save(t, &capture.Capture{Method: "POST", Path: "/webhooks/internal", Route: "internal", Headers: []capture.Header{
		{Name: "Authorization", Value: "Bearer super-secret-token-value"},
		{Name: "X-Internal-Token", Value: "route-configured-secret-value"},
		{Name: "X-Webhook-Secret", Value: "short"},
		{Name: "X-Plain", Value: "visible"},
	}})
	check := func(path string, reveal bool) {
		t.Helper()
		var got capture.CaptureJSON
		if strings.Contains(path, "/captures?") {
			var l listBody
			e.get(t, path, &l)
			got = l.Captures[0]
		} else {
			e.get(t, path, &got)
		}
		for i, h := range got.Headers {
			orig := c.Headers[i].Value
			secret := h[0] != "X-Plain"
			if masked := h[1] != orig; masked != (secret && !reveal) {
				t.Errorf("%s: header %s = %q (reveal=%v)", path, h[0], h[1], reveal)
			}
			if !reveal && secret && strings.Contains(h[1], orig[:min(len(orig), 6)]) {
				t.Errorf("%s: header %s leaks %q", path, h[0], h[1])
			}
		}
	}
	check("/api/v1/captures/"+c.ID, false)
	check("/api/v1/captures/"+c.ID+"?reveal=1", true)
	check("/api/v1/captures?limit=1", false)
	check("/api/v1/captures?limit=1&reveal=1", true)
}

func TestNotFoundAndMethod(t *testing.T) {
	e := newTestEnv(t, nil)
	var got errBody
	if code := e.get(t, "/api/v2/whatever", &got); code != http.StatusNotFound || got.Error == "" {
		t.Errorf("unknown path: %d %+v", code, got)
	}
	if code := e.do(t, http.MethodPost, "/api/v1/captures", nil, nil, &got); code != http.StatusMethodNotAllowed {
		t.Errorf("POST list: %d", code)
	}
	if code := e.do(t, http.MethodDelete, "/api/v1/captures/01abc", nil, nil, &got); code != http.StatusMethodNotAllowed {
		t.Errorf("DELETE capture: %d", code)
	}
}
