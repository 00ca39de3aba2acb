// Package storetest is the contract every capture.Store implementation passes: one suite of
// subtests, run against SQLite and PostgreSQL alike, so the gateway, the inspector and the
// outbox behave the same whichever store they are given.
//
// An implementation's test calls Run with a function that opens a fresh, empty store for one
// subtest (a new SQLite file in t.TempDir(), a new PostgreSQL schema) on the real clock, and
// registers its Close with t.Cleanup; the suite may close it earlier, so Close must be safe to
// call twice. A store that writes its free-text index behind its captures may implement
// Indexer; the suite then checks every search both before and after the index caught up.
package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/hooktap/hooktap/capture"
)

// Indexer is implemented by stores that index free text after saving (capture.SQLite): the
// suite calls IndexPending to check that a search answers the same before and after.
type Indexer interface {
	IndexPending(ctx context.Context) error
}

// Run runs the contract against the stores open returns; each subtest opens its own.
func Run(t *testing.T, open func(t *testing.T) capture.Store) {
	t.Helper()
	groups := []struct {
		name  string
		tests []test
	}{
		{"SaveGet", saveGetTests},
		{"Get", getTests},
		{"List", listTests},
		{"Filter", filterTests},
		{"Subscribe", subscribeTests},
		{"Outbox", outboxTests},
		{"OutboxAdmin", outboxAdminTests},
		{"RoutePins", routePinTests},
		{"Lifecycle", lifecycleTests},
	}
	for _, g := range groups {
		t.Run(g.name, func(t *testing.T) {
			for _, tc := range g.tests {
				t.Run(tc.name, func(t *testing.T) {
					t.Parallel()
					tc.run(t, open(t))
				})
			}
		})
	}
}

// test is one subtest of the contract.
type test struct {
	name string
	run  func(t *testing.T, s capture.Store)
}

// ctx is the context every call gets: long enough for a loaded CI machine, short enough that a
// store that hangs fails the test instead of the whole run.
func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return c
}

// eventually polls cond until it holds or the deadline passes; for what an implementation may
// do in the background (a lease running out), never as a fixed sleep.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("after 10s: %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// save saves c and fails the test on an error.
func save(t *testing.T, s capture.Store, c *capture.Capture) *capture.Capture {
	t.Helper()
	if err := s.Save(ctx(t), c); err != nil {
		t.Fatalf("Save: %v", err)
	}
	return c
}

// get reads id back and fails the test on an error.
func get(t *testing.T, s capture.Store, id string) *capture.Capture {
	t.Helper()
	c, err := s.Get(ctx(t), id)
	if err != nil {
		t.Fatalf("Get(%q): %v", id, err)
	}
	return c
}
