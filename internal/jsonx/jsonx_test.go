package jsonx_test

import (
	"reflect"
	"testing"

	"github.com/loginwithiota/verifier/internal/jsonx"
)

func TestList(t *testing.T) {
	obj := map[string]any{"a": 1.0}
	tests := []struct {
		name string
		v    any
		want []map[string]any
		bad  int
		ok   bool
	}{
		{"absent", nil, nil, -1, true},
		{"one", obj, []map[string]any{obj}, -1, true},
		{"array", []any{obj, obj}, []map[string]any{obj, obj}, -1, true},
		{"empty array", []any{}, []map[string]any{}, -1, true},
		{"bad element", []any{obj, "x"}, nil, 1, false},
		{"neither", "x", nil, -1, false},
	}
	for _, tt := range tests {
		got, bad, ok := jsonx.List[map[string]any](tt.v)
		if !reflect.DeepEqual(got, tt.want) || bad != tt.bad || ok != tt.ok {
			t.Errorf("%s: List = %v, %d, %v; want %v, %d, %v", tt.name, got, bad, ok, tt.want, tt.bad, tt.ok)
		}
	}
	if got, _, ok := jsonx.List[string]([]any{"a", "b"}); !ok || !reflect.DeepEqual(got, []string{"a", "b"}) {
		t.Errorf("List[string] = %v, %v", got, ok)
	}
}

func TestItems(t *testing.T) {
	for _, tt := range []struct {
		v    any
		want []any
	}{
		{nil, nil},
		{[]any{"a", 1.0}, []any{"a", 1.0}},
		{"a", []any{"a"}},
		{map[string]any{}, []any{map[string]any{}}},
	} {
		if got := jsonx.Items(tt.v); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Items(%v) = %v, want %v", tt.v, got, tt.want)
		}
	}
}

func TestID(t *testing.T) {
	for _, tt := range []struct {
		v    any
		want string
	}{
		{"did:ex:a", "did:ex:a"},
		{map[string]any{"id": "did:ex:b", "name": "B"}, "did:ex:b"},
		{map[string]any{"id": 1.0}, ""},
		{nil, ""},
		{1.0, ""},
	} {
		if got := jsonx.ID(tt.v); got != tt.want {
			t.Errorf("ID(%v) = %q, want %q", tt.v, got, tt.want)
		}
	}
}
