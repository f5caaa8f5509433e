package ldproof

import (
	"context"
	"strings"
	"sync"

	"github.com/loginwithiota/verifier/ldproof/jsonld"
)

// documents holds, for one Inspect, the unsecured documents its proofs
// sign and their canonical forms, so that a document is canonicalized
// once whatever its number of proofs: the proofs of a set that are not
// chained sign the same unsecured document, and a wallet must not be able
// to multiply the cost of canonicalizing a large document by sending
// proofs. (A chain's proofs sign the document with the proofs they name;
// each such combination is one more document.)
type documents struct {
	doc  map[string]any
	set  []map[string]any
	p    *jsonld.Processor
	mu   sync.Mutex
	docs map[string]map[string]any // chain key → unsecured document
	out  map[canonicalKey]canonical
}

type canonicalKey struct {
	chain string
	alg   jsonld.Algorithm
}

type canonical struct {
	nquads []byte
	err    error
}

func newDocuments(doc map[string]any, set []map[string]any, p *jsonld.Processor) *documents {
	return &documents{doc: doc, set: set, p: p} // maps made on first use: the JCS suites need none
}

// unsecured returns the document proof signs (see unsecuredDocument) and
// the key it is shared under.
func (d *documents) unsecured(proof map[string]any) (map[string]any, string, error) {
	key, err := chainKey(proof)
	if err != nil {
		return nil, "", err
	}
	d.mu.Lock()
	u, ok := d.docs[key]
	d.mu.Unlock()
	if ok {
		return u, key, nil
	}
	u, err = unsecuredDocument(d.doc, d.set, proof)
	if err != nil {
		return nil, "", err
	}
	d.mu.Lock()
	if d.docs == nil {
		d.docs = make(map[string]map[string]any, 1)
	}
	d.docs[key] = u
	d.mu.Unlock()
	return u, key, nil
}

// canonicalizer returns Input.Canonical for the unsecured document of key.
func (d *documents) canonicalizer(key string) func(context.Context, jsonld.Algorithm) ([]byte, error) {
	return func(ctx context.Context, alg jsonld.Algorithm) ([]byte, error) {
		k := canonicalKey{key, alg}
		d.mu.Lock()
		defer d.mu.Unlock()
		if c, ok := d.out[k]; ok {
			return c.nquads, c.err
		}
		nquads, err := d.p.Canonicalize(ctx, d.docs[key], alg)
		if ctx.Err() == nil { // a cancelled attempt says nothing of the document
			if d.out == nil {
				d.out = make(map[canonicalKey]canonical, 1)
			}
			d.out[k] = canonical{nquads, err}
		}
		return nquads, err
	}
}

// chainKey names the proofs a proof chains to: "" when it is not chained,
// else its previousProof ids in order.
func chainKey(proof map[string]any) (string, error) {
	prev, chained := proof["previousProof"]
	if !chained {
		return "", nil
	}
	ids, err := previousProofs(prev)
	if err != nil {
		return "", err
	}
	return "chain\x00" + strings.Join(ids, "\x00"), nil
}

// canonicalUnsecured returns the canonical form of in.Unsecured, through
// in.Canonical when Inspect provides it.
func (in *Input) canonicalUnsecured(ctx context.Context, alg jsonld.Algorithm) ([]byte, error) {
	if in.Canonical != nil {
		return in.Canonical(ctx, alg)
	}
	return in.JSONLD.Canonicalize(ctx, in.Unsecured, alg)
}
