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
	events, errs, closeWatcher := f.notify(dir)
	defer closeWatcher()
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
		case ev := <-events:
			if filepath.Base(ev.Name) == filepath.Base(f.path) {
				settle.Reset(debounce)
			}
		case err := <-errs:
			f.logger.Warn("subscriptions watcher", "err", err)
		case <-settle.C:
			w.reload(false)
		case <-poll.C:
			if w.statChanged() {
				w.reload(false)
			}
		}
	}
}

// notify watches the directory (not the file, which each write replaces by rename). Without
// fsnotify the returned channels stay silent and polling alone carries on.
func (f *File) notify(dir string) (<-chan fsnotify.Event, <-chan error, func()) {
	if f.pollOnly {
		return nil, nil, func() {}
	}
	fw, err := fsnotify.NewWatcher()
	if err == nil {
		err = fw.Add(dir)
		if err != nil {
			fw.Close()
		}
	}
	if err != nil {
		f.logger.Warn("subscriptions: file events unavailable, polling every second", "dir", dir, "err", err)
		return nil, nil, func() {}
	}
	return fw.Events, fw.Errors, func() { fw.Close() }
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
