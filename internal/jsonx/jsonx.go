package jsonx

// List reads v as absent (nil: no items), a single T, or an array whose
// elements are all T. When v is none of these ok is false, and bad is the
// index of the first element that is not a T, or -1 when v itself is
// neither a T nor an array.
func List[T any](v any) (items []T, bad int, ok bool) {
	switch v := v.(type) {
	case nil:
		return nil, -1, true
	case T:
		return []T{v}, -1, true
	case []any:
		out := make([]T, len(v))
		for i, e := range v {
			t, ok := e.(T)
			if !ok {
				return nil, i, false
			}
			out[i] = t
		}
		return out, -1, true
	}
	return nil, -1, false
}

// Items reads v as absent (nil), an array (its elements), or one value (a
// list of it), leaving the elements to the caller.
func Items(v any) []any {
	switch v := v.(type) {
	case nil:
		return nil
	case []any:
		return v
	default:
		return []any{v}
	}
}

// ID reads a node reference: a string, or an object's "id" string; "" for
// anything else.
func ID(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case map[string]any:
		s, _ := v["id"].(string)
		return s
	}
	return ""
}
