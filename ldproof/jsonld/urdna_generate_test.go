//go:build generate

// Generates testdata/rdf-canonize/inputs.json for the cross-check against
// rdf-canonize: go test -tags generate -run TestGenerateCases ./ldproof/jsonld

package jsonld

import (
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

// TestGenerateCases writes the inputs of testdata/rdf-canonize.
func TestGenerateCases(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	inputs := []string{
		"_:a <http://e/p> _:b .\n_:b <http://e/p> _:c .\n_:c <http://e/p> _:a .\n",
		"_:a <http://e/p> _:b .\n_:c <http://e/p> _:d .\n_:b <http://e/p> _:a .\n_:d <http://e/p> _:c .\n",
	}
	for range 250 {
		inputs = append(inputs, randomGraph(r))
	}
	raw, _ := json.MarshalIndent(inputs, "", " ")
	if err := os.WriteFile(filepath.Join("testdata", "rdf-canonize", "inputs.json"), raw, 0o644); err != nil {
		t.Fatal(err)
	}
}
