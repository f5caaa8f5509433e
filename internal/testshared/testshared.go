package testshared

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

var root = sync.OnceValues(func() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("testshared: no go.mod above the working directory")
		}
		dir = parent
	}
})

// Dir returns the repository's own shared test material: testdata/ at the
// repository root (the folder of go.mod, found upwards from the test's
// working directory, so the answer is the same from every package). It
// holds copies of public vectors, bench inputs and specs, each with its
// provenance (testdata/README.md); nothing outside the repository is read.
func Dir(tb testing.TB) string {
	tb.Helper()
	r, err := root()
	if err != nil {
		tb.Fatal(err)
	}
	return filepath.Join(r, "testdata")
}

// Path joins elem onto Dir: Path(t, "bench", "pd.json").
func Path(tb testing.TB, elem ...string) string {
	tb.Helper()
	return filepath.Join(append([]string{Dir(tb)}, elem...)...)
}

// Read returns the shared file at Path(tb, elem...).
func Read(tb testing.TB, elem ...string) []byte {
	tb.Helper()
	return ReadFile(tb, Path(tb, elem...))
}

// ReadJSON decodes the shared file at Path(tb, elem...) as a JSON object.
func ReadJSON(tb testing.TB, elem ...string) map[string]any {
	tb.Helper()
	return ReadJSONFile(tb, Path(tb, elem...))
}

// ReadFile returns the file at path (relative to the test's package, or
// absolute).
func ReadFile(tb testing.TB, path string) []byte {
	tb.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return raw
}

// ReadJSONFile decodes the file at path as a JSON object.
func ReadJSONFile(tb testing.TB, path string) map[string]any {
	tb.Helper()
	return DecodeFile[map[string]any](tb, path)
}

// DecodeFile decodes the JSON file at path into a T.
func DecodeFile[T any](tb testing.TB, path string) T {
	tb.Helper()
	var v T
	if err := json.Unmarshal(ReadFile(tb, path), &v); err != nil {
		tb.Fatalf("%s: %v", path, err)
	}
	return v
}

// WriteTemp writes body to a file named name in a fresh tb.TempDir and
// returns its path (a config for the program under test, a wallet answer).
func WriteTemp(tb testing.TB, name, body string) string {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), name)
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		tb.Fatal(err)
	}
	return path
}
