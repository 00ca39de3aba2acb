package admin

import (
	"testing"
)

func TestIsLoopbackHost(t *testing.T) {
	tests := []struct {
		host string
		want bool
	}{
		{"127.0.0.1:8645", true},
		{"127.0.0.1", true},
		{"127.3.4.5", true},
		{"127.255.255.254:1", true},
		{"localhost", true},
		{"LOCALHOST:8645", true},
		{"localhost.", true},
		{"[::1]:8645", true},
		{"[::1]", true},
		{"::1", true},
		{"[::ffff:127.0.0.1]:8645", true},
		{"", false},
		{"evil.com", false},
		{"evil.com:8645", false},
		{"127.0.0.1.evil.com", false},
		{"127.0.0.1.evil.com:8645", false},
		{"localhost.evil.com", false},
		{"evillocalhost", false},
		{"0.0.0.0:8645", false},
		{"192.168.1.10:8645", false},
		{"10.0.0.1", false},
		{"[::]:8645", false},
		{"[fe80::1%25lo]:8645", false},
		{"2130706433", false},
		{"0x7f.1", false},
	}
	for _, tt := range tests {
		if got := IsLoopbackHost(tt.host); got != tt.want {
			t.Errorf("IsLoopbackHost(%q) = %v, want %v", tt.host, got, tt.want)
		}
	}
}

func TestCheckLoopbackAddr(t *testing.T) {
	tests := []struct {
		addr string
		ok   bool
	}{
		{"127.0.0.1:8645", true},
		{"localhost:0", true},
		{"[::1]:8645", true},
		{":8645", false},
		{"0.0.0.0:8645", false},
		{"[::]:8645", false},
		{"192.168.0.2:8645", false},
		{"example.com:8645", false},
		{"127.0.0.1", false},
		{"", false},
	}
	for _, tt := range tests {
		err := CheckLoopbackAddr(tt.addr)
		if (err == nil) != tt.ok {
			t.Errorf("CheckLoopbackAddr(%q) = %v, want ok=%v", tt.addr, err, tt.ok)
		}
	}
}

func TestTokenMatches(t *testing.T) {
	want := []byte("s3cret-token")
	tests := []struct {
		header string
		ok     bool
	}{
		{"Bearer s3cret-token", true},
		{"bearer s3cret-token", true},
		{"BEARER  s3cret-token ", true},
		{"Bearer s3cret-tokeN", false},
		{"Bearer s3cret", false},
		{"Bearer ", false},
		{"Basic s3cret-token", false},
		{"s3cret-token", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := tokenMatches(tt.header, want); got != tt.ok {
			t.Errorf("tokenMatches(%q) = %v, want %v", tt.header, got, tt.ok)
		}
	}
}
