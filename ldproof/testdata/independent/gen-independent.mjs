// Signs credentials and presentations with independent, widely used
// implementations of each proof suite, for the repository's tests:
//   Ed25519Signature2020  @digitalbazaar/vc + @digitalbazaar/ed25519-signature-2020
//   Ed25519Signature2018  @digitalbazaar/vc + @digitalbazaar/ed25519-signature-2018
//   eddsa-rdfc-2022       @digitalbazaar/vc + @digitalbazaar/data-integrity + eddsa-rdfc-2022-cryptosuite
//   eddsa-jcs-2022        @digitalbazaar/vc + @digitalbazaar/data-integrity + eddsa-jcs-2022-cryptosuite
//   JsonWebSignature2020  @transmute/json-web-signature (Ed25519 and P-256 keys)
// Each credential is re-verified here with @digitalbazaar/vc (or the
// transmute suite) before it is written. Contexts are served offline from
// the repository's copies. Usage:
//   node gen-independent.mjs <repo>/ldproof/jsonld/contexts <out dir>
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import * as vc from '@digitalbazaar/vc';
import jsigs from 'jsonld-signatures';
import {Ed25519VerificationKey2020} from '@digitalbazaar/ed25519-verification-key-2020';
import {Ed25519Signature2020} from '@digitalbazaar/ed25519-signature-2020';
import {Ed25519VerificationKey2018} from '@digitalbazaar/ed25519-verification-key-2018';
import {Ed25519Signature2018} from '@digitalbazaar/ed25519-signature-2018';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as rdfcSuite} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {createSignCryptosuite as jcsSign, createVerifyCryptosuite as jcsVerify} from '@digitalbazaar/eddsa-jcs-2022-cryptosuite';
import {JsonWebKey, JsonWebSignature} from '@transmute/json-web-signature';
import jsonld from 'jsonld';

import util from 'node:util';
const require_inspect = x => util.inspect(x, {depth: 6});
const [ctxDir, out] = process.argv.slice(2);
const index = JSON.parse(fs.readFileSync(path.join(ctxDir, 'index.json')));
const CHALLENGE = 'independent-challenge-1';
const DOMAIN = 'https://verifier.example/oid4vp/response';
const dids = {};
const jwkPub = {}; // DID -> {id, publicKeyJwk}
const documentLoader = async (url) => {
  if (index[url]) {
    return {contextUrl: null, documentUrl: url, document: JSON.parse(fs.readFileSync(path.join(ctxDir, index[url])))};
  }
  const [did] = url.split('#');
  if (dids[did]) {
    const doc = dids[did];
    if (url.includes('#')) {
      const vm = doc.verificationMethod.find(m => m.id === url);
      return {contextUrl: null, documentUrl: url, document: {'@context': doc['@context'], ...vm}};
    }
    return {contextUrl: null, documentUrl: url, document: doc};
  }
  throw new Error('offline loader: no ' + url);
};

// did:key documents with every verification method type the suites want.
function didDocument(did, methods) {
  return {
    '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/suites/ed25519-2020/v1',
      'https://w3id.org/security/suites/jws-2020/v1', 'https://w3id.org/security/multikey/v1'],
    id: did, verificationMethod: methods,
    authentication: methods.map(m => m.id), assertionMethod: methods.map(m => m.id),
  };
}

const seed = b => new Uint8Array(32).fill(b);
async function ed25519Party(b) {
  const k2020 = await Ed25519VerificationKey2020.generate({seed: seed(b)});
  const did = 'did:key:' + k2020.fingerprint();
  k2020.controller = did;
  k2020.id = did + '#' + k2020.fingerprint();
  const k2018 = await Ed25519VerificationKey2018.generate({seed: seed(b)});
  k2018.controller = did; k2018.id = k2020.id;
  const multikey = await Ed25519Multikey.from(k2020);
  multikey.controller = did; multikey.id = k2020.id;
  const pub = Buffer.from(k2018.publicKeyBase58 ? bs58decode(k2018.publicKeyBase58) : []);
  const priv = Buffer.from(bs58decode(k2018.privateKeyBase58)).subarray(0, 32);
  jwkPub[did] = {id: k2020.id, publicKeyJwk: {kty: 'OKP', crv: 'Ed25519', x: pub.toString('base64url')}};
  const jwk = await JsonWebKey.from({
    id: k2020.id, type: 'JsonWebKey2020', controller: did,
    publicKeyJwk: {kty: 'OKP', crv: 'Ed25519', x: pub.toString('base64url')},
    privateKeyJwk: {kty: 'OKP', crv: 'Ed25519', x: pub.toString('base64url'), d: priv.toString('base64url')},
  });
  dids[did] = didDocument(did, [(await k2020.export({publicKey: true, includeContext: false}))]);
  return {did, k2020, k2018, multikey, jwk};
}

