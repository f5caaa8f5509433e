// Package jsonld turns JSON-LD documents into canonical RDF (RDF Dataset
// Canonicalization, URDNA2015 / RDFC-1.0, as N-Quads) for the proof suites
// that sign RDF rather than JSON.
//
// It owns three safety decisions:
//
//   - Contexts come from files embedded in the binary (Embedded lists them).
//     Nothing is fetched from the network unless the operator allow-lists a
//     URL, and then with a timeout, a size limit and a cache.
//   - Safe mode: a document whose terms expansion would drop (undefined terms,
//     relative IRIs, unknown keywords) is refused rather than canonicalized
//     without them, because what is dropped is not covered by the signature.
//   - Processed contexts are cached, so verifying a credential does not
//     rebuild the same term definitions on every call.
//
// Expansion (and the node map) are piprate/json-gold's. The conversion to
// RDF (rdf.go) is ours because it must refuse what json-gold silently
// drops; so is the canonicalization (urdna.go), because json-gold's
// URDNA2015 labels some blank-node graphs differently from rdf-canonize
// (which every Digital Bazaar suite uses), escapes N-Quads like neither
// URDNA2015 nor RDFC-1.0, and spends most of a verification on string
// concatenation. Both are tested against jsonld.js and rdf-canonize output
// (testdata/README.md).
package jsonld
