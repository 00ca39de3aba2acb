package subscription

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
)

// File is the subscriptions file. Its methods are safe for concurrent use; every write replaces
// the file atomically, so a reader in another process never sees half a file.
type File struct {
	path   string
	logger *slog.Logger
	now    func() time.Time
	// pollOnly turns file events off so Watch relies on its stat poll alone.
	pollOnly bool
}

// Option adjusts a File.
type Option func(*File)

// WithLogger sets where Watch reports a file it cannot read.
func WithLogger(l *slog.Logger) Option { return func(f *File) { f.logger = l } }

// WithClock sets the clock that stamps CreatedAt.
func WithClock(now func() time.Time) Option { return func(f *File) { f.now = now } }

// Open returns the subscriptions file at path; the file need not exist yet.
func Open(path string, opts ...Option) *File {
	f := &File{path: path, logger: slog.Default(), now: time.Now}
	for _, opt := range opts {
		opt(f)
	}
	return f
}

// Path is where the subscriptions are stored.
func (f *File) Path() string { return f.path }

// document is the file's JSON shape.
type document struct {
	Subscriptions []Subscription `json:"subscriptions"`
}

// writeLocks serialises read-modify-write cycles per file, across every File for that path.
var writeLocks sync.Map

func (f *File) lock() func() {
	key, err := filepath.Abs(f.path)
	if err != nil {
		key = f.path
	}
	mu, _ := writeLocks.LoadOrStore(key, &sync.Mutex{})
	m := mu.(*sync.Mutex)
	m.Lock()
	return m.Unlock
}

// List returns the subscriptions sorted by name; a missing file is an empty list.
func (f *File) List() ([]Subscription, error) {
	data, err := os.ReadFile(f.path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read subscriptions %s: %w", f.path, err)
	}
	subs, skipped, err := parse(data, f.path)
	for _, s := range skipped {
		f.logger.Error("subscription skipped: it would be an open route", "file", f.path, "err", s)
	}
	return subs, err
}

// parse reads the file. A subscription without a secret is skipped (reported in skipped) and the
// others kept; any other mistake rejects the whole file, so the caller keeps its last good set.
func parse(data []byte, path string) (subs []Subscription, skipped []error, err error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, nil, nil
	}
	var doc document
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		return nil, nil, fmt.Errorf("subscriptions %s is not valid: %w (fix or delete the file)", path, err)
	}
	for _, s := range doc.Subscriptions {
		err := s.RequireSecret()
		if err == nil {
			err = s.Validate()
		}
		switch {
		case errors.Is(err, ErrNoSecret):
			skipped = append(skipped, err)
		case err != nil:
			return nil, nil, fmt.Errorf("subscriptions %s: %w", path, err)
		default:
			subs = append(subs, s)
		}
	}
	sortByName(subs)
	return subs, skipped, nil
}

// blank reports whether the file exists and holds nothing but whitespace: mid-save by an editor,
// or emptied by mistake. Watch keeps the last good set rather than dropping every route.
func (f *File) blank() bool {
	data, err := os.ReadFile(f.path)
	return err == nil && len(bytes.TrimSpace(data)) == 0
}

func sortByName(subs []Subscription) {
	slices.SortFunc(subs, func(a, b Subscription) int { return strings.Compare(a.Name, b.Name) })
}

// Add stores s, replacing a subscription of the same name. An empty Secret is filled with a new
// random one and a zero CreatedAt with now; use List to read them back.
func (f *File) Add(s Subscription) error {
	if err := s.Validate(); err != nil {
		return err
	}
	if s.Secret == "" {
		secret, err := NewSecret()
		if err != nil {
			return err
		}
		s.Secret = secret
	}
	if err := s.RequireSecret(); err != nil {
		return err
	}
	if s.CreatedAt.IsZero() {
		s.CreatedAt = f.now().UTC()
	}
	unlock := f.lock()
	defer unlock()
	subs, err := f.List()
	if err != nil {
		return err
	}
	subs = slices.DeleteFunc(subs, func(x Subscription) bool { return x.Name == s.Name })
	return f.write(append(subs, s))
}

// Remove deletes the named subscription and reports whether it existed.
func (f *File) Remove(name string) (bool, error) {
	unlock := f.lock()
	defer unlock()
	subs, err := f.List()
	if err != nil {
		return false, err
	}
	kept := slices.DeleteFunc(slices.Clone(subs), func(x Subscription) bool { return x.Name == name })
	if len(kept) == len(subs) {
		return false, nil
	}
	return true, f.write(kept)
}

// write replaces the file atomically: a temporary file in the same directory, synced, then
// renamed over the old one. Mode 0600 because the file holds secrets.
func (f *File) write(subs []Subscription) error {
	sortByName(subs)
	if subs == nil {
		subs = []Subscription{}
	}
	data, err := json.MarshalIndent(document{Subscriptions: subs}, "", "  ")
	if err != nil {
		return fmt.Errorf("encode subscriptions: %w", err)
	}
	dir := filepath.Dir(f.path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("create %s: %w", dir, err)
	}
	tmp, err := os.CreateTemp(dir, ".subscriptions-*.tmp")
	if err != nil {
		return fmt.Errorf("write subscriptions: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := writeAndSync(tmp, append(data, '\n')); err != nil {
		return fmt.Errorf("write subscriptions %s: %w", tmp.Name(), err)
	}
	if err := os.Rename(tmp.Name(), f.path); err != nil {
		return fmt.Errorf("replace subscriptions %s: %w", f.path, err)
	}
	return nil
}

func writeAndSync(tmp *os.File, data []byte) error {
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	return tmp.Close()
}
