package capture

import (
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
)

// bodyReaderFiles bounds the segment files kept open for reading, across every store of the
// process. A listing with bodies reads from a handful of segments; opening one costs a syscall.
const bodyReaderFiles = 16

// errBodyLost means a capture's body is not where its row says: its segment file is gone, too
// short, or the bytes do not match the checksum recorded with the capture.
var errBodyLost = errors.New("body lost")

// errSegmentGone is the lost body whose segment file no longer exists: retention deletes a
// segment once no capture points into it, so a reader that found the row just before its
// delete finds the segment gone.
var errSegmentGone = fmt.Errorf("%w: its segment is gone", errBodyLost)

// bodyReaders holds open segment files for reading, by path. Paths are absolute or relative
// to the same working directory for the process's whole life, so one cache serves every store;
// the SQL search function reads through it too.
var bodyReaders = &readerCache{files: map[string]*os.File{}}

type readerCache struct {
	mu    sync.Mutex
	files map[string]*os.File
}

func (c *readerCache) read(name string, ref bodyRef) ([]byte, error) {
	body := make([]byte, ref.n)
	err := os.ErrClosed
	// A file evicted by another reader between open and ReadAt reports ErrClosed: open again.
	for try := 0; try < 3 && errors.Is(err, os.ErrClosed); try++ {
		var f *os.File
		if f, err = c.open(name); err == nil {
			_, err = f.ReadAt(body, ref.off)
		}
	}
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("%w (%s)", errSegmentGone, name)
	case errors.Is(err, io.EOF):
		return nil, fmt.Errorf("%w: segment %s ends before byte %d", errBodyLost, name, ref.off+ref.n)
	case err != nil:
		return nil, fmt.Errorf("read body: %w", err)
	}
	if crc32.Checksum(body, castagnoli) != ref.sum {
		return nil, fmt.Errorf("%w: bytes %d–%d of segment %s do not match their checksum", errBodyLost, ref.off, ref.off+ref.n, name)
	}
	return body, nil
}

func (c *readerCache) open(name string) (*os.File, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if f, ok := c.files[name]; ok {
		return f, nil
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	if len(c.files) >= bodyReaderFiles {
		// A read already running on an evicted file finishes (the descriptor closes after it);
		// one about to start sees ErrClosed and opens again. Evicting everything keeps this small.
		c.closeAllLocked()
	}
	c.files[name] = f
	return f, nil
}

// forget closes and drops name, before it is deleted.
func (c *readerCache) forget(name string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if f, ok := c.files[name]; ok {
		_ = f.Close()
		delete(c.files, name)
	}
}

// forgetDir closes every file of the segment directory dir, when its store closes.
func (c *readerCache) forgetDir(dir string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for name, f := range c.files {
		if filepath.Dir(name) == dir {
			_ = f.Close()
			delete(c.files, name)
		}
	}
}

func (c *readerCache) closeAllLocked() {
	for name, f := range c.files {
		_ = f.Close()
		delete(c.files, name)
	}
}
