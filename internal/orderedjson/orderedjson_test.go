package orderedjson

import (
	"encoding/json"
	"reflect"
	"testing"
)

func TestDecodeKeepsOrderAndRepeats(t *testing.T) {
	v, err := Decode([]byte(` {"z":1,"a":{"y":[true,null,"s"],"b":2.50},"z":3} `))
	if err != nil {
		t.Fatal(err)
	}
	root := v.(*Object)
	if !reflect.DeepEqual(root.Keys, []string{"z", "a", "z"}) {
		t.Fatalf("keys %v: want document order with the repeat", root.Keys)
	}
	inner := root.Vals[1].(*Object)
	if inner.Keys[0] != "y" || inner.Vals[1] != json.Number("2.50") {
		t.Fatalf("inner %+v: numbers keep their literal text", inner)
	}
	if got, _ := root.Get("z"); got != json.Number("1") {
		t.Fatalf("Get returns the first z, got %v", got)
	}
	root.Set("z", "new")
	root.Set("n", 7)
	if root.Vals[0] != "new" || root.Keys[3] != "n" || len(root.Keys) != 4 {
		t.Fatalf("Set: %+v", root)
	}
}

func TestDecodeRefuses(t *testing.T) {
	for _, in := range []string{``, `{`, `{"a":1} x`, `[1,]`, `{"a" 1}`} {
		if _, err := Decode([]byte(in)); err == nil {
			t.Errorf("Decode(%q) accepted", in)
		}
	}
}
