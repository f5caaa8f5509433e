// Package jsonld turns JSON-LD documents into canonical RDF (RDF Dataset
// Canonicalization, URDNA2015 / RDFC-1.0, as N-Quads) for the proof suites
// that sign RDF rather than JSON.
//
// It owns four safety decisions:
//
//   - Contexts come from files embedded in the binary (Embedded lists them).
//     Nothing is fetched from the network unless the operator allow-lists a
//     URL, and then with a timeout, a size limit and a cache.
//   - Safe mode: a document whose terms expansion would drop (undefined terms,
//     relative IRIs, unknown keywords) is refused rather than canonicalized
//     without them, because what is dropped is not covered by the signature.
//   - Processed contexts are cached, so verifying a credential does not
//     rebuild the same term definitions on every call.
//   - Budgets (Config.MaxNodes, MaxValues, MaxBlankNodes, MaxWork;
//     budget.go): a wallet's answer must not buy seconds of CPU, so a
//     document too large or too intricate to canonicalize in milliseconds
//     is refused (ErrTooComplex) before the work, a cancelled context stops
//     the work, and a panic of json-gold is an ordinary ErrInvalid.
//
// Expansion is piprate/json-gold's. The node map (nodemap.go) is ours
// because json-gold's is quadratic in the values of a property; the
// conversion to RDF (rdf.go) because it must refuse what json-gold
// silently drops; the canonicalization (urdna.go) because json-gold's
// URDNA2015 labels some blank-node graphs differently from rdf-canonize
// (which every Digital Bazaar suite uses), escapes N-Quads like neither
// URDNA2015 nor RDFC-1.0, and spends most of a verification on string
// concatenation. All are tested against jsonld.js, rdf-canonize or json-gold output
// (testdata/README.md).
package jsonld
