package testshared

import (
	"encoding/json"
	"testing"
)

// BenchKeys is bench/keys.json (bench/README.md): the challenge and domain
// of the bench presentations and the DID documents (and methods) of their
// issuer and holder, by id, as raw JSON for the test's own parser.
type BenchKeys struct {
	Challenge string
	Domain    string
	Docs      map[string]json.RawMessage
}

// ReadBenchKeys reads bench/keys.json.
func ReadBenchKeys(tb testing.TB) BenchKeys {
	tb.Helper()
	return DecodeFile[BenchKeys](tb, Path(tb, "bench", "keys.json"))
}

// BenchContexts is the JSON-LD context the bench credentials use besides
// the built-in ones, keyed by its URL, as an operator would configure it.
func BenchContexts(tb testing.TB) map[string][]byte {
	tb.Helper()
	return map[string][]byte{"https://example.org/contexts/claims/v1": Read(tb, "bench", "contexts", "example-claims-v1.jsonld")}
}
