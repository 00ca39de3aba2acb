package capture

import (
	"database/sql"
	"errors"
	"fmt"
	"hash/crc32"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
)

// Bodies longer than inlineBodyMax are kept out of the SQLite b-tree, appended to segment files
// beside the database (<store>.bodies/00000001.seg, …); the row holds where the body is and its
// CRC-32C. A 7.6 KB body in the row was three overflow pages written twice (to the WAL, then by
// the checkpoint), and freed page by page by retention: about half of each capture's insert
// cost. A segment is written once per batch and deleted whole once no capture points into it.
// docs/store.md describes the layout.
const inlineBodyMax = 1024

// A segment is full past segmentMax, or past a 32nd of the store's byte limit when that is
// smaller (never below segmentMin). Retention reclaims a segment's space only when every
// capture in it is gone, so small segments let a small limit hold; larger ones mean fewer
// files (64 at the default 2 GiB limit).
const (
	segmentMax = 32 << 20
	segmentMin = 256 << 10
)

func segmentSize(maxBytes int64) int64 {
	if maxBytes <= 0 {
		return segmentMax
	}
	return min(segmentMax, max(segmentMin, maxBytes/32))
}

// bodyWriteChunk bounds the buffer one batch's bodies are gathered in before each write.
const bodyWriteChunk = 1 << 20

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// bodyRef is where a body lives in the segment files.
type bodyRef struct {
	seg, off, n int64
	sum         uint32
}

// bodyFiles appends bodies to the newest segment and reads them back. Appends, syncs and
// reclaiming run on the store's writer goroutine inside its write transaction, whose lock also
// keeps other processes writing the same store from appending at the same time; reads may come
// from any goroutine.
type bodyFiles struct {
	dir    string
	segMax int64
	cur    *os.File // the segment appends go to, nil until the first one
	curSeg int64
	// unsynced are segment files written since the last sync; rotated ones close after it.
	unsynced []*os.File
	buf      []byte
}

func newBodyFiles(storePath string, maxBytes int64) *bodyFiles {
	return &bodyFiles{dir: storePath + ".bodies", segMax: segmentSize(maxBytes)}
}

func segmentName(dir string, seg int64) string {
	return filepath.Join(dir, fmt.Sprintf("%08d.seg", seg))
}

// segments lists the segment numbers in dir, oldest first; a missing directory has none.
func segments(dir string) ([]int64, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var segs []int64
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), ".seg")
		if n, err := strconv.ParseInt(name, 10, 64); ok && err == nil && n > 0 {
			segs = append(segs, n)
		}
	}
	slices.Sort(segs)
	return segs, nil
}

// write appends bodies to the newest segment and returns where each one went. The bytes are
// in the operating system's hands when it returns, so they survive the process being killed;
// sync makes them survive a power loss.
func (b *bodyFiles) write(bodies [][]byte) ([]bodyRef, error) {
	f, start, err := b.current()
	if err != nil {
		return nil, bodyWriteError(err)
	}
	refs := make([]bodyRef, len(bodies))
	off := start
	b.buf = b.buf[:0]
	flush := func() error {
		_, err := f.WriteAt(b.buf, off-int64(len(b.buf)))
		b.buf = b.buf[:0]
		return err
	}
	for i, body := range bodies {
		refs[i] = bodyRef{seg: b.curSeg, off: off, n: int64(len(body)), sum: crc32.Checksum(body, castagnoli)}
		if len(b.buf)+len(body) > bodyWriteChunk && len(b.buf) > 0 {
			if err = flush(); err != nil {
				break
			}
		}
		if len(body) >= bodyWriteChunk {
			if _, err = f.WriteAt(body, off); err != nil {
				break
			}
			off += int64(len(body))
			continue
		}
		b.buf = append(b.buf, body...)
		off += int64(len(body))
	}
	if err == nil && len(b.buf) > 0 {
		err = flush()
	}
	if cap(b.buf) > bodyWriteChunk {
		b.buf = nil
	}
	if err != nil {
		_ = f.Truncate(start) // nothing points at the partial bytes; give the space back if we can
		return nil, bodyWriteError(err)
	}
	b.markUnsynced(f)
	return refs, nil
}

// bodyWriteError reports a full disk (or quota, or file-size limit, or failed disk) as
// ErrDiskFull, as SQLite's own write errors are.
func bodyWriteError(err error) error {
	for _, e := range []error{syscall.ENOSPC, syscall.EDQUOT, syscall.EFBIG, syscall.EIO} {
		if errors.Is(err, e) {
			return fmt.Errorf("%w (write body: %v)", ErrDiskFull, err)
		}
	}
	return fmt.Errorf("write body: %w", err)
}