// P-256 did:key (zDn…): multicodec 0x1200 varint (0x80 0x24) + compressed point.
async function p256Party() {
  const {privateKey} = crypto.generateKeyPairSync('ec', {namedCurve: 'P-256'});
  const jwk = privateKey.export({format: 'jwk'});
  const x = Buffer.from(jwk.x, 'base64url'), y = Buffer.from(jwk.y, 'base64url');
  const compressed = Buffer.concat([Buffer.from([2 | (y[31] & 1)]), x]);
  const fp = 'z' + bs58encode(Buffer.concat([Buffer.from([0x80, 0x24]), compressed]));
  const did = 'did:key:' + fp;
  const publicKeyJwk = {kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y};
  jwkPub[did] = {id: did + '#' + fp, publicKeyJwk};
  const key = await JsonWebKey.from({id: did + '#' + fp, type: 'JsonWebKey2020', controller: did,
    publicKeyJwk, privateKeyJwk: {...publicKeyJwk, d: jwk.d}});
  dids[did] = didDocument(did, [{id: did + '#' + fp, type: 'JsonWebKey2020', controller: did, publicKeyJwk}]);
  return {did, jwk: key};
}

const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
function bs58encode(buf) {
  let n = BigInt('0x' + (Buffer.from(buf).toString('hex') || '0')), s = '';
  while (n > 0n) { s = ALPHABET[Number(n % 58n)] + s; n /= 58n; }
  for (const b of buf) { if (b === 0) s = '1' + s; else break; }
  return s;
}
function bs58decode(str) {
  let n = 0n;
  for (const c of str) n = n * 58n + BigInt(ALPHABET.indexOf(c));
  let hex = n.toString(16); if (hex.length % 2) hex = '0' + hex;
  const lead = [...str].findIndex(c => c !== '1');
  return Buffer.concat([Buffer.alloc(lead < 0 ? str.length : lead), Buffer.from(hex, 'hex')]);
}

function credentialV1(issuer, holder, suiteContext) {
  return {
    '@context': ['https://www.w3.org/2018/credentials/v1', 'https://www.w3.org/2018/credentials/examples/v1',
      ...(suiteContext ? [suiteContext] : [])],
    id: 'urn:uuid:' + crypto.randomUUID(),
    type: ['VerifiableCredential', 'UniversityDegreeCredential'],
    issuer, issuanceDate: '2024-01-01T00:00:00Z', expirationDate: '2034-01-01T00:00:00Z',
    credentialSubject: {id: holder, degree: {type: 'BachelorDegree', name: 'Bachelor of Science and Arts'}},
  };
}
function credentialV2(issuer, holder) {
  return {
    '@context': ['https://www.w3.org/ns/credentials/v2', 'https://www.w3.org/ns/credentials/examples/v2'],
    id: 'urn:uuid:' + crypto.randomUUID(),
    type: ['VerifiableCredential', 'AlumniCredential'],
    issuer, validFrom: '2024-01-01T00:00:00Z', validUntil: '2034-01-01T00:00:00Z',
    credentialSubject: {id: holder, alumniOf: 'The School of Examples'},
  };
}

function write(name, doc) {
  fs.writeFileSync(path.join(out, name), JSON.stringify(doc, null, 2) + '\n');
}

const issuer = await ed25519Party(0x11), holder = await ed25519Party(0x22);
const p256 = await p256Party();
const manifest = {challenge: CHALLENGE, domain: DOMAIN, holder: holder.did, issuer: issuer.did, p256Issuer: p256.did, files: {}};

