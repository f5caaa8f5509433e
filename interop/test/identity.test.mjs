// IOTA's own libraries. @iota/identity-wasm 0.6 (identity.rs of the
// Chrysalis era) signs JcsEd25519Signature2020 credentials and
// presentations, writing one credential as an object, not an array. It has
// no OID4VP client: the test reads the request's parameters and posts the
// form, and the library does the signing. Its did:iota DIDs name a network
// that no longer runs: the documents are pinned (dids.pinned), the way an
// operator keeps such issuers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { start, Website, shippedConfig, edit } from '../lib/verifier.mjs';
import { loggedIn, queryOf } from '../lib/assert.mjs';

const id06 = createRequire(import.meta.url)('identity-wasm-0.6/node');

function identity06() {
  const key = new id06.KeyPair(id06.KeyType.Ed25519);
  const doc = new id06.Document(key);
  return { key, doc, did: doc.id().toString() };
}

let v, site, issuer, holder;
before(async () => {
  issuer = identity06();
  holder = identity06();
  // identity.rs 0.6 lists its key under capabilityInvocation only.
  const pinned = `  pinned:\n    - file: issuer.json\n      any_relationship: true\n    - file: holder.json\n      any_relationship: true\n`;
  const cfg = edit(shippedConfig(), '  # pinned:', pinned + '  # pinned (more):');
  v = await start(cfg, { files: { 'issuer.json': JSON.stringify(issuer.doc.toJSON()), 'holder.json': JSON.stringify(holder.doc.toJSON()) } });
  site = new Website(v.base);
});
after(async () => { await v?.stop(); });

async function answer(login, single) {
  const q = queryOf(login.authorization_request);
  const pd = JSON.parse(q.presentation_definition);
  const credential = (type) => issuer.doc.signCredential(new id06.Credential({
    id: 'https://issuer.example/credentials/' + crypto.randomUUID(),
    type, issuer: issuer.did,
    credentialSubject: { id: holder.did, givenName: 'Jane', familyName: 'Doe' },
  }), issuer.key.private(), '#sign-0', new id06.ProofOptions({ purpose: id06.ProofPurpose.assertionMethod() }));
  // identity.rs serializes verifiableCredential as one-or-many: one
  // credential is written as the object itself, two as an array.
  const creds = single ? [credential('VerifiableId')] : [credential('VerifiableId'), credential('UniversityDegree')];
  const vp = holder.doc.signPresentation(new id06.Presentation({
    holder: holder.did, verifiableCredential: creds.map((c) => c.toJSON()),
  }), holder.key.private(), '#sign-0', new id06.ProofOptions({ challenge: q.nonce, domain: q.client_id, purpose: id06.ProofPurpose.authentication() })).toJSON();
  const submission = {
    id: crypto.randomUUID(), definition_id: pd.id,
    descriptor_map: [{ id: pd.input_descriptors[0].id, format: 'ldp_vp', path: '$',
      path_nested: { id: pd.input_descriptors[0].id, format: 'ldp_vc', path: '$.verifiableCredential[0]' } }],
  };
  const r = await fetch(q.response_uri, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ vp_token: JSON.stringify(vp), presentation_submission: JSON.stringify(submission), state: q.state }),
  });
  return { status: r.status, body: await r.text(), vp };
}

for (const single of [true, false]) {
  test(`identity-wasm 0.6 draft-20 cross-device ldp_vp JcsEd25519Signature2020, verifiableCredential as ${single ? 'an object' : 'an array'}`, async () => {
    const login = await site.startLogin('verifiable-id');
    const a = await answer(login, single);
    assert.equal(Array.isArray(a.vp.verifiableCredential), !single);
    assert.equal(a.vp.proof.type, 'JcsEd25519Signature2020');
    await loggedIn(site, login, a, holder);
  });
}

// @iota/identity-wasm 1.9 issues the VerifiableId as a VC-JWT
// (createCredentialJwt, a did:jwk issuer expanded by the library); the
// holder's wallet is @sphereon/did-auth-siop 0.19.0, which selects and
// presents it.
test('identity-wasm 1.9 VC-JWT (did:jwk issuer) presented by sphereon draft-20 cross-device', async () => {
  const id19 = await import('identity-wasm-1.9/node/index.js');
  const { party } = await import('../lib/keys.mjs');
  const { sphereonLogin } = await import('../lib/sphereon.mjs');
  const storage = new id19.Storage(new id19.JwkMemStore(), new id19.KeyIdMemStore());
  const gen = await storage.keyStorage().generate(id19.JwkMemStore.ed25519KeyType(), id19.JwsAlgorithm.EdDSA);
  const doc = id19.CoreDocument.expandDIDJwk(id19.DIDJwk.fromJwk(gen.jwk().toPublic()));
  const vm = doc.methods()[0];
  await storage.keyIdStorage().insertKeyId(new id19.MethodDigest(vm), gen.keyId());
  const holder = await party('EdDSA');
  const vc = (await doc.createCredentialJwt(storage, '#' + vm.id().fragment(), new id19.Credential({
    id: 'https://issuer.example/credentials/' + crypto.randomUUID(),
    type: ['VerifiableCredential', 'VerifiableId'], issuer: doc.id(),
    issuanceDate: id19.Timestamp.parse(new Date(Date.now() - 60000).toISOString().replace(/\.\d+Z$/, 'Z')),
    credentialSubject: { id: holder.did, givenName: 'Jane', familyName: 'Doe' },
  }), new id19.JwsSignatureOptions())).toString();
  const login = await site.startLogin('verifiable-id');
  const st = await loggedIn(site, login, await sphereonLogin(login.authorization_request, holder, [vc]), holder);
  assert.equal(st.result.credentials[0].issuer, doc.id().toString());
});
