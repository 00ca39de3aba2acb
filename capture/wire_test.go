package capture

import (
	"reflect"
	"testing"
)

// One list decides what a forward, a replay and a curl export leave out.
func TestForwardable(t *testing.T) {
	in := []Header{
		{"Host", "a.example"}, {"Connection", "keep-alive"}, {"X-Trace", "1"}, {"content-length", "2"},
		{"Proxy-Authorization", "Basic cHJveHk="}, {"Proxy-Foo", "x"}, {"Transfer-Encoding", "chunked"},
		{"TE", "trailers"}, {"x-hooktap-source", "replay"}, {"X-Hooktap-Replay-Of", "01a"},
		{"X-Hooktap-Replay-Nonce", "n"}, {"X-Hooktap-Signature", "sha256=ab"}, {"Upgrade", "h2c"},
		{"Keep-Alive", "timeout=5"}, {"Trailer", "X"}, {"X-Trace", "2"},
	}
	want := []Header{{"X-Trace", "1"}, {"X-Hooktap-Signature", "sha256=ab"}, {"X-Trace", "2"}}
	if got := Forwardable(in); !reflect.DeepEqual(got, want) {
		t.Fatalf("Forwardable:\n got %v\nwant %v", got, want)
	}
}
