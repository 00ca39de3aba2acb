package capture

import (
	"bytes"
	"context"
	"testing"
	"time"
)

// Retention counted rows only, so 100 000 captures of 1 MiB each were allowed (~100 GB). With
// max_bytes the store's data stays near its bound while a flood of large bodies arrives, and
// the newest captures are the ones kept.
func TestRetentionBoundsTotalBytes(t *testing.T) {
	const maxBytes = 4 << 20
	s := openTest(t, WithMaxBytes(maxBytes))
	ctx := context.Background()
	var last string
	body := bytes.Repeat([]byte("x"), 256<<10)
	for range 64 { // 16 MiB in all
		c := &Capture{Method: "POST", Route: "nope", Body: body}
		if err := s.Save(ctx, c); err != nil {
			t.Fatal(err)
		}
		last = c.ID
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		used, err := s.UsedBytes(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if used <= maxBytes+maxBytes/4 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("store holds %d bytes after a 16 MiB flood, bound %d", used, maxBytes)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if _, err := s.Get(ctx, last); err != nil {
		t.Fatalf("the newest capture was pruned: %v", err)
	}
}
