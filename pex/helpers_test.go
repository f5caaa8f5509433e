package pex

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/loginwithiota/verifier/internal/testshared"
)

// benchFile reads a benchmark input (shared bench/).
func benchFile(tb testing.TB, name string) []byte {
	tb.Helper()
	return testshared.Read(tb, "bench", name)
}

// decode decodes JSON as the verifier does: encoding/json into any.
func decode(tb testing.TB, b []byte) any {
	tb.Helper()
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		tb.Fatal(err)
	}
	return v
}

func mustDefinition(tb testing.TB, b []byte) *Definition {
	tb.Helper()
	d, err := ParseDefinition(b)
	if err != nil {
		tb.Fatal(err)
	}
	return d
}

func mustSubmission(tb testing.TB, b []byte) *Submission {
	tb.Helper()
	s, err := ParseSubmission(b)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// edit decodes b, lets fn change the decoded value and encodes it again, so a
// negative case is a small change to a real document.
func edit(tb testing.TB, b []byte, fn func(v any) any) []byte {
	tb.Helper()
	out, err := json.Marshal(fn(decode(tb, b)))
	if err != nil {
		tb.Fatal(err)
	}
	return out
}

// at walks a decoded value by member names and indexes, for edits.
func at(v any, steps ...any) any {
	for _, s := range steps {
		switch s := s.(type) {
		case string:
			v = v.(map[string]any)[s]
		case int:
			v = v.([]any)[s]
		}
	}
	return v
}

// unwrap returns the inner object of a spec example envelope
// {"presentation_definition": {...}} or {"presentation_submission": {...}}.
func unwrap(tb testing.TB, b []byte, key string) []byte {
	tb.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		tb.Fatal(err)
	}
	if inner, ok := m[key]; ok {
		return inner
	}
	return b
}

// wantCode checks that err is an *Error with code (and, if given, a Reason
// containing every fragment).
func wantCode(t *testing.T, err error, code string, fragments ...string) {
	t.Helper()
	var pe *Error
	if !errors.As(err, &pe) {
		t.Fatalf("error = %v (%T), want *Error with code %s", err, err, code)
	}
	if pe.Code != code {
		t.Fatalf("code = %s, want %s (reason: %s)", pe.Code, code, pe.Reason)
	}
	for _, f := range fragments {
		if !strings.Contains(pe.Reason, f) {
			t.Errorf("reason %q does not contain %q", pe.Reason, f)
		}
	}
}
