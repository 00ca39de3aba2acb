package subscription

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"time"

	"github.com/fsnotify/fsnotify"
)

// How Watch notices changes: file events settle for debounce before a reload, and a cheap stat
// every pollEvery catches what events miss (network file systems, editors, inotify limits).
const (
	debounce  = 100 * time.Millisecond
	pollEvery = time.Second
)

// Watch calls onChange with the current subscriptions, then again after every change to the file,
// until ctx ends. A file that cannot be read or parsed is logged and the last good set is kept.
// It blocks; run it in its own goroutine.
func (f *File) Watch(ctx context.Context, onChange func([]Subscription)) error {
	return watchFile(ctx, f, f.List, onChange)
}

// watchFile is Watch for any file f's path names: list reads it, onChange gets each new set.
func watchFile[T any](ctx context.Context, f *File, list func() ([]T, error), onChange func([]T)) error {
	dir := filepath.Dir(f.path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("watch subscriptions: create %s: %w", dir, err)
	}
	// Watch before the first load: a change landing between the two would otherwise wait for
	// the next poll.
	fe := f.notify()
	defer fe.close()
	w := &watcher[T]{file: f, list: list, onChange: onChange}
	w.reload(true)

	settle := time.NewTimer(time.Hour)
	settle.Stop()
	poll := time.NewTicker(pollEvery)
	defer poll.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev := <-fe.events():
			if ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename) || ev.Has(fsnotify.Chmod) {
				fe.rearm() // replaced by rename: the watch followed the old file
			}
			settle.Reset(debounce)
		case err := <-fe.errors():
			f.logger.Warn("subscriptions watcher", "err", err)
		case <-settle.C:
			w.reload(false)
		case <-poll.C:
			fe.arm() // the file may have appeared since the last try
			if w.statChanged() {
				w.reload(false)
			}
		}
	}
}

// fileEvents watches the file itself, not its directory. The directory is the data directory,
// where the capture store writes its WAL on every request: watching it woke this loop for
// each one (2.5 % of the server's CPU under load), filtering by name only after the wake-up.
// A watch on the file follows its inode, so a rename that replaces the file (every write here,
// and editors' saves) ends it; rearm watches the new file at the path, and the stat poll
// re-arms once a missing file appears.
type fileEvents struct {
	fw    *fsnotify.Watcher
	path  string
	armed bool
}

// notify starts watching f's file. Without fsnotify the channels stay silent and polling alone
// carries on.
func (f *File) notify() *fileEvents {
	fe := &fileEvents{path: f.path}
	if f.pollOnly {
		return fe
	}
	fw, err := fsnotify.NewWatcher()
	if err != nil {
		f.logger.Warn("subscriptions: file events unavailable, polling every second", "file", f.path, "err", err)
		return fe
	}
	fe.fw = fw
	fe.arm()
	return fe
}

// arm adds the watch when it is not in place; a file that does not exist yet is left to the poll.
func (fe *fileEvents) arm() {
	if fe.fw == nil || fe.armed {
		return
	}
	fe.armed = fe.fw.Add(fe.path) == nil
}

// rearm drops the watch on the old file and watches whatever the path names now.
func (fe *fileEvents) rearm() {
	if fe.fw == nil {
		return
	}
	_ = fe.fw.Remove(fe.path) // already gone when the old file was deleted
	fe.armed = false
	fe.arm()
}

func (fe *fileEvents) events() <-chan fsnotify.Event {
	if fe.fw == nil {
		return nil
	}
	return fe.fw.Events
}

func (fe *fileEvents) errors() <-chan error {
	if fe.fw == nil {
		return nil
	}
	return fe.fw.Errors
}

func (fe *fileEvents) close() {
	if fe.fw != nil {
		fe.fw.Close()
	}
}

// watcher remembers the last good set and the file's last seen size and time.
type watcher[T any] struct {
	file     *File
	list     func() ([]T, error)
	onChange func([]T)
	last     []T
	stamp    fileStamp
}

type fileStamp struct {
	exists bool
	size   int64
	mod    time.Time
}

func (w *watcher[T]) currentStamp() fileStamp {
	info, err := os.Stat(w.file.path)
	if err != nil {
		return fileStamp{}
	}
	return fileStamp{exists: true, size: info.Size(), mod: info.ModTime()}
}

func (w *watcher[T]) statChanged() bool { return w.currentStamp() != w.stamp }

// reload reads the file and calls onChange when the set differs from the last good one
// (always on the first load).
func (w *watcher[T]) reload(first bool) {
	w.stamp = w.currentStamp()
	if w.stamp.exists && !first && w.file.blank() {
		// An editor truncates before it writes; an empty or blank file must not drop every route.
		w.file.logger.Warn("subscriptions: file is empty, keeping the last good set", "file", w.file.path,
			"routes", len(w.last))
		return
	}
	subs, err := w.list()
	if err != nil {
		w.file.logger.Warn("subscriptions: keeping the last good set", "err", err)
		if first {
			w.onChange(nil)
		}
		return
	}
	if !first && reflect.DeepEqual(subs, w.last) {
		return
	}
	w.last = subs
	w.onChange(subs)
}
