package config

import "testing"

func TestParseByteSize(t *testing.T) {
	for in, want := range map[string]ByteSize{"2GB": 2 << 30, "512 MiB": 512 << 20, "1048576": 1 << 20, "64k": 64 << 10, "0": 0} {
		if got, err := ParseByteSize(in); err != nil || got != want {
			t.Errorf("ParseByteSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "GB", "-1", "2 PB", "1.5GB", "99999999999TB"} {
		if _, err := ParseByteSize(bad); err == nil {
			t.Errorf("ParseByteSize(%q) accepted", bad)
		}
	}
	if s := ByteSize(2 << 30).String(); s != "2GB" {
		t.Errorf("String = %q", s)
	}
}
