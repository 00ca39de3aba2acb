package notify

import (
	"encoding/json"
	"reflect"
	"testing"
)

func TestDataValue(t *testing.T) {
	tests := []struct {
		in   string
		want any
	}{
		{"10.0", json.Number("10.0")},
		{"true", true},
		{`"quoted"`, "quoted"},
		{`{"a":1}`, map[string]any{"a": json.Number("1")}},
		{"anthropic-primary", "anthropic-primary"},
		{" 10", " 10"},
		{"1 2", "1 2"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := DataValue(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("DataValue(%q) = %#v, want %#v", tt.in, got, tt.want)
		}
	}
}
