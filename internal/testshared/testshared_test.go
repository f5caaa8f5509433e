package testshared_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/loginwithiota/verifier/internal/testshared"
)

// The shared folder is found from any package depth, and its bench
// material decodes.
func TestDir(t *testing.T) {
	dir := testshared.Dir(t)
	if !filepath.IsAbs(dir) || filepath.Base(dir) != "testdata" {
		t.Fatalf("Dir = %s", dir)
	}
	if _, err := os.Stat(testshared.Path(t, "vectors")); err != nil {
		t.Fatal(err)
	}
	k := testshared.ReadBenchKeys(t)
	if k.Challenge == "" || len(k.Docs["did:example:issuer"]) == 0 {
		t.Errorf("bench keys: %+v", k)
	}
	if len(testshared.BenchContexts(t)) != 1 {
		t.Error("bench contexts")
	}
	if m := testshared.ReadJSON(t, "bench", "pd.json"); m["id"] == nil {
		t.Errorf("pd.json: %v", m)
	}
	p := testshared.WriteTemp(t, "x.txt", "hello")
	if got := string(testshared.ReadFile(t, p)); got != "hello" {
		t.Errorf("WriteTemp/ReadFile: %q", got)
	}
}
