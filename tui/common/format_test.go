package common

import (
	"testing"
	"time"

	"github.com/hooktap/hooktap/capture"
)

func TestHumanSizeAndLatency(t *testing.T) {
	sizes := map[int]string{-1: "?", 0: "0B", 512: "512B", 7372: "7.2K", 20480: "20K", 3 << 20: "3.0M", 50 << 20: "50M"}
	for n, want := range sizes {
		if got := HumanSize(n); got != want {
			t.Errorf("HumanSize(%d) = %q, want %q", n, got, want)
		}
	}
	lat := map[time.Duration]string{0: "–", 850 * time.Microsecond: "850µs", 12 * time.Millisecond: "12ms", 1300 * time.Millisecond: "1.3s"}
	for d, want := range lat {
		if got := HumanLatency(d); got != want {
			t.Errorf("HumanLatency(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestBodySizeUsesStoredSize(t *testing.T) {
	withBody := &capture.Capture{Body: []byte("abc"), BodySize: 3}
	listed := &capture.Capture{BodySize: 42} // a list page: no body loaded, size from the store
	fresh := &capture.Capture{Body: []byte("abcd")}
	if BodySize(withBody) != 3 || BodySize(listed) != 42 || BodySize(fresh) != 4 {
		t.Fatalf("BodySize = %d, %d, %d; want 3, 42, 4", BodySize(withBody), BodySize(listed), BodySize(fresh))
	}
}

func TestFitAndCut(t *testing.T) {
	if got := Fit("payment_intent", 8); got != "payment…" {
		t.Fatalf("Fit cut to %q", got)
	}
	if got := Fit("ab", 4); got != "ab  " {
		t.Fatalf("Fit padded to %q", got)
	}
	if Cut("x", 0) != "" || Fit("x", -1) != "" {
		t.Fatal("zero widths must give empty strings")
	}
}
