// Signs the didkit-* fixtures with Spruce's DIDKit (@spruceid/didkit-wasm-node
// 0.2.1, the ssi crate): a did:key issuer's VerifiableId credential and the
// holder's presentation of it, per linked-data suite DIDKit signs. Run from
// the repository's interop/ directory (where npm ci installed DIDKit):
//   node ../ldproof/testdata/independent/gen-didkit.mjs ../ldproof/testdata/independent
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dk = createRequire(process.cwd() + '/')('@spruceid/didkit-wasm-node');
const out = process.argv[2];
const challenge = 'independent-challenge-1';
const domain = 'https://verifier.example/oid4vp/response';
const issuerKey = dk.generateEd25519Key();
const holderKey = dk.generateEd25519Key();
const issuer = dk.keyToDID('key', issuerKey);
const holder = dk.keyToDID('key', holderKey);
const issuerVM = await dk.keyToVerificationMethod('key', issuerKey);
const holderVM = await dk.keyToVerificationMethod('key', holderKey);
const manifest = { challenge, domain, issuer, holder, library: '@spruceid/didkit-wasm-node 0.2.1', files: {} };
for (const type of ['Ed25519Signature2018', 'Ed25519Signature2020', 'JsonWebSignature2020']) {
  // An inline context defines VerifiableId and the claims, as issuers of
  // their own credential types write it.
  const contexts = ['https://www.w3.org/2018/credentials/v1', {
    VerifiableId: 'https://verifier.example/vocab#VerifiableId',
    givenName: 'https://schema.org/givenName', familyName: 'https://schema.org/familyName' }];
  if (type === 'Ed25519Signature2020') contexts.push('https://w3id.org/security/suites/ed25519-2020/v1');
  const credential = {
    '@context': contexts,
    id: 'urn:uuid:7f3c2f6e-didkit-' + type,
    type: ['VerifiableCredential', 'VerifiableId'],
    issuer,
    issuanceDate: '2024-01-01T00:00:00Z',
    credentialSubject: { id: holder, givenName: 'Jane', familyName: 'Doe' },
  };
  const vc = JSON.parse(await dk.issueCredential(JSON.stringify(credential),
    JSON.stringify({ type, proofPurpose: 'assertionMethod', verificationMethod: issuerVM }), issuerKey));
  const vp = JSON.parse(await dk.issuePresentation(JSON.stringify({
    '@context': contexts, type: ['VerifiablePresentation'], holder, verifiableCredential: [vc],
  }), JSON.stringify({ type, proofPurpose: 'authentication', verificationMethod: holderVM, challenge, domain }), holderKey));
  // DIDKit verifies its own output before it is written.
  for (const [what, doc, fn, opts] of [['vc', vc, dk.verifyCredential, { proofPurpose: 'assertionMethod' }],
    ['vp', vp, dk.verifyPresentation, { proofPurpose: 'authentication', challenge, domain }]]) {
    const res = JSON.parse(await fn(JSON.stringify(doc), JSON.stringify(opts)));
    if (res.errors.length) throw new Error(`${type} ${what}: ${res.errors}`);
  }
  const name = 'didkit-' + type.toLowerCase();
  writeFileSync(join(out, name + '.vc.json'), JSON.stringify(vc, null, 2) + '\n');
  writeFileSync(join(out, name + '.vp.json'), JSON.stringify(vp, null, 2) + '\n');
  manifest.files[type] = { vc: name + '.vc.json', vp: name + '.vp.json' };
}
writeFileSync(join(out, 'didkit-manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
