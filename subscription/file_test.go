package subscription

import (
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

var fixed = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

func openTemp(t *testing.T) *File {
	t.Helper()
	return Open(filepath.Join(t.TempDir(), "data", "subscriptions.json"), WithClock(func() time.Time { return fixed }))
}

func names(subs []Subscription) string {
	var out []string
	for _, s := range subs {
		out = append(out, s.Name)
	}
	return strings.Join(out, ",")
}

func TestAddListRemoveRoundTrip(t *testing.T) {
	f := openTemp(t)
	if subs, err := f.List(); err != nil || len(subs) != 0 {
		t.Fatalf("missing file: %v, %v; want empty", subs, err)
	}
	mustAdd(t, f, Subscription{Name: "zeta", Events: []string{"push"}, Secret: "s3cret"})
	mustAdd(t, f, Subscription{Name: "alpha", Deliver: "forward", DeliverURL: "http://127.0.0.1:9/x", Prompt: "{__raw__}"})

	subs, err := f.List()
	if err != nil || names(subs) != "alpha,zeta" {
		t.Fatalf("List = %v, %v; want alpha,zeta", names(subs), err)
	}
	if b, err := hex.DecodeString(subs[0].Secret); err != nil || len(b) != 32 {
		t.Fatalf("generated secret %q is not 32 hex bytes", subs[0].Secret)
	}
	if subs[1].Secret != "s3cret" || !subs[0].CreatedAt.Equal(fixed) {
		t.Fatalf("stored %+v", subs)
	}
	info, err := os.Stat(f.Path())
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("file mode = %v, %v; want 0600", info.Mode().Perm(), err)
	}

	for _, tc := range []struct {
		name string
		want bool
	}{{"alpha", true}, {"alpha", false}, {"nobody", false}} {
		if got, err := f.Remove(tc.name); err != nil || got != tc.want {
			t.Fatalf("Remove(%s) = %v, %v; want %v", tc.name, got, err, tc.want)
		}
	}
	if subs, _ := f.List(); names(subs) != "zeta" {
		t.Fatalf("after remove: %s", names(subs))
	}
}

func mustAdd(t *testing.T, f *File, s Subscription) {
	t.Helper()
	if err := f.Add(s); err != nil {
		t.Fatalf("Add(%s): %v", s.Name, err)
	}
}

func TestAddReplacesSameName(t *testing.T) {
	f := openTemp(t)
	mustAdd(t, f, Subscription{Name: "gh", Description: "old", Secret: "a"})
	mustAdd(t, f, Subscription{Name: "gh", Description: "new", Secret: "b"})
	subs, err := f.List()
	if err != nil || len(subs) != 1 || subs[0].Description != "new" || subs[0].Secret != "b" {
		t.Fatalf("List = %+v, %v; want one replaced entry", subs, err)
	}
}

func TestConcurrentAdd(t *testing.T) {
	path := filepath.Join(t.TempDir(), "subscriptions.json")
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for i := 0; i < 40; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Separate File values for the same path must not lose each other's writes either.
			errs <- Open(path).Add(Subscription{Name: fmt.Sprintf("route-%02d", i), Secret: "x"})
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	subs, err := Open(path).List()
	if err != nil || len(subs) != 40 {
		t.Fatalf("List = %d entries, %v; want 40", len(subs), err)
	}
}

// Readers racing the writer always see a whole file, and no temporary files are left behind.
func TestAtomicReplace(t *testing.T) {
	f := openTemp(t)
	mustAdd(t, f, Subscription{Name: "base", Secret: "x"})
	stop := make(chan struct{})
	readErr := make(chan error, 1)
	go func() {
		defer close(readErr)
		for {
			select {
			case <-stop:
				return
			default:
			}
			subs, err := f.List()
			if err != nil || len(subs) == 0 {
				readErr <- fmt.Errorf("reader saw %d entries, %v", len(subs), err)
				return
			}
		}
	}()
	for i := 0; i < 50; i++ {
		mustAdd(t, f, Subscription{Name: "base", Description: strings.Repeat("d", i*100), Secret: "x"})
	}
	close(stop)
	if err := <-readErr; err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(filepath.Dir(f.Path()))
	if err != nil || len(entries) != 1 {
		t.Fatalf("dir holds %d entries (%v), want only the file", len(entries), err)
	}
}

func TestCorruptFileIsAClearError(t *testing.T) {
	f := openTemp(t)
	os.MkdirAll(filepath.Dir(f.Path()), 0o700)
	tests := []struct{ name, content, want string }{
		{"not json", "{nope", "not valid"},
		{"unknown field", `{"subscriptions":[],"extra":1}`, "not valid"},
		{"bad name", `{"subscriptions":[{"name":"a b","secret":"x"}]}`, "may only use"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := os.WriteFile(f.Path(), []byte(tc.content), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := f.List()
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), f.Path()) {
				t.Fatalf("List err = %v, want %q and the path", err, tc.want)
			}
			if err := f.Add(Subscription{Name: "x"}); err == nil {
				t.Fatal("Add over a corrupt file succeeded and would have dropped its content")
			}
		})
	}
}
