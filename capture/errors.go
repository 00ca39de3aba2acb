package capture

import (
	"errors"

	"github.com/hooktap/hooktap/internal/shortid"
)

// ErrNotFound means no capture has the given id (or an id starting or ending with it).
var ErrNotFound = errors.New("capture not found")

// ErrNoStore means the store file does not exist yet (nothing has been captured on this machine).
var ErrNoStore = errors.New("no capture store yet: run `hooktap` or `hooktap serve` first")

// ErrNewerSchema means the store was written by a newer hooktap; this binary refuses to touch it.
var ErrNewerSchema = errors.New("capture store was created by a newer hooktap; upgrade hooktap or use another --db path")

// ErrCorrupt means the store file is not a readable SQLite database.
var ErrCorrupt = errors.New("capture store is not a hooktap database or is corrupt; move the file aside to start a fresh one")

// ErrClosed is returned by writes attempted after Close.
var ErrClosed = errors.New("capture store is closed")

// AmbiguousError is returned by Get when the id given fits several captures.
type AmbiguousError = shortid.AmbiguousError

// ErrDiskFull means a write failed because the disk is full, a file-size limit was reached, or the
// disk failed; committed captures stay intact.
var ErrDiskFull = errors.New("cannot write the capture store: the disk is full, a file-size limit was reached, or the disk failed")
