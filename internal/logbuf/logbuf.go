// Package logbuf batches log writes so a log line per request costs a memory copy, not a
// write syscall.
package logbuf

import (
	"io"
	"sync"
	"time"
)

// Writer collects log lines and writes them in batches, so the one-line-per-request log
// costs a request a memory copy rather than a write syscall. Lines reach the output within
// flushEvery, at once past flushAt bytes, and on Close.
type Writer struct {
	mu     sync.Mutex
	out    io.Writer
	buf    []byte
	stop   chan struct{}
	closed sync.Once
	done   chan struct{}
}

const (
	flushEvery = 100 * time.Millisecond
	flushAt    = 64 << 10
)

// New starts a Writer that writes to out; Close it to write what is left.
func New(out io.Writer) *Writer {
	b := &Writer{out: out, stop: make(chan struct{}), done: make(chan struct{})}
	go b.loop()
	return b
}

// Write appends p; it never fails.
func (b *Writer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf = append(b.buf, p...)
	if len(b.buf) >= flushAt {
		b.flushLocked()
	}
	return len(p), nil
}

func (b *Writer) loop() {
	defer close(b.done)
	t := time.NewTicker(flushEvery)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			b.flush()
		case <-b.stop:
			b.flush()
			return
		}
	}
}

func (b *Writer) flush() {
	b.mu.Lock()
	b.flushLocked()
	b.mu.Unlock()
}

func (b *Writer) flushLocked() {
	if len(b.buf) > 0 {
		_, _ = b.out.Write(b.buf)
		b.buf = b.buf[:0]
	}
}

// Close writes what is left and stops the flusher.
func (b *Writer) Close() error {
	b.closed.Do(func() { close(b.stop); <-b.done })
	return nil
}
