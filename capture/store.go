package capture

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// dsnParams configures every pooled connection.
//
// synchronous=NORMAL in WAL mode: a commit is in the WAL (the OS page cache) before Save
// returns, so it survives the process being killed (kill -9, panic, ctrl+c) — the case that
// matters for a workbench — but the last commits may be lost (never corrupted) on power loss.
// FULL would add an fsync per commit, which caps an idle gateway at the disk's fsync latency.
// _txlock=immediate takes the write lock at BEGIN so two processes never deadlock upgrading.
// wal_autocheckpoint=0: checkpoints run in checkpointLoop, off the writer (see checkpoint.go).
const dsnParams = "_busy_timeout=5000&_journal_mode=WAL&_synchronous=NORMAL&_foreign_keys=1&_txlock=immediate" +
	"&_pragma=wal_autocheckpoint(0)"

// Option configures a Store.
type Option func(*options)

type options struct {
	now        func() time.Time
	maxCount   int
	maxAge     time.Duration
	maxBytes   int64
	pruneEvery time.Duration
}

// WithClock injects the clock used for ReceivedAt defaults, ids and retention by age.
func WithClock(now func() time.Time) Option {
	return func(o *options) { o.now = now }
}

// WithRetention keeps at most maxCount captures no older than maxAge (zero disables either),
// pruning in the background in small chunks that interleave with writes.
func WithRetention(maxCount int, maxAge time.Duration) Option {
	return func(o *options) { o.maxCount, o.maxAge = maxCount, maxAge }
}

func defaultOptions() options { return options{now: time.Now, pruneEvery: time.Minute} }

func (o options) retains() bool { return o.maxCount > 0 || o.maxAge > 0 || o.maxBytes > 0 }

// Store is the SQLite capture store. It is safe for concurrent use; several processes may open
// the same file.
type SQLite struct {
	path string
	db   *sql.DB
	// wconn is the writer's own connection: every write and every schema change runs on it (see
	// migrateVia), so the connection that writes never holds a schema another one changed.
	wconn *sql.Conn
	opts  options
	// insertStmt is prepared once: parsing the insert for every capture cost more than running it.
	insertStmt *sql.Stmt
	searchStmt *sql.Stmt

	queue    chan *writeOp
	closing  chan struct{}
	done     chan struct{}
	once     sync.Once
	closeErr error
	mu       sync.RWMutex // guards closed against enqueues racing Close
	closed   bool

	subs  Broker
	stats writerStats
	// bodies holds the bodies kept out of the rows (bodyfile.go); the writer alone appends.
	bodies *bodyFiles

	retentionWake chan struct{}
	retentionDone chan struct{}
	// retentionExit is closed when the retention loop has returned; Close waits for it so a
	// prune never runs against a closed database (a failed start used to log such errors).
	retentionExit chan struct{}
	sinceNudge    atomic.Int64
	bytesNudge    atomic.Int64

	// saved counts committed captures; the search indexer waits for it to stand still.
	saved     atomic.Uint64
	indexExit chan struct{} // closed when the search indexer has returned
	// indexCancel interrupts the index step running on the writer, if any (searchlag.go).
	indexCancel atomic.Pointer[context.CancelFunc]
}

// Open opens the store at path, creating the parent directory and the file when missing, and
// migrates the schema.
func Open(path string, opts ...Option) (*SQLite, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("create capture store directory: %w", err)
	}
	return open(path, opts)
}

// OpenExisting opens the store at path like Open but returns ErrNoStore when the file is absent.
func OpenExisting(path string, opts ...Option) (*SQLite, error) {
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s: %w", path, ErrNoStore)
	} else if err != nil {
		return nil, fmt.Errorf("open capture store %s: %w", path, err)
	}
	return open(path, opts)
}

func open(path string, opts []Option) (*SQLite, error) {
	if strings.ContainsAny(path, "?#") {
		return nil, fmt.Errorf("open capture store %s: the path may not contain '?' or '#'", path)
	}
	o := defaultOptions()
	for _, opt := range opts {
		opt(&o)
	}
	db, err := sql.Open("sqlite", "file:"+path+"?"+dsnParams)
	if err != nil {
		return nil, fmt.Errorf("open capture store %s: %w", path, err)
	}
	s := &SQLite{
		path: path, db: db, opts: o, bodies: newBodyFiles(path, o.maxBytes),
		queue:         make(chan *writeOp, 4096),
		closing:       make(chan struct{}),
		done:          make(chan struct{}),
		retentionWake: make(chan struct{}, 1),
		retentionDone: make(chan struct{}, 1),
		retentionExit: make(chan struct{}),
		indexExit:     make(chan struct{}),
	}
	if s.wconn, err = db.Conn(context.Background()); err != nil {
		db.Close()
		return nil, fmt.Errorf("open capture store %s: %w", path, classify(err))
	}
	if err := s.migrateAll(); err != nil {
		s.wconn.Close()
		db.Close()
		return nil, fmt.Errorf("open capture store %s: %w", path, classify(err))
	}
	if s.insertStmt, err = db.Prepare(insertCaptureSQL); err == nil {
		s.searchStmt, err = db.Prepare(insertSearchSQL)
	}
	if err != nil {
		s.wconn.Close()
		db.Close()
		return nil, fmt.Errorf("open capture store %s: %w", path, classify(err))
	}
	go s.writeLoop()
	go s.checkpointLoop()
	go s.indexLoop()
	if o.retains() {
		go s.retentionLoop()
	} else {
		close(s.retentionExit)
	}
	return s, nil
}

// migrateAll brings every component kept by this package to its newest schema; each component
// has its own version, so features evolve their tables without renumbering each other's steps.
func (s *SQLite) migrateAll() error {
	ctx := context.Background()
	for _, c := range []struct {
		name  string
		steps []migration
	}{
		{componentCapture, captureSchema},
		{componentOutbox, plainSteps(outboxSchema)},
		{componentRoutePins, plainSteps(routePinsSchema)},
	} {
		if err := migrateOn(ctx, s.wconn, c.name, c.steps); err != nil {
			return err
		}
	}
	return nil
}

// classify turns SQLite's "not a database" and corruption codes into ErrCorrupt.
func classify(err error) error {
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT:
			return fmt.Errorf("%w (%v)", ErrCorrupt, err)
		case sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR:
			// SQLite reports a full disk or a file-size limit (EFBIG) on write as an I/O error.
			return fmt.Errorf("%w (%v)", ErrDiskFull, err)
		}
	}
	return err
}

// Close stops accepting writes, commits everything already queued, and closes the database.
func (s *SQLite) Close() error {
	s.once.Do(func() {
		s.mu.Lock()
		s.closed = true
		close(s.closing)
		s.mu.Unlock()
		s.yieldIndex()
		<-s.done
		<-s.retentionExit
		<-s.indexExit
		bodyErr := s.bodies.close()
		s.subs.CloseAll()
		_ = s.insertStmt.Close()
		_ = s.searchStmt.Close()
		_ = s.wconn.Close()
		s.closeErr = errors.Join(s.db.Close(), bodyErr)
	})
	return s.closeErr
}

// Location returns the store's file path.
func (s *SQLite) Location() string { return s.path }

// Ping runs a trivial query, so a file that became unreadable is reported.
func (s *SQLite) Ping(ctx context.Context) error {
	var one int
	if err := s.db.QueryRowContext(ctx, `SELECT 1 FROM schema_versions LIMIT 1`).Scan(&one); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("capture store %s: %w", s.path, classify(err))
	}
	return nil
}

// DB exposes the database so other components (notify) can keep their own tables in it.
func (s *SQLite) DB() *sql.DB { return s.db }
