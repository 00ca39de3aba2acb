package pgstore

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/hooktap/hooktap/capture"
)

func TestRoundTripByteExact(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	in := fullCapture()
	if err := s.Save(ctx, in); err != nil {
		t.Fatal(err)
	}
	got, err := s.Get(ctx, in.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := *in
	want.Outbox = nil
	got.Outbox = nil
	if !reflect.DeepEqual(got, &want) {
		t.Fatalf("round trip differs:\n got %+v\nwant %+v", got, &want)
	}
}

func TestGetByPartAndErrors(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	ids := []string{"01aaaaaaaaaaaaaaaaaaaaaaaaxyz123", "01aaaaaaaaaaaaaaaaaaaaaaabqrs456", "01bbbbbbbbbbbbbbbbbbbbbbbbqrs789"}
	for _, id := range ids {
		if err := s.Save(ctx, &capture.Capture{ID: id, Method: "POST"}); err != nil {
			t.Fatal(err)
		}
	}
	for in, want := range map[string]string{
		"XYZ123": ids[0], "#qrs456": ids[1], "01BBB": ids[2], ids[1]: ids[1], strings.ToUpper(ids[2]): ids[2],
	} {
		c, err := s.Get(ctx, in)
		if err != nil || c.ID != want {
			t.Errorf("Get(%q) = %v, %v; want %s", in, c, err, want)
		}
	}
	var amb *capture.AmbiguousError
	if _, err := s.Get(ctx, "01aaa"); !errors.As(err, &amb) || len(amb.Candidates) != 2 {
		t.Errorf("Get(01aaa) = %v, want ambiguous between two", err)
	}
	for _, in := range []string{"nope", "", "a b", "01c"} {
		if _, err := s.Get(ctx, in); !errors.Is(err, capture.ErrNotFound) {
			t.Errorf("Get(%q) = %v, want ErrNotFound", in, err)
		}
	}
	if err := s.Save(ctx, &capture.Capture{ID: ids[0]}); err == nil {
		t.Error("a duplicate id was saved")
	}
}

// Saves from many goroutines share transactions, and every one that returned nil is there.
func TestGroupCommitUnderConcurrency(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	const n = 400
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := &capture.Capture{Method: "POST", Route: "load", Body: []byte(strings.Repeat("x", i))}
			errs <- s.Save(ctx, c)
		}()
	}
	wg.Wait()
	close(errs)
	ok := 0
	for err := range errs {
		if err == nil {
			ok++
		}
	}
	if want := n; ok != want {
		t.Fatalf("%d saves succeeded, want %d", ok, want)
	}
	count, err := s.Count(ctx, capture.Filter{})
	if err != nil || count != ok {
		t.Fatalf("count = %d, %v; want %d", count, err, ok)
	}
	st := s.WriteStats()
	if st.Commits >= st.Writes {
		t.Errorf("no group commit: %d writes in %d commits", st.Writes, st.Commits)
	}
}

// A write that fails in a shared transaction fails alone: the others are retried on their own.
func TestFailedWriteFailsAlone(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	const n = 100
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := &capture.Capture{Method: "POST"}
			if i%10 == 0 {
				c.ID = "dup"
			}
			errs <- s.Save(ctx, c)
		}()
	}
	wg.Wait()
	close(errs)
	failed := 0
	for err := range errs {
		if err != nil {
			failed++
		}
	}
	if count, _ := s.Count(ctx, capture.Filter{}); failed != n/10-1 || count != n-failed {
		t.Fatalf("%d saves failed and %d are stored; want %d and %d", failed, count, n/10-1, n-n/10+1)
	}
}

// Instances starting together migrate once: the advisory lock serialises them.
func TestConcurrentOpensMigrateOnce(t *testing.T) {
	u := testURL(t)
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := Open(context.Background(), u)
			if err == nil {
				err = s.Close()
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	s := openURL(t, u)
	var versions int
	if err := s.pool.QueryRow(context.Background(), `SELECT sum(version) FROM schema_versions`).Scan(&versions); err != nil ||
		versions != len(captureSchema)+len(outboxSchema)+len(routePinsSchema) {
		t.Fatalf("versions sum to %d, %v", versions, err)
	}
}

func TestNewerSchemaIsRefused(t *testing.T) {
	s, u := openTest(t)
	if _, err := s.pool.Exec(context.Background(), `UPDATE schema_versions SET version = 99 WHERE component = 'outbox'`); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(context.Background(), u); !errors.Is(err, capture.ErrNewerSchema) {
		t.Fatalf("Open = %v, want ErrNewerSchema", err)
	}
}

func TestClosedStoreRefusesWrites(t *testing.T) {
	s, _ := openTest(t)
	c := &capture.Capture{Method: "POST"}
	if err := s.Save(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Save(context.Background(), &capture.Capture{}); !errors.Is(err, capture.ErrClosed) {
		t.Fatalf("Save after Close = %v", err)
	}
}
