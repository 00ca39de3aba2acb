package capture

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestRoundTripEveryFieldByteExact(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	want := fullCapture()
	if err := s.Save(ctx, want); err != nil {
		t.Fatal(err)
	}
	if len(want.ID) != 26 || want.ID != strings.ToLower(want.ID) {
		t.Fatalf("id %q is not a lowercase ULID", want.ID)
	}
	got, err := s.Get(ctx, want.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !got.ReceivedAt.Equal(want.ReceivedAt) {
		t.Errorf("ReceivedAt = %v, want %v", got.ReceivedAt, want.ReceivedAt)
	}
	got.ReceivedAt = want.ReceivedAt
	if !reflect.DeepEqual(got, want) {
		t.Errorf("round trip differs:\n got %#v\nwant %#v", got, want)
	}
}

func TestSaveDefaultsAndEmptyBody(t *testing.T) {
	clock := &testClock{t: fullCapture().ReceivedAt}
	s := openTest(t, WithClock(clock.now))
	c := &Capture{Method: "GET", Path: "/"}
	if err := s.Save(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	got, err := s.Get(context.Background(), c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !got.ReceivedAt.Equal(clock.t) || got.Body == nil || len(got.Body) != 0 || got.Headers != nil {
		t.Errorf("got ReceivedAt %v body %#v headers %#v", got.ReceivedAt, got.Body, got.Headers)
	}
}

func TestGetPrefixAndAmbiguity(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	ids := seed(t, s, 3, fullCapture().ReceivedAt, nil)
	// All three share a prefix of the timestamp part; a long prefix resolves.
	for _, id := range ids {
		got, err := s.Get(ctx, strings.ToUpper(id[:25]))
		if err != nil || got.ID != id {
			t.Fatalf("Get(%s) = %v, %v", id[:25], got, err)
		}
	}
	_, err := s.Get(ctx, ids[0][:6])
	var amb *AmbiguousError
	if !errors.As(err, &amb) || len(amb.Candidates) != 3 || !strings.Contains(err.Error(), ids[2]) {
		t.Fatalf("ambiguous prefix: err = %v", err)
	}
	for _, bad := range []string{"", "zzzz", "not-an-id", "01jd'; DROP TABLE captures"} {
		if _, err := s.Get(ctx, bad); !errors.Is(err, ErrNotFound) {
			t.Errorf("Get(%q) err = %v, want ErrNotFound", bad, err)
		}
	}
}

// TestGetByTheShownEnd resolves the form every surface shows (the id's end), in any case and
// with the '#' the TUI prints, and names both captures when an end fits two.
func TestGetByTheShownEnd(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	at := fullCapture().ReceivedAt
	ids := seed(t, s, 5, at, nil)
	for _, id := range ids {
		for _, in := range []string{ShortID(id), "#" + ShortID(id), strings.ToUpper(ShortID(id)), " " + id[18:] + " "} {
			got, err := s.Get(ctx, in)
			if err != nil || got.ID != id {
				t.Fatalf("Get(%q) = %v, %v; want %s", in, got, err, id)
			}
		}
	}
	twin := &Capture{ID: "01zz0000000000000000" + ids[0][20:], ReceivedAt: at, Method: "POST"}
	if err := s.Save(ctx, twin); err != nil {
		t.Fatal(err)
	}
	_, err := s.Get(ctx, ShortID(ids[0]))
	var amb *AmbiguousError
	if !errors.As(err, &amb) || !strings.Contains(err.Error(), ids[0]) || !strings.Contains(err.Error(), twin.ID) {
		t.Fatalf("an end two ids share: err = %v", err)
	}
}

func TestOpenExisting(t *testing.T) {
	path := filepath.Join(t.TempDir(), "none", "hooktap.db")
	if _, err := OpenExisting(path); !errors.Is(err, ErrNoStore) {
		t.Fatalf("OpenExisting(absent) = %v, want ErrNoStore", err)
	}
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	s2, err := OpenExisting(path)
	if err != nil {
		t.Fatalf("OpenExisting(existing) = %v", err)
	}
	s2.Close()
}

func TestNewerSchemaRefused(t *testing.T) {
	s := openTest(t)
	path := s.Location()
	if _, err := s.DB().Exec(`UPDATE schema_versions SET version = 99 WHERE component = 'capture'`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := Open(path); !errors.Is(err, ErrNewerSchema) {
		t.Fatalf("Open(newer) = %v, want ErrNewerSchema", err)
	}
}

func TestMigrateOtherComponent(t *testing.T) {
	s := openTest(t)
	steps := []string{`CREATE TABLE notify_webhooks(id TEXT PRIMARY KEY)`, `ALTER TABLE notify_webhooks ADD COLUMN url TEXT`}
	for range 2 { // the second run is a no-op
		if err := s.Migrate("notify", steps); err != nil {
			t.Fatal(err)
		}
	}
	var v int
	if err := s.DB().QueryRow(`SELECT version FROM schema_versions WHERE component = 'notify'`).Scan(&v); err != nil || v != 2 {
		t.Fatalf("notify version = %d, %v", v, err)
	}
	if err := s.Migrate("notify", steps[:1]); !errors.Is(err, ErrNewerSchema) {
		t.Fatalf("Migrate with fewer steps = %v, want ErrNewerSchema", err)
	}
	if err := s.Migrate("bad", []string{`CREATE TABLE oops(`}); err == nil {
		t.Fatal("a failing step must return an error")
	}
}

func TestCorruptFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hooktap.db")
	if err := os.WriteFile(path, []byte(strings.Repeat("this is not sqlite\n", 400)), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Open(path)
	if !errors.Is(err, ErrCorrupt) {
		t.Fatalf("Open(garbage) = %v, want ErrCorrupt", err)
	}
}

func TestTwoStoresOneFile(t *testing.T) {
	writer := openTest(t)
	reader, err := OpenExisting(writer.Location())
	if err != nil {
		t.Fatal(err)
	}
	defer reader.Close()
	ctx := context.Background()
	ids := seed(t, writer, 20, fullCapture().ReceivedAt, nil)
	page, err := reader.List(ctx, Filter{Limit: 100})
	if err != nil || len(page.Captures) != 20 || page.Captures[0].ID != ids[19] {
		t.Fatalf("reader sees %d captures, err %v", len(page.Captures), err)
	}
	// The second process writes too (a CLI replay), interleaved with the first.
	if err := reader.AddDelivery(ctx, ids[0], Delivery{Target: "cli"}); err != nil {
		t.Fatal(err)
	}
	seed(t, writer, 5, fullCapture().ReceivedAt, nil)
	got, err := writer.Get(ctx, ids[0])
	if err != nil || len(got.Deliveries) != 1 || got.Deliveries[0].Target != "cli" {
		t.Fatalf("writer sees %v, %v", got, err)
	}
}

func TestCloseFlushesAndRefusesWrites(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hooktap.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	sub := s.Subscribe(1)
	seed(t, s, 3, fullCapture().ReceivedAt, nil)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Save(context.Background(), &Capture{}); !errors.Is(err, ErrClosed) {
		t.Fatalf("Save after Close = %v, want ErrClosed", err)
	}
	for range sub.C() { // the channel must be closed, or this never ends
	}
	s2, err := OpenExisting(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if n, err := s2.Count(context.Background(), Filter{}); n != 3 || err != nil {
		t.Fatalf("after reopen Count = %d, %v", n, err)
	}
}
