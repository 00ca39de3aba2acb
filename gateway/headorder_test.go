package gateway_test

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestHeaderOrderAcrossKeepAlive sends several requests on one connection — fixed-length,
// chunked, and one whose body contains a fake request line — and checks each keeps its order.
func TestHeaderOrderAcrossKeepAlive(t *testing.T) {
	h := start(t, "")
	conn, err := net.Dial("tcp", strings.TrimPrefix(h.url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	br := bufio.NewReader(conn)
	fake := "POST /webhooks/inspect HTTP/1.1\r\nZ-Fake: yes\r\n\r\n"
	requests := []struct{ raw, wantOrder string }{
		{"POST /webhooks/inspect HTTP/1.1\r\nHost: a\r\nB-Two: 2\r\nA-One: 1\r\nContent-Length: 3\r\n\r\nabc", "Host B-Two A-One Content-Length"},
		{"POST /webhooks/inspect HTTP/1.1\r\nHost: a\r\nZ-Last: z\r\nTransfer-Encoding: chunked\r\nM-Mid: m\r\n\r\n3\r\nxyz\r\n0\r\n\r\n", "Host Z-Last Transfer-Encoding M-Mid"},
		{fmt.Sprintf("POST /webhooks/inspect HTTP/1.1\r\nHost: a\r\nY-First: y\r\nContent-Length: %d\r\n\r\n%s", len(fake), fake), "Host Y-First Content-Length"},
		{"POST /webhooks/inspect HTTP/1.1\r\nHost: a\r\nQ-After: q\r\nContent-Length: 2\r\n\r\n{}", "Host Q-After Content-Length"},
	}
	for i, rq := range requests {
		if _, err := conn.Write([]byte(rq.raw)); err != nil {
			t.Fatal(err)
		}
		_ = conn.SetReadDeadline(time.Now().Add(3 * time.Second))
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
		resp.Body.Close()
		var names []string
		for _, hd := range h.latest().Headers {
			names = append(names, hd.Name)
		}
		if got := strings.Join(names, " "); got != rq.wantOrder {
			t.Fatalf("request %d: header order %q, want %q", i, got, rq.wantOrder)
		}
	}
}
