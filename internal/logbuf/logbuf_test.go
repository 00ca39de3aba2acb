package logbuf

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"
)

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestWriterDeliversEveryLine(t *testing.T) {
	var out syncBuffer
	b := New(&out)
	_, _ = b.Write([]byte("one\n"))
	deadline := time.Now().Add(2 * time.Second)
	for !strings.Contains(out.String(), "one\n") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if out.String() != "one\n" {
		t.Fatalf("after the flush interval: %q", out.String())
	}
	big := strings.Repeat("x", flushAt)
	_, _ = b.Write([]byte(big))
	if !strings.HasSuffix(out.String(), big) {
		t.Fatal("a write past flushAt must be written at once")
	}
	_, _ = b.Write([]byte("last\n"))
	_ = b.Close()
	if !strings.HasSuffix(out.String(), "last\n") {
		t.Fatal("Close must write what is left")
	}
}
