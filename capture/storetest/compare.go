package storetest

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/hooktap/hooktap/capture"
)

// sameCapture fails t with every field in which got differs from want. Times compare as
// instants (a store may hand them back in UTC), and an empty slice equals a nil one except for
// Body, whose nil means "not loaded" and is checked by the tests that care.
func sameCapture(t *testing.T, what string, got, want *capture.Capture) {
	t.Helper()
	if diffs := diffCapture(got, want); len(diffs) > 0 {
		t.Errorf("%s differs from what was saved:\n  %s", what, strings.Join(diffs, "\n  "))
	}
}

func diffCapture(got, want *capture.Capture) []string {
	gv, wv := reflect.ValueOf(got).Elem(), reflect.ValueOf(want).Elem()
	var diffs []string
	for i := range gv.NumField() {
		name := gv.Type().Field(i).Name
		if !same(gv.Field(i), wv.Field(i)) {
			diffs = append(diffs, fmt.Sprintf("%s: got %s, want %s", name, show(gv.Field(i)), show(wv.Field(i))))
		}
	}
	return diffs
}

var timeType = reflect.TypeFor[time.Time]()

// same is reflect.DeepEqual with instants for times and empty slices equal to nil ones.
func same(a, b reflect.Value) bool {
	switch {
	case a.Type() == timeType:
		return a.Interface().(time.Time).Equal(b.Interface().(time.Time))
	case a.Kind() == reflect.Slice:
		if a.Len() != b.Len() {
			return false
		}
		if a.Type().Elem().Kind() == reflect.Uint8 {
			return bytes.Equal(a.Bytes(), b.Bytes())
		}
		for i := range a.Len() {
			if !same(a.Index(i), b.Index(i)) {
				return false
			}
		}
		return true
	case a.Kind() == reflect.Struct:
		for i := range a.NumField() {
			if !same(a.Field(i), b.Field(i)) {
				return false
			}
		}
		return true
	}
	return a.Equal(b)
}

// show prints a field, cutting long byte slices to their length and first bytes.
func show(v reflect.Value) string {
	if v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.Uint8 {
		b := v.Bytes()
		if b == nil {
			return "nil"
		}
		if len(b) > 64 {
			return fmt.Sprintf("%d bytes %q…", len(b), b[:64])
		}
		return fmt.Sprintf("%q", b)
	}
	return fmt.Sprintf("%+v", v.Interface())
}

// sameValue is same for two values of one type.
func sameValue[T any](a, b T) bool { return same(reflect.ValueOf(a), reflect.ValueOf(b)) }
