package capture

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"
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

// Once synced, a segment's pages leave the page cache: gigabytes of cached bodies made the
// kernel's share of each later write three times larger (BENCHMARKS.md, the 1 M fill).
func TestSyncedBodiesLeaveThePageCache(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	for range 64 {
		if err := s.Save(ctx, benchCapture()); err != nil {
			t.Fatal(err)
		}
	}
	name := segmentName(s.bodies.dir, segmentFiles(t, s)[0])
	resident := func() (in, all int) {
		f, err := os.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		fi, err := f.Stat()
		if err != nil {
			t.Fatal(err)
		}
		mem, err := unix.Mmap(int(f.Fd()), 0, int(fi.Size()), unix.PROT_READ, unix.MAP_SHARED)
		if err != nil {
			t.Fatal(err)
		}
		defer unix.Munmap(mem)
		vec := make([]byte, (len(mem)+os.Getpagesize()-1)/os.Getpagesize())
		if _, _, errno := syscall.Syscall(syscall.SYS_MINCORE, uintptr(unsafe.Pointer(&mem[0])), uintptr(len(mem)),
			uintptr(unsafe.Pointer(&vec[0]))); errno != 0 {
			t.Fatal(errno)
		}
		for _, v := range vec {
			in += int(v & 1)
		}
		return in, len(vec)
	}
	if in, all := resident(); in == 0 {
		t.Fatalf("no page of the fresh segment is cached (%d pages): the check proves nothing", all)
	}
	waitFor(t, "the checkpoint to sync the bodies and drop their pages", func() bool {
		in, _ := resident()
		return in == 0
	})
}
