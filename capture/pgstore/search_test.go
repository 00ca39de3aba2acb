package pgstore

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// appendLower folds exactly as strings.ToLower, which Filter.Match uses.
func TestAppendLowerIsToLower(t *testing.T) {
	var all strings.Builder
	for r := rune(0); r <= utf8.MaxRune; r++ {
		if utf8.ValidRune(r) {
			all.WriteRune(r)
		}
	}
	for _, s := range []string{"", "ABC def", "Ünïcödé ÉCOLE İstanbul ΣΑΣ", "KELVIN \u212a", all.String()} {
		if got, want := string(appendLower(nil, s)), strings.ToLower(s); got != want {
			t.Errorf("appendLower(%.40q) differs from strings.ToLower", s)
		}
	}
}

func BenchmarkSearchText(b *testing.B) {
	c := benchCapture()
	b.SetBytes(int64(len(c.Body)))
	for b.Loop() {
		searchText(c)
	}
}
