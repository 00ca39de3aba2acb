package capture

import (
	"bytes"
	"context"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// randomBody is n reproducible bytes of every value (NUL and invalid UTF-8 included).
func randomBody(seed uint64, n int) []byte {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

func segmentFiles(t *testing.T, s *SQLite) []int64 {
	t.Helper()
	segs, err := segments(s.bodies.dir)
	if err != nil {
		t.Fatal(err)
	}
	return segs
}

// A body longer than inlineBodyMax lives in a segment file and its row holds none of it; every
// body, in the row or not, reads back byte-exact through Get, List and the raw export.
func TestBodiesLeaveTheRowAndReadBackExact(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	bodies := map[string][]byte{
		"empty": {}, "small": []byte(`{"ref":"refs/heads/main"}`), "edge": bytes.Repeat([]byte("e"), inlineBodyMax),
		"over": bytes.Repeat([]byte("o"), inlineBodyMax+1), "push": benchBody, "binary": randomBody(1, 70_000),
		"large": randomBody(2, 3<<20), // larger than one write chunk: written on its own
	}
	ids := map[string]string{}
	for name, body := range bodies {
		c := benchCapture()
		c.Body = body
		if err := s.Save(ctx, c); err != nil {
			t.Fatal(err)
		}
		ids[name] = c.ID
	}
	for name, body := range bodies {
		var inRow, seg any
		if err := s.DB().QueryRow(`SELECT length(body), body_seg FROM captures WHERE id = ?`, ids[name]).Scan(&inRow, &seg); err != nil {
			t.Fatal(err)
		}
		if out := len(body) > inlineBodyMax; out != (seg != nil) || out != (inRow == nil) {
			t.Errorf("%s (%d bytes): body in row %v, segment %v", name, len(body), inRow, seg)
		}
		c, err := s.Get(ctx, ids[name])
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(c.Body, body) || c.BodySize != len(body) || c.Body == nil {
			t.Errorf("%s: Get gave %d bytes (size %d), want %d", name, len(c.Body), c.BodySize, len(body))
		}
		raw := ExportRaw(c, JSONOptions{})
		if !bytes.HasSuffix(raw, body) {
			t.Errorf("%s: raw export does not end with the body", name)
		}
	}
	page, err := s.List(ctx, Filter{WithBody: true, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range page.Captures {
		for name, id := range ids {
			if c.ID == id && !bytes.Equal(c.Body, bodies[name]) {
				t.Errorf("%s: List gave a different body", name)
			}
		}
	}
	page, err = s.List(ctx, Filter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range page.Captures {
		if c.Body != nil || c.BodySize == 0 && c.ID == ids["push"] {
			t.Errorf("a list without bodies loaded one, or lost its size: %s", c.ID)
		}
	}
	if segs := segmentFiles(t, s); len(segs) != 1 {
		t.Errorf("segments %v, want one", segs)
	}
}

// Free text finds words in bodies kept in segments, before they are indexed (read directly)
// and after, and with queries too short for the index (a walk).
func TestSearchReadsBodiesFromSegments(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	c := benchCapture()
	c.Body = []byte(`{"pad":"` + string(bytes.Repeat([]byte("p"), 4000)) + `","note":"needle-in-segment","k":"Zq"}`)
	if err := s.Save(ctx, c); err != nil {
		t.Fatal(err)
	}
	other := benchCapture()
	if err := s.Save(ctx, other); err != nil {
		t.Fatal(err)
	}
	for _, when := range []string{"pending", "indexed"} {
		for _, q := range []string{"needle-in-segment", "Zq"} {
			if got := findText(t, s, q); len(got) != 1 || got[0] != c.ID {
				t.Errorf("%s, %q: found %v, want [%s]", when, q, got, c.ID)
			}
		}
		if n, err := s.Count(ctx, Filter{Q: "needle-in-segment"}); err != nil || n != 1 {
			t.Errorf("%s: Count = %d, %v", when, n, err)
		}
		if err := s.IndexPending(ctx); err != nil {
			t.Fatal(err)
		}
	}
}

// Retention frees body space: segments whose captures are all gone are deleted, the newest
// captures stay readable, and the bodies' disk use stays near the byte limit under a flood.
func TestRetentionReclaimsBodySegments(t *testing.T) {
	const maxBytes = 4 << 20
	s := openTest(t, WithMaxBytes(maxBytes))
	ctx := context.Background()
	var ids []string
	for i := range 200 { // 200 × 64 KiB = 12.5 MiB
		c := benchCapture()
		c.Body = randomBody(uint64(i), 64<<10)
		if err := s.Save(ctx, c); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.ID)
	}
	waitFor(t, "retention to bring the store under its limit", func() bool {
		used, err := s.UsedBytes(ctx)
		return err == nil && used <= maxBytes+maxBytes/4
	})
	if segs := segmentFiles(t, s); segs[0] == 1 || len(segs) > 20 {
		t.Errorf("segments %v: the oldest should be gone and the rest few", segs)
	}
	for i := len(ids) - 10; i < len(ids); i++ {
		c, err := s.Get(ctx, ids[i])
		if err != nil || !bytes.Equal(c.Body, randomBody(uint64(i), 64<<10)) {
			t.Fatalf("newest capture %d: %v", i, err)
		}
	}
	if _, err := s.Get(ctx, ids[0]); !errors.Is(err, ErrNotFound) {
		t.Errorf("oldest capture: %v, want pruned", err)
	}
	n, err := s.Clear(ctx)
	if err != nil || n == 0 {
		t.Fatalf("Clear = %d, %v", n, err)
	}
	if segs := segmentFiles(t, s); len(segs) > 1 {
		t.Errorf("after Clear: segments %v, want only the newest", segs)
	}
}

// A store written by the schema before bodies left the rows opens, reads every old capture as
// before, takes new captures into segments, and searches and prunes both kinds.
func TestMigrationFromInlineBodies(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("testdata", "store-v6.db"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "hooktap.db")
	if err := os.WriteFile(path, src, 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	requireNewestSchema(t, s)
	bin := make([]byte, 3000)
	for i := range bin {
		bin[i] = byte(i * 7)
	}
	// What the testdata store was written with.
	old := map[string][]byte{
		"01kbv6store000000000000000a": []byte(`{"ref":"refs/heads/main","n":1}`),
		"01kbv6store000000000000000b": bytes.Repeat([]byte(`{"k":"v"},`), 2000),
		"01kbv6store000000000000000c": bin,
		"01kbv6store000000000000000d": {},
		"01kbv6store000000000000000e": []byte("a=1&b=two"),
	}
	for id, body := range old {
		c, err := s.Get(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(c.Body, body) || c.BodySize != len(body) {
			t.Errorf("%s: body of %d bytes, want %d", id, len(c.Body), len(body))
		}
	}
	if c, _ := s.Get(ctx, "01kbv6store000000000000000a"); len(c.Deliveries) != 1 {
		t.Errorf("old capture's deliveries: %v", c.Deliveries)
	}
	fresh := benchCapture()
	fresh.Body = bytes.Repeat([]byte(`{"fresh":"segment-word"},`), 100)
	if err := s.Save(ctx, fresh); err != nil {
		t.Fatal(err)
	}
	for q, want := range map[string]string{`"k":"v"`: "01kbv6store000000000000000b", "segment-word": fresh.ID} {
		page, err := s.List(ctx, Filter{Q: q})
		if err != nil || len(page.Captures) != 1 || page.Captures[0].ID != want {
			t.Errorf("search %q: %v, %v; want %s", q, page.Captures, err, want)
		}
	}
	if len(segmentFiles(t, s)) != 1 {
		t.Error("the new capture's body did not go to a segment")
	}
	if _, err := s.Prune(ctx, 0, 3); err != nil {
		t.Fatal(err)
	}
	if n, err := s.Count(ctx, Filter{}); err != nil || n != 3 {
		t.Errorf("after pruning to 3: %d, %v", n, err)
	}
	if c, err := s.Get(ctx, fresh.ID); err != nil || !bytes.Equal(c.Body, fresh.Body) {
		t.Errorf("fresh capture after prune: %v", err)
	}
}

// A body whose bytes are not what was written (a power loss before they reached the disk, a
// segment damaged or deleted by hand) is reported as lost, never returned wrong; the rest of
// the capture still lists.
func TestLostBodyIsReported(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	c := benchCapture()
	if err := s.Save(ctx, c); err != nil {
		t.Fatal(err)
	}
	name := segmentName(s.bodies.dir, segmentFiles(t, s)[0])
	for _, damage := range []struct {
		what string
		do   func() error
	}{
		{"a flipped byte", func() error {
			f, err := os.OpenFile(name, os.O_RDWR, 0)
			if err != nil {
				return err
			}
			defer f.Close()
			_, err = f.WriteAt([]byte{'#'}, 100)
			return err
		}},
		{"a cut segment", func() error { return os.Truncate(name, 50) }},
		{"a deleted segment", func() error { bodyReaders.forget(name); return os.Remove(name) }},
	} {
		if err := damage.do(); err != nil {
			t.Fatal(err)
		}
		_, err := s.Get(ctx, c.ID)
		if !errors.Is(err, errBodyLost) {
			t.Errorf("%s: Get = %v, want a lost body", damage.what, err)
		}
		if page, err := s.List(ctx, Filter{}); err != nil || len(page.Captures) != 1 {
			t.Errorf("%s: List without bodies = %v, %v", damage.what, page.Captures, err)
		}
	}
}

// Two handles on one store (as two processes) append to the same segments under the write
// lock, through rotations, and read each other's bodies back exact.
func TestTwoWritersShareSegments(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hooktap.db")
	var stores []*SQLite
	for range 2 {
		s, err := Open(path, WithMaxBytes(1<<30), WithRetention(0, 0))
		if err != nil {
			t.Fatal(err)
		}
		s.bodies.segMax = 256 << 10 // rotate often
		defer s.Close()
		stores = append(stores, s)
	}
	ctx := context.Background()
	var mu sync.Mutex
	saved := map[string]uint64{}
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			for i := range 40 {
				seed := uint64(w*1000 + i)
				c := benchCapture()
				c.Body = randomBody(seed, 2000+int(seed%9000))
				if err := stores[w%2].Save(ctx, c); err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				saved[c.ID] = seed
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if segs := segmentFiles(t, stores[0]); len(segs) < 5 {
		t.Errorf("segments %v: expected several rotations", segs)
	}
	for id, seed := range saved {
		for _, s := range stores {
			c, err := s.Get(ctx, id)
			if err != nil || !bytes.Equal(c.Body, randomBody(seed, 2000+int(seed%9000))) {
				t.Fatalf("%s read through another handle: %v", id, err)
			}
		}
	}
}

// A capture retention deletes between a read finding its row and reading its body (whose
// segment goes with it) is missing from the answer, as if read a moment later: a list is not
// failed for it, and Get says not found.
func TestCaptureDeletedWhileItsBodyIsRead(t *testing.T) {
	s := openTest(t)
	s.bodies.segMax = 1 // every batch starts a segment, so retention can delete the old ones
	ctx := context.Background()
	var ids []string
	for range 3 {
		c := benchCapture()
		if err := s.Save(ctx, c); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.ID)
	}
	defer func() { beforeBodyRead = nil }()
	beforeBodyRead = func(id string) {
		if id == ids[0] {
			beforeBodyRead = nil
			if n, err := s.Prune(ctx, 0, 2); err != nil || n != 1 {
				t.Errorf("Prune = %d, %v", n, err)
			}
		}
	}
	page, err := s.List(ctx, Filter{WithBody: true, Oldest: true})
	if err != nil {
		t.Fatalf("List failed for a capture deleted while it was read: %v", err)
	}
	if len(page.Captures) != 2 {
		t.Fatalf("List gave %d captures, want the 2 left", len(page.Captures))
	}
	for _, c := range page.Captures {
		if c.ID == ids[0] || !bytes.Equal(c.Body, benchBody) {
			t.Errorf("capture %s: %d bytes", c.ID, len(c.Body))
		}
	}
	if _, err := os.Stat(segmentName(s.bodies.dir, 1)); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the deleted capture's segment is still there (%v): the test proves nothing", err)
	}
}