// @digitalbazaar/vc suites.
const dbSuites = {
  'ed25519-2020': {v: 1, ctx: 'https://w3id.org/security/suites/ed25519-2020/v1',
    suite: k => new Ed25519Signature2020({key: k.k2020}), verifier: () => new Ed25519Signature2020()},
  'ed25519-2018': {v: 1, ctx: null, suite: k => new Ed25519Signature2018({key: k.k2018}), verifier: () => new Ed25519Signature2018()},
  'eddsa-rdfc-2022': {v: 2, suite: k => new DataIntegrityProof({signer: k.multikey.signer(), cryptosuite: rdfcSuite}),
    verifier: () => new DataIntegrityProof({cryptosuite: rdfcSuite})},
  'eddsa-jcs-2022': {v: 2, suite: k => new DataIntegrityProof({signer: k.multikey.signer(), cryptosuite: jcsSign()}),
    verifier: () => new DataIntegrityProof({cryptosuite: jcsVerify()})},
};
for (const [name, s] of Object.entries(dbSuites)) {
  const unsigned = s.v === 1 ? credentialV1(issuer.did, holder.did, s.ctx) : credentialV2(issuer.did, holder.did);
  const signed = await vc.issue({credential: unsigned, suite: s.suite(issuer), documentLoader});
  const verifySuite = s.verifier ? s.verifier() : s.suite(issuer);
  const check = await vc.verifyCredential({credential: signed, suite: verifySuite, documentLoader});
  if (!check.verified) throw new Error(name + ' VC does not verify: ' + JSON.stringify(check.error));
  const presentation = vc.createPresentation({verifiableCredential: [signed], holder: holder.did, version: s.v === 2 ? 2.0 : 1.0});
  if (s.ctx) presentation['@context'].push(s.ctx);
  const vp = await vc.signPresentation({presentation, suite: s.suite(holder), challenge: CHALLENGE, domain: DOMAIN, documentLoader});
  const vcheck = await vc.verify({presentation: vp, suite: s.verifier ? s.verifier() : s.suite(holder), challenge: CHALLENGE, domain: DOMAIN, documentLoader});
  if (!vcheck.verified) throw new Error(name + ' VP does not verify: ' + require_inspect(vcheck));
  write(name + '.vc.json', signed);
  write(name + '.vp.json', vp);
  manifest.files[name] = {vc: name + '.vc.json', vp: name + '.vp.json', library: '@digitalbazaar/vc'};
}

// transmute JsonWebSignature2020, Ed25519 (EdDSA) and P-256 (ES256).
const {AssertionProofPurpose, AuthenticationProofPurpose} = jsigs.purposes;
async function transmute(name, issuerKey, issuerDID) {
  const doc = credentialV1(issuerDID, holder.did, 'https://w3id.org/security/suites/jws-2020/v1');
  const suite = new JsonWebSignature({key: issuerKey});
  doc.proof = await suite.createProof({document: {...doc}, purpose: new AssertionProofPurpose(), documentLoader, compactProof: false});
  await checkJWS(doc, jwkPub[issuerDID].publicKeyJwk, name + ' VC');
  const vp = {'@context': ['https://www.w3.org/2018/credentials/v1', 'https://w3id.org/security/suites/jws-2020/v1'],
    type: ['VerifiablePresentation'], holder: holder.did, verifiableCredential: [doc]};
  const purpose = new AuthenticationProofPurpose({challenge: CHALLENGE, domain: DOMAIN});
  vp.proof = await new JsonWebSignature({key: holder.jwk}).createProof({document: {...vp}, purpose, documentLoader, compactProof: false});
  await checkJWS(vp, jwkPub[holder.did].publicKeyJwk, name + ' VP');
  write(name + '.vc.json', doc);
  write(name + '.vp.json', vp);
  manifest.files[name] = {vc: name + '.vc.json', vp: name + '.vp.json', library: '@transmute/json-web-signature'};
}
// An independent from-scratch check of a detached-JWS proof (jsonld.js
// URDNA2015 + Node's OpenSSL), as the shared vectors were checked.
async function checkJWS(doc, publicKeyJwk, what) {
  const {proof, ...bare} = doc;
  const {jws, ...options} = proof;
  options['@context'] = bare['@context'];
  const c14n = d => jsonld.canonize(d, {algorithm: 'URDNA2015', format: 'application/n-quads', documentLoader, safe: true});
  const sha = s => crypto.createHash('sha256').update(s).digest();
  const data = Buffer.concat([sha(await c14n(options)), sha(await c14n(bare))]);
  const [h, , sig] = jws.split('.');
  const input = Buffer.concat([Buffer.from(h + '.'), data]);
  const key = crypto.createPublicKey({key: publicKeyJwk, format: 'jwk'});
  const ok = publicKeyJwk.kty === 'OKP'
    ? crypto.verify(null, input, key, Buffer.from(sig, 'base64url'))
    : crypto.verify('sha256', input, {key, dsaEncoding: 'ieee-p1363'}, Buffer.from(sig, 'base64url'));
  if (!ok) throw new Error(what + ': the JWS does not verify (from-scratch check)');
}
await transmute('jws-2020-ed25519', issuer.jwk, issuer.did);
await transmute('jws-2020-p256', p256.jwk, p256.did);
write('manifest.json', manifest);
