// Package pgstore keeps captures, their deliveries, the delivery outbox and route pins in
// PostgreSQL, so several hooktap instances share one store: every instance's subscribers see
// every capture (LISTEN/NOTIFY), and the outbox is claimed row by row (FOR UPDATE SKIP LOCKED).
// It implements capture.Store and means what the SQLite store means, byte for byte.
package pgstore

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"github.com/hooktap/hooktap/mask"
	"hash/fnv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hooktap/hooktap/capture"
)

// defaultMaxConns sizes the pool when the URL does not (pool_max_conns): the writer, the
// listener's loads, readers and outbox claimers each hold one briefly; pgx's default (the
// number of CPUs, at least 4) starves them on a small machine.
const defaultMaxConns = 12

// connectTimeout bounds a connection attempt when the URL does not (connect_timeout).
const connectTimeout = 10 * time.Second

// Store is the PostgreSQL capture store. It is safe for concurrent use, and any number of
// instances (processes) may open the same database and schema.
type Store struct {
	pool     *pgxpool.Pool
	connCfg  *pgx.ConnConfig // for the listener's dedicated connection
	settings capture.Settings
	location string
	// instance tags this store's notifications so its listener skips what it published itself.
	instance string
	channel  string

	queue    chan *writeOp
	closing  chan struct{}
	done     chan struct{}
	once     sync.Once
	closeErr error
	mu       sync.RWMutex // guards closed against enqueues racing Close
	closed   bool

	subs  capture.Broker
	stats writerStats

	retentionWake chan struct{}
	retentionExit chan struct{}
	sinceNudge    atomic.Int64

	indexExit  chan struct{}
	listenExit chan struct{}
	loadExit   chan struct{}
	heard      chan notice
}

var _ capture.Store = (*Store)(nil)

// Open connects to the PostgreSQL database at url (postgres://… or key=value form; the
// schema is the connection's search_path), migrates its tables under an advisory lock, and
// starts the writer, the listener and, when a retention option is set, the pruner.
func Open(ctx context.Context, url string, opts ...capture.Option) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		// pgx's parse errors show the URL with its password masked.
		return nil, fmt.Errorf("open capture store: %w", err)
	}
	if cfg.ConnConfig.ConnectTimeout == 0 {
		// An unreachable host fails Open, a Save or /ready in seconds, not at the TCP timeout.
		cfg.ConnConfig.ConnectTimeout = connectTimeout
	}
	if !strings.Contains(url, "pool_max_conns") {
		cfg.MaxConns = defaultMaxConns
	}
	if _, set := cfg.ConnConfig.RuntimeParams["plan_cache_mode"]; !set {
		// Plan each query for its values: a generic plan cannot tell a rare search text (the
		// trigram index) from a common one (the newest-first walk), or a short id from a long one.
		cfg.ConnConfig.RuntimeParams["plan_cache_mode"] = "force_custom_plan"
	}
	loc := mask.ConnString(url)
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open capture store %s: %w", loc, err)
	}
	s := &Store{
		pool: pool, connCfg: cfg.ConnConfig.Copy(), settings: capture.ResolveOptions(opts...),
		location: loc, instance: randomToken(),
		queue:         make(chan *writeOp, 4096),
		closing:       make(chan struct{}),
		done:          make(chan struct{}),
		retentionWake: make(chan struct{}, 1),
		retentionExit: make(chan struct{}),
		indexExit:     make(chan struct{}),
		listenExit:    make(chan struct{}),
		loadExit:      make(chan struct{}),
		heard:         make(chan notice, 4096),
	}
	schema, err := s.migrateAll(ctx)
	if err != nil {
		pool.Close()
		return nil, fmt.Errorf("open capture store %s: %w", loc, err)
	}
	s.channel = channelName(cfg.ConnConfig.Database, schema)
	listener, err := s.listen(ctx)
	if err != nil {
		pool.Close()
		return nil, fmt.Errorf("open capture store %s: listen: %w", loc, err)
	}
	go s.writeLoop()
	go s.listenLoop(listener)
	go s.loadLoop()
	go s.indexLoop()
	if s.settings.Retains() {
		go s.retentionLoop()
	} else {
		close(s.retentionExit)
	}
	return s, nil
}

// channelName is the NOTIFY channel of one database and schema: instances sharing tables share
// it, and stores in other schemas of the same database (tests, staging beside production)
// never hear each other. Hashed, as a channel name is at most 63 bytes.
func channelName(database, schema string) string {
	h := fnv.New64a()
	h.Write([]byte(database + "\x00" + schema))
	return fmt.Sprintf("hooktap_captures_%016x", h.Sum64())
}

func randomToken() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// Location returns the store's URL with its password masked (package mask).
func (s *Store) Location() string { return s.location }

// Ping runs a trivial query against the store's tables, so a lost server or a dropped schema
// is reported.
func (s *Store) Ping(ctx context.Context) error {
	var one int
	err := s.pool.QueryRow(ctx, `SELECT 1 FROM schema_versions LIMIT 1`).Scan(&one)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("capture store %s: %w", s.location, err)
	}
	return nil
}

// Subscribe follows captures committed by this instance and, through NOTIFY, by every other.
func (s *Store) Subscribe(buffer int) *capture.Subscription { return s.subs.Subscribe(buffer) }

// Close stops accepting writes, commits everything already queued, stops the listener and the
// pruner, and closes the pool.
func (s *Store) Close() error {
	s.once.Do(func() {
		s.mu.Lock()
		s.closed = true
		close(s.closing)
		s.mu.Unlock()
		<-s.done
		<-s.retentionExit
		<-s.indexExit
		<-s.listenExit
		<-s.loadExit
		s.subs.CloseAll()
		s.pool.Close()
	})
	return s.closeErr
}

func (s *Store) isClosing() bool {
	select {
	case <-s.closing:
		return true
	default:
		return false
	}
}
