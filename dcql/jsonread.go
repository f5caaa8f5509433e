package dcql

import "fmt"

// Readers of decoded JSON members, each failure a CodeInvalidQuery
// naming the member.

// nonEmptyArray reads m[name] as a non-empty array; absent is nil, or an
// error when required.
func nonEmptyArray(m map[string]any, name, member string, required bool) ([]any, error) {
	v, has := m[name]
	if !has {
		if required {
			return nil, newError(CodeInvalidQuery, member, "missing")
		}
		return nil, nil
	}
	arr, ok := v.([]any)
	switch {
	case !ok:
		return nil, newError(CodeInvalidQuery, member, "not an array")
	case len(arr) == 0:
		return nil, newError(CodeInvalidQuery, member, "an empty array")
	}
	return arr, nil
}

// stringList reads v as a non-empty array of strings.
func stringList(v any, member string) ([]string, error) {
	arr, ok := v.([]any)
	switch {
	case !ok:
		return nil, newError(CodeInvalidQuery, member, "not an array")
	case len(arr) == 0:
		return nil, newError(CodeInvalidQuery, member, "an empty array")
	}
	out := make([]string, len(arr))
	for i, e := range arr {
		s, ok := e.(string)
		if !ok {
			return nil, newError(CodeInvalidQuery, fmt.Sprintf("%s[%d]", member, i), "not a string")
		}
		out[i] = s
	}
	return out, nil
}

func stringArray(m map[string]any, name, member string, required bool) ([]string, error) {
	if _, has := m[name]; !has {
		if required {
			return nil, newError(CodeInvalidQuery, member, "missing")
		}
		return nil, nil
	}
	return stringList(m[name], member)
}

func str(m map[string]any, name, member string, required bool) (string, error) {
	v, has := m[name]
	if !has {
		if required {
			return "", newError(CodeInvalidQuery, member, "missing")
		}
		return "", nil
	}
	s, ok := v.(string)
	if !ok {
		return "", newError(CodeInvalidQuery, member, "not a string")
	}
	return s, nil
}

func id(m map[string]any, name, member string, required bool) (string, error) {
	s, err := str(m, name, member, required)
	if err != nil {
		return "", err
	}
	if _, has := m[name]; has && !idSyntax.MatchString(s) {
		return "", newError(CodeInvalidQuery, member, "not a non-empty string of letters, digits, _ and -")
	}
	return s, nil
}

func boolean(m map[string]any, name, member string, required bool) (bool, error) {
	v, has := m[name]
	if !has {
		if required {
			return false, newError(CodeInvalidQuery, member, "missing")
		}
		return false, nil
	}
	b, ok := v.(bool)
	if !ok {
		return false, newError(CodeInvalidQuery, member, "not a boolean")
	}
	return b, nil
}
