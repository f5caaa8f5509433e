// Small helpers of the 1.0 tests.

// jwkDID is the did:jwk the verifier names an SD-JWT VC's holder by: the
// did:jwk of its cnf.jwk, members in name order.
export function jwkDID(pub) {
  const m = {};
  for (const k of ['crv', 'kty', 'x', 'y']) if (pub[k] !== undefined) m[k] = pub[k];
  return 'did:jwk:' + Buffer.from(JSON.stringify(m)).toString('base64url');
}
