package capture

import (
	"bytes"
	"context"
	"errors"
	"os/signal"
	"strings"
	"syscall"
	"testing"
)

// A body that cannot be written (the disk is full; here a file-size limit stands for it) fails
// its Save with ErrDiskFull and nothing else: captures saved before read back, and the store
// takes captures again once there is room.
func TestBodyWriteFailureFailsTheSave(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	first := benchCapture()
	first.Body = randomBody(7, 2<<20) // the segment is now far larger than the database and WAL
	if err := s.Save(ctx, first); err != nil {
		t.Fatal(err)
	}
	signal.Ignore(syscall.SIGXFSZ)
	defer signal.Reset(syscall.SIGXFSZ)
	var old syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_FSIZE, &old); err != nil {
		t.Fatal(err)
	}
	limit := old
	limit.Cur = 2<<20 + 20<<10
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &limit); err != nil {
		t.Skipf("cannot lower the file-size limit: %v", err)
	}
	var saved []*Capture
	var failed error
	for range 10 {
		c := benchCapture()
		if err := s.Save(ctx, c); err != nil {
			failed = err
			break
		}
		saved = append(saved, c)
	}
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &old); err != nil {
		t.Fatal(err)
	}
	if !errors.Is(failed, ErrDiskFull) || !strings.Contains(failed.Error(), "write body") {
		t.Fatalf("a Save past the limit = %v, want ErrDiskFull from the body's write", failed)
	}
	after := benchCapture()
	if err := s.Save(ctx, after); err != nil {
		t.Fatalf("Save once there is room: %v", err)
	}
	for _, c := range append(append(saved, first), after) {
		got, err := s.Get(ctx, c.ID)
		if err != nil || !bytes.Equal(got.Body, c.Body) {
			t.Fatalf("%s: %v", c.ID, err)
		}
	}
}
