package capture

import (
	"bytes"
	"context"
	"math/rand"
	"testing"
)

// bigBodies are a 1 MiB body of random bytes with a word at 900 KiB, and a 1 MiB compact JSON
// body with one word at its start and one at its end.
func bigBodies() (binary, text []byte) {
	binary = make([]byte, 1<<20)
	rand.New(rand.NewSource(7)).Read(binary)
	copy(binary[900<<10:], "\x00binary-marker-qz\x00")
	var b bytes.Buffer
	b.WriteString(`{"first":"head-word-qz","items":[`)
	for i := 0; b.Len() < 1<<20-64; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"n":12345,"s":"abcdefghij"}`)
	}
	b.WriteString(`],"last":"tail-word-qz"}`)
	return binary, b.Bytes()
}

// TestIndexBoundedPerCapture: what one capture adds to the index is bounded whatever its body,
// so an index step (one FTS5 insert cannot be interrupted) never holds the writer long; and
// text beyond what the index holds is still found.
func TestIndexBoundedPerCapture(t *testing.T) {
	binary, text := bigBodies()
	for _, body := range [][]byte{binary, text} {
		fields, whole := indexedFields("/hook", "a=1", []Header{{Name: "Content-Type", Value: "application/json"}}, body)
		n := 0
		for _, f := range fields {
			n += len(f)
		}
		if n > indexedMetaMax+indexedBodyMax || whole {
			t.Fatalf("a %d-byte body adds %d bytes to the index (whole=%v), want at most %d", len(body), n, whole,
				indexedMetaMax+indexedBodyMax)
		}
	}

	s := openTest(t)
	ctx := context.Background()
	var ids []string
	for _, body := range [][]byte{binary, text, []byte(`{"small":"small-word-qz"}`)} {
		c := benchCapture()
		c.Body = body
		if err := s.Save(ctx, c); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.ID)
	}
	if err := s.IndexPending(ctx); err != nil {
		t.Fatal(err)
	}
	var partial int
	if err := s.DB().QueryRow(`SELECT COUNT(*) FROM search_partial`).Scan(&partial); err != nil || partial != 2 {
		t.Fatalf("captures indexed in part = %d, %v; want the two large ones", partial, err)
	}
	// The index itself stays small: the whole 1 MiB binary body alone made it grow by megabytes.
	var size int64
	if err := s.DB().QueryRow(`SELECT COALESCE(SUM(length(block)), 0) FROM captures_fts_data`).Scan(&size); err != nil {
		t.Fatal(err)
	}
	if size > 4*(indexedMetaMax+indexedBodyMax) {
		t.Fatalf("index holds %d bytes for three captures", size)
	}
	for q, want := range map[string]string{"binary-marker-qz": ids[0], "head-word-qz": ids[1], "tail-word-qz": ids[1], "small-word-qz": ids[2]} {
		if got := findText(t, s, q); len(got) != 1 || got[0] != want {
			t.Errorf("%q found %v, want %s", q, got, want)
		}
	}
	if got := findText(t, s, "absent-word-qz"); len(got) != 0 {
		t.Errorf("absent text found %v", got)
	}
	if n := indexedRowids(t, s, "tail-word-qz"); n != 0 {
		t.Errorf("the index holds the end of the 1 MiB body (%d hits): it was not bounded", n)
	}
	// Retention takes the partial entries with the captures.
	if _, err := s.DB().Exec(`DELETE FROM captures`); err != nil {
		t.Fatal(err)
	}
	if err := s.DB().QueryRow(`SELECT COUNT(*) FROM search_partial`).Scan(&partial); err != nil || partial != 0 {
		t.Fatalf("partial entries after delete = %d, %v", partial, err)
	}
}
