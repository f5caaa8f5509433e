// Keys and credentials the tests supply to the wallet libraries: holder
// and issuer keys (jose), their did:key / did:jwk, VC-JWTs signed with jose
// and linked-data credentials signed with DIDKit. Everything else (request
// parsing, selection, presentation building, submission) is the library's.
import * as jose from 'jose';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
export const didkit = require('@spruceid/didkit-wasm-node');

const b58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
function base58(bytes) {
  let n = BigInt('0x' + Buffer.from(bytes).toString('hex')), s = '';
  while (n > 0n) { s = b58[Number(n % 58n)] + s; n /= 58n; }
  for (const b of bytes) { if (b !== 0) break; s = '1' + s; }
  return s;
}

// A party: a key pair and its DID, for alg EdDSA (Ed25519) or ES256 (P-256),
// as did:key or did:jwk.
export async function party(alg = 'EdDSA', method = 'key') {
  const { publicKey, privateKey } = await jose.generateKeyPair(alg, { crv: alg === 'EdDSA' ? 'Ed25519' : undefined, extractable: true });
  const jwk = await jose.exportJWK(privateKey);
  const pub = await jose.exportJWK(publicKey);
  let did, kid;
  if (method === 'jwk') {
    did = 'did:jwk:' + Buffer.from(JSON.stringify({ kty: pub.kty, crv: pub.crv, x: pub.x, y: pub.y })).toString('base64url');
    kid = did + '#0';
  } else if (alg === 'EdDSA') {
    const raw = Buffer.from(pub.x, 'base64url');
    did = 'did:key:z' + base58(Buffer.concat([Buffer.from([0xed, 0x01]), raw]));
    kid = did + '#' + did.slice('did:key:'.length);
  } else {
    const x = Buffer.from(pub.x, 'base64url'), y = Buffer.from(pub.y, 'base64url');
    const compressed = Buffer.concat([Buffer.from([2 + (y[31] & 1)]), x]);
    did = 'did:key:z' + base58(Buffer.concat([Buffer.from([0x80, 0x24]), compressed]));
    kid = did + '#' + did.slice('did:key:'.length);
  }
  return { alg, did, kid, jwk, pub, privateKey, publicKey };
}

// The VerifiableId claims of every test credential.
export const subjectClaims = { givenName: 'Jane', familyName: 'Doe' };

// An inline context defines VerifiableId and the claims for the
// linked-data suites (the RDF ones refuse undefined terms).
export const vocabContext = {
  VerifiableId: 'https://verifier.example/vocab#VerifiableId',
  givenName: 'https://schema.org/givenName', familyName: 'https://schema.org/familyName',
};

// jwtCredential is a VerifiableId VC-JWT (VC Data Model 1.1 JWT encoding)
// by issuer about holder.
export async function jwtCredential(issuer, holder, type = 'VerifiableId') {
  const now = Math.floor(Date.now() / 1000);
  return new jose.SignJWT({
    vc: {
      '@context': ['https://www.w3.org/2018/credentials/v1'],
      type: ['VerifiableCredential', type],
      credentialSubject: { ...subjectClaims },
    },
  }).setProtectedHeader({ alg: issuer.alg, kid: issuer.kid, typ: 'JWT' })
    .setIssuer(issuer.did).setSubject(holder.did).setNotBefore(now - 60).setIssuedAt(now - 60)
    .setJti('urn:uuid:' + crypto.randomUUID()).sign(issuer.privateKey);
}

// didkitKey is a party's private JWK as DIDKit takes it.
export const didkitKey = (p) => JSON.stringify(p.jwk);

// ldCredential is a VerifiableId credential signed by DIDKit with a
// linked-data suite (Ed25519Signature2018/2020, JsonWebSignature2020).
export async function ldCredential(issuer, holder, proofType) {
  const contexts = ['https://www.w3.org/2018/credentials/v1', vocabContext];
  if (proofType === 'Ed25519Signature2020') contexts.splice(1, 0, 'https://w3id.org/security/suites/ed25519-2020/v1');
  const vc = {
    '@context': contexts,
    id: 'urn:uuid:' + crypto.randomUUID(),
    type: ['VerifiableCredential', 'VerifiableId'],
    issuer: issuer.did,
    issuanceDate: new Date(Date.now() - 60000).toISOString().replace(/\.\d+Z$/, 'Z'),
    credentialSubject: { id: holder.did, ...subjectClaims },
  };
  return JSON.parse(await didkit.issueCredential(JSON.stringify(vc),
    JSON.stringify({ type: proofType, proofPurpose: 'assertionMethod', verificationMethod: issuer.kid }), didkitKey(issuer)));
}

// ldSign signs a presentation with DIDKit for challenge and domain.
export async function ldSign(holder, vp, proofType, challenge, domain) {
  if (proofType === 'Ed25519Signature2020' && !vp['@context'].includes('https://w3id.org/security/suites/ed25519-2020/v1')) {
    vp = { ...vp, '@context': [...vp['@context'], 'https://w3id.org/security/suites/ed25519-2020/v1'] };
  }
  return JSON.parse(await didkit.issuePresentation(JSON.stringify(vp),
    JSON.stringify({ type: proofType, proofPurpose: 'authentication', verificationMethod: holder.kid, challenge, domain }), didkitKey(holder)));
}

// jwtPresent signs a VP-JWT payload (vp claim) for nonce and audience.
export async function jwtPresent(holder, vp, nonce, aud) {
  return new jose.SignJWT({ vp, nonce }).setProtectedHeader({ alg: holder.alg, kid: holder.kid, typ: 'JWT' })
    .setIssuer(holder.did).setAudience(aud).setIssuedAt().setExpirationTime('5m').sign(holder.privateKey);
}
