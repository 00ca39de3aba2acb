package subscription

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// waitLimit bounds every wait for something the test expects to happen; generous, because a
// loaded CI machine can be slow, and it costs nothing when the event comes promptly.
const waitLimit = 5 * time.Second

// logRecords is a slog handler that hands each record's message to a channel.
type logRecords chan string

func (l logRecords) Enabled(context.Context, slog.Level) bool { return true }
func (l logRecords) Handle(_ context.Context, r slog.Record) error {
	select {
	case l <- r.Message:
	default:
	}
	return nil
}
func (l logRecords) WithAttrs([]slog.Attr) slog.Handler { return l }
func (l logRecords) WithGroup(string) slog.Handler      { return l }

func startWatch(t *testing.T, f *File) (<-chan []Subscription, func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	changes := make(chan []Subscription, 16)
	done := make(chan error, 1)
	go func() { done <- f.Watch(ctx, func(s []Subscription) { changes <- s }) }()
	stop := func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Watch returned %v", err)
			}
		case <-time.After(waitLimit):
			t.Error("Watch did not return after cancel")
		}
	}
	return changes, stop
}

func nextChange(t *testing.T, changes <-chan []Subscription, within time.Duration) []Subscription {
	t.Helper()
	select {
	case s := <-changes:
		return s
	case <-time.After(within):
		t.Fatalf("no change within %s", within)
		return nil
	}
}

func TestWatchSeesAdd(t *testing.T) {
	f := openTemp(t)
	changes, stop := startWatch(t, f)
	defer stop()
	if first := nextChange(t, changes, waitLimit); len(first) != 0 {
		t.Fatalf("initial set = %v, want empty", names(first))
	}
	mustAdd(t, f, Subscription{Name: "gh", Secret: "x"})
	if got := nextChange(t, changes, waitLimit); names(got) != "gh" {
		t.Fatalf("after Add: %s", names(got))
	}
	if _, err := f.Remove("gh"); err != nil {
		t.Fatal(err)
	}
	if got := nextChange(t, changes, waitLimit); len(got) != 0 {
		t.Fatalf("after Remove: %s", names(got))
	}
}

func TestWatchKeepsLastGoodSetOnCorruptFile(t *testing.T) {
	logs := make(logRecords, 16)
	f := openTemp(t)
	f.logger = slog.New(logs)
	mustAdd(t, f, Subscription{Name: "good", Secret: "x"})
	changes, stop := startWatch(t, f)
	defer stop()
	if got := nextChange(t, changes, waitLimit); names(got) != "good" {
		t.Fatalf("initial set = %s", names(got))
	}

	if err := os.WriteFile(f.Path(), []byte(`{"subscriptions": [ {"name": `), 0o600); err != nil {
		t.Fatal(err)
	}
	select {
	case msg := <-logs:
		if msg != "subscriptions: keeping the last good set" {
			t.Fatalf("logged %q", msg)
		}
	case <-time.After(waitLimit):
		t.Fatal("corrupt file was not reported")
	}
	select {
	case got := <-changes:
		t.Fatalf("corrupt file replaced the set with %v", got)
	default:
	}

	mustAddOverCorrupt(t, f)
	if got := nextChange(t, changes, waitLimit); names(got) != "fixed" {
		t.Fatalf("after repair: %s", names(got))
	}
}

// mustAddOverCorrupt repairs the file by hand, as a user would (Add refuses a corrupt file),
// replacing it in one rename so the watcher never sees it missing.
func mustAddOverCorrupt(t *testing.T, f *File) {
	t.Helper()
	tmp := f.Path() + ".edit"
	valid := `{"subscriptions":[{"name":"fixed","secret":"y","created_at":"2026-11-22T10:00:00Z"}]}`
	if err := os.WriteFile(tmp, []byte(valid), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, f.Path()); err != nil {
		t.Fatal(err)
	}
}

func TestWatchIgnoresTruncatedFile(t *testing.T) {
	f := openTemp(t)
	mustAdd(t, f, Subscription{Name: "keep", Secret: "x"})
	changes, stop := startWatch(t, f)
	defer stop()
	if got := nextChange(t, changes, waitLimit); names(got) != "keep" {
		t.Fatalf("initial set = %s", names(got))
	}
	if err := os.Truncate(f.Path(), 0); err != nil {
		t.Fatal(err)
	}
	mustAddOverCorrupt(t, f)
	if got := nextChange(t, changes, waitLimit); names(got) != "fixed" {
		t.Fatalf("after truncate and rewrite: %s (an empty set must never be published)", names(got))
	}
}

func TestWatchPollFallback(t *testing.T) {
	f := openTemp(t)
	f.pollOnly = true
	changes, stop := startWatch(t, f)
	defer stop()
	nextChange(t, changes, waitLimit)
	mustAdd(t, f, Subscription{Name: "polled", Secret: "x"})
	if got := nextChange(t, changes, waitLimit); names(got) != "polled" {
		t.Fatalf("after Add: %s", names(got))
	}
}

// TestWatchIgnoresItsDirectory writes many other files next to the subscriptions file, as the
// capture store does with its WAL in the data directory, then replaces the file by rename as an
// editor does: the watch receives events for the file only, and still follows it after the
// rename.
func TestWatchIgnoresItsDirectory(t *testing.T) {
	f := openTemp(t)
	mustAdd(t, f, Subscription{Name: "gh", Secret: "x"})
	fe := f.notify()
	defer fe.close()
	if fe.fw == nil || !fe.armed {
		t.Skip("file events unavailable here")
	}
	dir := filepath.Dir(f.Path())
	for i := 0; i < 50; i++ {
		if err := os.WriteFile(filepath.Join(dir, "hooktap.db-wal"), []byte(strings.Repeat("x", i)), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	for round := 0; round < 2; round++ {
		mustAddOverCorrupt(t, f) // rename over the watched file
		select {
		case ev := <-fe.events():
			if ev.Name != f.Path() {
				t.Fatalf("round %d: event for %s (%s), want only %s", round, ev.Name, ev.Op, f.Path())
			}
			fe.rearm()
		case <-time.After(waitLimit):
			t.Fatalf("round %d: no event for the replaced file", round)
		}
		// Drain what the replace itself produced before the next writes.
		for drained := false; !drained; {
			select {
			case ev := <-fe.events():
				if ev.Name != f.Path() {
					t.Fatalf("round %d: event for %s (%s)", round, ev.Name, ev.Op)
				}
			case <-time.After(100 * time.Millisecond):
				drained = true
			}
		}
		if err := os.WriteFile(filepath.Join(dir, "other"), []byte("y"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
}