// current returns the segment to append to and its size: the newest one, unless it is full.
// Another process writing the same store may have started a newer one since the last batch.
func (b *bodyFiles) current() (*os.File, int64, error) {
	if b.cur != nil {
		if _, err := os.Stat(segmentName(b.dir, b.curSeg+1)); err == nil {
			b.retire()
		}
	}
	if b.cur == nil {
		if err := os.MkdirAll(b.dir, 0o700); err != nil {
			return nil, 0, err
		}
		segs, err := segments(b.dir)
		if err != nil {
			return nil, 0, err
		}
		seg := int64(1)
		if len(segs) > 0 {
			seg = segs[len(segs)-1]
		}
		if err := b.openSegment(seg, false); err != nil {
			return nil, 0, err
		}
	}
	fi, err := b.cur.Stat()
	if err != nil {
		return nil, 0, err
	}
	if fi.Size() >= b.segMax {
		next := b.curSeg + 1
		b.retire()
		if err := b.openSegment(next, true); errors.Is(err, fs.ErrExist) {
			return b.current() // another process started it first: append there
		} else if err != nil {
			return nil, 0, err
		}
		return b.cur, 0, nil
	}
	return b.cur, fi.Size(), nil
}

func (b *bodyFiles) openSegment(seg int64, fresh bool) error {
	flags := os.O_RDWR | os.O_CREATE
	if fresh {
		flags |= os.O_EXCL
	}
	f, err := os.OpenFile(segmentName(b.dir, seg), flags, 0o600)
	if err != nil {
		return err
	}
	b.cur, b.curSeg = f, seg
	return nil
}

// retire stops appending to the current segment; it is closed after its next sync (or now,
// when nothing of it waits for one).
func (b *bodyFiles) retire() {
	if b.cur != nil && !slices.Contains(b.unsynced, b.cur) {
		_ = b.cur.Close()
	}
	b.cur = nil
}

func (b *bodyFiles) markUnsynced(f *os.File) {
	if !slices.Contains(b.unsynced, f) {
		b.unsynced = append(b.unsynced, f)
	}
}

// sync flushes what was appended since the last sync to the disk. It runs before each WAL
// checkpoint, so a capture whose row reaches the database file has its body on the disk too.
func (b *bodyFiles) sync() error {
	var errs []error
	for _, f := range b.unsynced {
		err := f.Sync()
		if err == nil {
			dropCached(f)
		}
		errs = append(errs, err)
		if f != b.cur {
			errs = append(errs, f.Close())
		}
	}
	b.unsynced = b.unsynced[:0]
	return errors.Join(errs...)
}

// close syncs and closes every file the writer holds, and those open for reading.
func (b *bodyFiles) close() error {
	err := b.sync()
	if b.cur != nil {
		err = errors.Join(err, b.cur.Close())
		b.cur = nil
	}
	bodyReaders.forgetDir(filepath.Clean(b.dir))
	return err
}

// reclaim deletes every segment but the newest that live says no capture points into, and
// returns the bytes freed. It runs inside the writer's transaction, so no other writer (in this
// process or another) can point a capture into a segment while it is being judged.
func (b *bodyFiles) reclaim(live func(seg int64) (bool, error)) (int64, error) {
	segs, err := segments(b.dir)
	if err != nil || len(segs) < 2 {
		return 0, err
	}
	var freed int64
	for _, seg := range segs[:len(segs)-1] {
		if seg == b.curSeg && b.cur != nil {
			continue
		}
		used, err := live(seg)
		if err != nil {
			return freed, err
		}
		if used {
			continue
		}
		name := segmentName(b.dir, seg)
		if fi, err := os.Stat(name); err == nil {
			freed += fi.Size()
		}
		bodyReaders.forget(name)
		if err := os.Remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return freed, err
		}
	}
	return freed, nil
}

// size is the space the segment files take.
func (b *bodyFiles) size() (int64, error) {
	segs, err := segments(b.dir)
	if err != nil {
		return 0, err
	}
	var total int64
	for _, seg := range segs {
		fi, err := os.Stat(segmentName(b.dir, seg))
		if errors.Is(err, fs.ErrNotExist) {
			continue // reclaimed by another process meanwhile
		}
		if err != nil {
			return 0, err
		}
		total += fi.Size()
	}
	return total, nil
}

// read returns the body ref points at, checking its length and checksum: a body that never
// reached the disk before a power loss, or a segment damaged or removed by hand, is reported,
// never returned wrong.
func (b *bodyFiles) read(ref bodyRef) ([]byte, error) {
	return bodyReaders.read(segmentName(b.dir, ref.seg), ref)
}

// storedRef is a body's place as scanned from a row: all NULL for a body kept in the row.
type storedRef struct {
	seg, off, sum sql.NullInt64
}

// ref returns where a body of n bytes is, or false when the row holds it.
func (r storedRef) ref(n int) (bodyRef, bool) {
	if !r.seg.Valid {
		return bodyRef{}, false
	}
	return bodyRef{seg: r.seg.Int64, off: r.off.Int64, n: int64(n), sum: uint32(r.sum.Int64)}, true
}
