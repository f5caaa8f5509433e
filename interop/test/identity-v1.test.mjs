// IOTA's own credentials in OID4VP 1.0 logins on the shipped config
// (behind an HTTPS front): @iota/identity-wasm 1.9 issues and presents an
// SD-JWT VC (did:jwk issuer, and an https issuer found by its JWT VC
// issuer metadata: identity-wasm writes that iss with a trailing slash)
// and VC Data Model 2.0 JWTs (vp+jwt enveloping a vc+jwt);
// @openid4vc/openid4vp 0.4.6 reads the request and submits the answer.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { start, Website, shippedConfig, edit } from '../lib/verifier.mjs';
import { identityParty, sdjwtVC, presentSDJWT, vcdm2VP } from '../lib/identity19.mjs';
import { resolveV1, respondV1, walletMetadata } from '../lib/openid4vc-v1.mjs';
import { tlsFront } from '../lib/tls.mjs';
import { loggedIn } from '../lib/assert.mjs';
import { jwkDID } from '../lib/v1.mjs';

// An https issuer: its JWT VC issuer metadata on the test's loopback
// HTTPS host, which the verifier reaches with
// sd_jwt.issuer_metadata.allow_private_addresses and trusts by ca_file.
async function metadataHost(issuer) {
  const dir = mkdtempSync(join(tmpdir(), 'liota-md-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
  const cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
  let iss = '';
  const server = https.createServer({ key: readFileSync(join(dir, 'key.pem')), cert }, (req, res) => {
    if (req.url !== '/.well-known/jwt-vc-issuer') { res.writeHead(404); res.end(); return; }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ issuer: iss, jwks: { keys: [{ ...issuer.pub, kid: 'key-1' }] } }));
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  iss = `https://127.0.0.1:${server.address().port}/`;
  return { iss, cert, close: () => new Promise((ok) => server.close(ok)) };
}

let v, site, front, issuer, md;
before(async () => {
  issuer = await identityParty();
  md = await metadataHost(issuer);
  front = await tlsFront();
  const cfg = edit(shippedConfig(), '# sd_jwt:', 'sd_jwt:\n  issuer_metadata:\n    allow_private_addresses: true\n    ca_file: md-ca.pem\n# sd_jwt (the defaults):');
  v = await start(cfg, { publicURL: front.url, files: { 'md-ca.pem': md.cert } });
  front.forward(v.base);
  site = new Website(front.url);
});
after(async () => { await v?.stop(); await front?.close(); await md?.close(); });

async function answerWith(login, make) {
  const { request } = await resolveV1(login.authorization_request, { metadata: walletMetadata({ encrypt: true }) });
  return respondV1(request, { vp_token: await make(request) });
}

for (const kind of ['did:jwk issuer', 'https issuer (JWT VC issuer metadata)']) {
  test(`identity-wasm 1.9 SD-JWT VC, ${kind}, presented by identity-wasm, submitted by openid4vc 1.0 (direct_post.jwt)`, async () => {
    const holder = await identityParty();
    const login = await site.startLogin('verifiable-id', 'cross-device', '1.0');
    const opts = kind.startsWith('https') ? { iss: md.iss, kid: 'key-1' } : {};
    const credential = await sdjwtVC(issuer, holder, { ...opts, claims: { givenName: 'Jane', familyName: 'Doe', birthDate: '1990-01-01' } });
    const answer = await answerWith(login, async (r) => ({
      'verifiable-id-sd-jwt': [await presentSDJWT(holder, credential, ['givenName', 'familyName'], { nonce: r.nonce, aud: r.client_id })],
    }));
    const st = await loggedIn(site, login, answer, { did: jwkDID(holder.pub) });
    assert.equal(st.result.credentials[0].issuer, opts.iss ?? issuer.did);
    assert.deepEqual(Object.keys(st.result.credentials[0].credentialSubject).sort(), ['familyName', 'givenName']);
  });
}

test('identity-wasm 1.9 VC Data Model 2.0: vp+jwt enveloping a vc+jwt, submitted by openid4vc 1.0 for the jwt_vc_json query', async () => {
  const holder = await identityParty();
  const login = await site.startLogin('verifiable-id', 'same-device', '1.0');
  const answer = await answerWith(login, async (r) => ({ 'verifiable-id-jwt': [await vcdm2VP(issuer, holder, { nonce: r.nonce, aud: r.client_id })] }));
  const st = await loggedIn(site, login, answer, holder, 'same-device');
  assert.equal(st.result.credentials[0].format, 'vc+jwt');
  assert.deepEqual(st.result.formats, ['vp+jwt']);
  assert.deepEqual(Object.keys(st.result.credentials[0].credentialSubject).sort(), ['familyName', 'givenName']);
});
